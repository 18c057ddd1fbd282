"""The crisis response text: warm, short, escaped, complete, and free of any method words."""

from __future__ import annotations

import re

import pytest

from bot.safety import (
    BANNED_METHOD_WORDS,
    CrisisResource,
    crisis_message,
    find_banned_words,
    resources_text,
)

THREE = [
    CrisisResource(
        "988 Suicide & Crisis Lifeline", phone="988", text="988", url="https://988lifeline.org"
    ),
    CrisisResource("Samaritans", phone="116 123", url="https://www.samaritans.org"),
    CrisisResource("Shout", text="85258"),
]


def _visible(html: str) -> str:
    """The text a reader sees: tags removed, entities left (each counts one char on Telegram)."""
    return re.sub(r"<[^>]+>", "", html)


class TestCrisisMessage:
    def test_contains_every_resource_with_its_numbers_and_url(self) -> None:
        """Each resource's name, phone, text number and URL appear."""
        message = crisis_message(THREE, "Dr Lee, 020 7946 0000", "Sam", emergency_number="999")
        for resource in THREE:
            assert resource.name.replace("&", "&amp;") in message
            for value in (resource.phone, resource.text, resource.url):
                if value:
                    assert value in message

    def test_names_the_emergency_number_and_the_therapist(self) -> None:
        """The local emergency number and the therapist's contact are in the message."""
        message = crisis_message(THREE, "Dr Lee, 020 7946 0000", emergency_number="999")
        assert "<b>999</b>" in message
        assert "Emergency services</b>: call 999" in message
        assert "Dr Lee, 020 7946 0000" in message

    def test_follows_the_safe_messaging_shape(self) -> None:
        """Acknowledges, says 'not alone', urges reaching out now, and ends with hope."""
        message = crisis_message(THREE, None, "Sam")
        assert message.startswith("Sam, thank you for telling me")
        assert "not have to face it alone" in message
        assert "reach out to someone now" in message
        assert "can change" in message.split("\n\n")[-1]

    def test_never_claims_to_be_a_therapist(self) -> None:
        """It says plainly that it is not a therapist, and never 'I am your therapist'."""
        message = crisis_message(THREE, None).lower()
        assert "not a therapist" in message
        assert "i am your therapist" not in message

    def test_is_under_1000_characters_with_three_resources(self) -> None:
        """Short enough for one phone screen: under 1,000 characters with three resources."""
        message = crisis_message(
            THREE, "Dr Lee, 020 7946 0000, weekdays 9-17", "Alexandra", emergency_number="999"
        )
        assert len(_visible(message)) < 1000
        assert len(message) < 1000

    @pytest.mark.parametrize("name", [None, "Sam", "<Sam & Co>"])
    def test_contains_no_banned_method_word(self, name: str | None) -> None:
        """No word that names a means or method appears in the response."""
        message = crisis_message(THREE, "Dr Lee", name, emergency_number="112")
        assert find_banned_words(message) == ()

    def test_escapes_every_user_and_config_string(self) -> None:
        """Names, contacts, numbers and URLs with HTML characters cannot break the message."""
        evil = CrisisResource(
            "<b>Help</b> & co", phone="<1>", text="2&3", url='https://x.org/?a=1&b="2"'
        )
        message = crisis_message(
            [evil], "<script>Dr</script>", "<Sam & Co>", emergency_number="<9>"
        )
        assert "<script>" not in message
        assert "&lt;Sam &amp; Co&gt;, thank you" in message
        assert "&lt;b&gt;Help&lt;/b&gt; &amp; co" in message
        assert "call &lt;1&gt;" in message
        assert "text 2&amp;3" in message
        assert 'href="https://x.org/?a=1&amp;b=&quot;2&quot;"' in message
        assert "<b>&lt;9&gt;</b>" in message
        assert re.sub(r"</?(b|a)( href=\"[^\"]*\")?>", "", message).count("<") == 0

    def test_without_resources_or_therapist_still_points_to_emergency_help(self) -> None:
        """With no lines and no therapist, the message still gives an emergency number."""
        message = crisis_message([], None)
        assert "call <b>112</b>" in message
        assert "therapist:" not in message


class TestResourcesText:
    def test_one_line_per_resource_in_order(self) -> None:
        """The placeholder text lists each resource on its own line, in the configured order."""
        lines = resources_text(THREE).split("\n")
        assert len(lines) == 3
        assert lines[0].startswith("• <b>988 Suicide &amp; Crisis Lifeline</b>: call 988, text 988")
        assert lines[2] == "• <b>Shout</b>: text 85258"

    def test_a_resource_with_only_a_name_has_no_dangling_colon(self) -> None:
        """A name-only resource is listed as just the name."""
        assert resources_text([CrisisResource("Your GP")]) == "• <b>Your GP</b>"

    def test_empty_list_is_empty_text(self) -> None:
        """No resources, no lines."""
        assert resources_text([]) == ""


class TestBannedWords:
    def test_the_list_is_lower_case_single_words(self) -> None:
        """Entries are whole lower-case words, so whole-word matching finds them."""
        assert all(re.fullmatch(r"[a-z]+", word) for word in BANNED_METHOD_WORDS)

    def test_whole_words_only_and_case_insensitive(self) -> None:
        """A banned word inside a longer word is not reported; capitals do not hide one."""
        word = sorted(BANNED_METHOD_WORDS)[0]
        assert find_banned_words(f"A {word.upper()}.") == (word,)
        assert find_banned_words(f"x{word}x") == ()
