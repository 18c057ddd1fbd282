"""Telegram's HTML parse mode, as the emulator checks it."""

from __future__ import annotations

import pytest

from bot.testing.errors import ApiError
from bot.testing.html import parse_html


class TestAcceptedHtml:
    def test_plain_text_passes_through_unchanged(self) -> None:
        """Text without markup is its own plain text, with no entities."""
        assert parse_html("Hello there") == ("Hello there", [])

    def test_bold_becomes_an_entity_over_the_tagged_text(self) -> None:
        """<b> is removed from the text and reported as a bold entity at its UTF-16 offset."""
        text, entities = parse_html("Hi <b>Sam</b>!")
        assert text == "Hi Sam!"
        assert entities == [{"type": "bold", "offset": 3, "length": 3}]

    def test_offsets_count_utf16_units(self) -> None:
        """An emoji outside the BMP counts two units, as in Telegram's entity offsets."""
        _, entities = parse_html("🙂 <i>ok</i>")
        assert entities == [{"type": "italic", "offset": 3, "length": 2}]

    def test_links_keep_their_url(self) -> None:
        """<a href> becomes a text_link entity carrying the URL."""
        _, entities = parse_html('<a href="https://example.org/x">site</a>')
        assert entities == [
            {"type": "text_link", "offset": 0, "length": 4, "url": "https://example.org/x"}
        ]

    @pytest.mark.parametrize(
        ("source", "plain"),
        [
            ("&lt;Sam &amp; Co&gt;", "<Sam & Co>"),
            ("say &quot;hi&quot;", 'say "hi"'),
            ("&#65;&#x42;", "AB"),
            ("fish & chips", "fish & chips"),
            ("2 > 1", "2 > 1"),
        ],
    )
    def test_entities_decode_to_characters(self, source: str, plain: str) -> None:
        """The four named entities and numeric ones decode; a lone & or > is plain text."""
        assert parse_html(source)[0] == plain

    @pytest.mark.parametrize(
        "source",
        [
            "<strong>a</strong><em>b</em><ins>c</ins><s>d</s><strike>e</strike><del>f</del>",
            '<span class="tg-spoiler">x</span><tg-spoiler>y</tg-spoiler>',
            '<pre><code class="language-python">x = 1</code></pre>',
            "<blockquote>quote</blockquote><u>under</u><code>c</code>",
            "<b>bold <i>both</i></b>",
        ],
    )
    def test_every_telegram_tag_is_accepted_when_nested_well(self, source: str) -> None:
        """All of Telegram's tags parse when properly nested."""
        text, entities = parse_html(source)
        assert "<" not in text
        assert entities


class TestRejectedHtml:
    @pytest.mark.parametrize(
        ("source", "reason"),
        [
            ("<Sam & Co>", 'Unsupported start tag "sam"'),
            ("<div>x</div>", 'Unsupported start tag "div"'),
            ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
            ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>"'),
            ("<b>x</blink>", 'Unsupported end tag "blink"'),
            ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
            ("1 < 2", 'Unsupported start tag ""'),
            ("&nbsp;", 'Unsupported HTML entity "&nbsp;"'),
            ("<a>no link</a>", "must have an href"),
            ('<span class="red">x</span>', 'must have class "tg-spoiler"'),
            ("x</b>", "Unmatched end tag"),
        ],
    )
    def test_bad_html_is_refused_with_telegrams_wording(self, source: str, reason: str) -> None:
        """Unknown tags, bad nesting, unclosed tags and unknown entities are 400 errors."""
        with pytest.raises(ApiError) as caught:
            parse_html(source)
        assert caught.value.status == 400
        assert caught.value.description.startswith("Bad Request: can't parse entities: ")
        assert reason in caught.value.description
