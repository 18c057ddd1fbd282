"""A tiny phrase language for the screening rules, compiled to regular expressions over tokens.

Rules are written the way people talk, and compiled against the canonical text from
`normalize.canonical_text` (tokens separated by single spaces, a space at both ends):

    word          a word; it goes through `canon_word`, so "don't" or "killl" in a rule work too
    (a b|c)       one of the alternatives (each a sequence)
    x?            x is optional (x is a word or a group)
    ~ / ~N        a gap of up to 3 (or N) words, never across the end of a clause
    <end>         the clause ends here (punctuation, "and", "but", "so", the end of the text)
    !x            NOT followed by x (a word or a group)
    {regex}       a raw regular expression piece, for the rare rule words cannot say

Every construct compiles to a bounded, non-nested repetition, so matching stays linear in the
length of the text (there is no `(a+)+` shape to backtrack on).
"""

from __future__ import annotations

import re

from bot.errors import CheckinError
from bot.safety.normalize import canon_word

_LEX = re.compile(r"\s*(\(|\)|\||\?|~\d*|<end>|!|\{[^}]*\}|[a-z0-9']+)")
_WORD_IN_GAP = r"[a-z0-9]+ "
END_OF_CLAUSE = r"(?=(?:\.|and|but|so|because|though|although|then|i) |$)"


class PatternError(CheckinError, ValueError):
    """A screening rule is written wrongly (a bug in the lexicon, caught when it loads)."""

    def __init__(self, pattern: str, problem: str) -> None:
        super().__init__(f"Screening rule {pattern!r}: {problem}. Fix the rule in bot/safety.")


def _lex(pattern: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    stripped = pattern.rstrip()
    while pos < len(stripped):
        match = _LEX.match(stripped, pos)
        if match is None:
            raise PatternError(pattern, f"cannot read {stripped[pos:]!r}")
        tokens.append(match.group(1))
        pos = match.end()
    return tokens


# Word sets such that any match contains at least one word of EACH set (empty: nothing known).
Triggers = tuple[frozenset[str], ...]
# A piece of a compiled rule: its regex and its triggers.
_Piece = tuple[str, Triggers]


def _either(options: list[Triggers]) -> Triggers:
    """Triggers of alternatives: each option needs its rarest set, so the union of those."""
    if any(not t for t in options):
        return ()
    return (frozenset().union(*(min(t, key=len) for t in options)),)


def can_match(triggers: Triggers, words: frozenset[str]) -> bool:
    """Whether a text with these `words` may match a rule with these `triggers`."""
    return all(not t.isdisjoint(words) for t in triggers)


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.tokens = _lex(pattern)
        self.pos = 0

    def parse(self) -> _Piece:
        piece = self._alternatives()
        if self.pos != len(self.tokens):
            raise PatternError(self.pattern, f"unexpected {self.tokens[self.pos]!r}")
        return piece

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _alternatives(self) -> _Piece:
        options = [self._sequence()]
        while self._peek() == "|":
            self.pos += 1
            options.append(self._sequence())
        if len(options) == 1:
            return options[0]
        regex = "(?:" + "|".join(r for r, _ in options) + ")"
        return regex, _either([t for _, t in options])

    def _sequence(self) -> _Piece:
        parts: list[_Piece] = []
        while (token := self._peek()) is not None and token not in ("|", ")"):
            parts.append(self._item())
        if not parts:
            raise PatternError(self.pattern, "an empty alternative")
        return "".join(r for r, _ in parts), tuple(t for _, ts in parts for t in ts)

    def _item(self) -> _Piece:
        token = self.tokens[self.pos]
        if token == "!":
            self.pos += 1
            return f"(?!{self._atom()[0]})", ()
        regex, trigger = self._atom()
        if self._peek() == "?":
            self.pos += 1
            return f"(?:{regex})?", ()
        return regex, trigger

    def _atom(self) -> _Piece:
        token = self._peek()
        if token is None:
            raise PatternError(self.pattern, "it ends too early")
        self.pos += 1
        if token == "(":
            regex, trigger = self._alternatives()
            if self._peek() != ")":
                raise PatternError(self.pattern, "a '(' is never closed")
            self.pos += 1
            return f"(?:{regex})", trigger
        if token.startswith("~"):
            return f"(?:{_WORD_IN_GAP}){{0,{int(token[1:] or 3)}}}", ()
        if token == "<end>":
            return END_OF_CLAUSE, ()
        if token.startswith("{"):
            return token[1:-1], ()
        if token in ("?", ")", "|", "!"):
            raise PatternError(self.pattern, f"{token!r} is out of place")
        words = canon_word(token.replace("'", ""))
        return "".join(re.escape(t) + " " for t in words), (frozenset(words[:1]),)


def compile_phrase(pattern: str) -> re.Pattern[str]:
    """Compile one rule. The match includes the space BEFORE its first word.

    A leading literal space (rather than a look-behind) lets the regex engine skip ahead to
    candidate words quickly; callers add 1 to `match.start()` for the first word and resume a
    search at `match.start() + 1` so that overlapping matches are not lost.
    """
    return compile_rule(pattern)[0]


def compile_rule(pattern: str) -> tuple[re.Pattern[str], Triggers]:
    """The compiled rule and its triggers: a text that cannot match them (`can_match`) can skip
    the rule without running its expression."""
    regex, trigger = _Parser(pattern).parse()
    return re.compile(" " + regex), trigger
