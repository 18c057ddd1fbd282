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


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.tokens = _lex(pattern)
        self.pos = 0

    def parse(self) -> str:
        regex = self._alternatives()
        if self.pos != len(self.tokens):
            raise PatternError(self.pattern, f"unexpected {self.tokens[self.pos]!r}")
        return regex

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _alternatives(self) -> str:
        options = [self._sequence()]
        while self._peek() == "|":
            self.pos += 1
            options.append(self._sequence())
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    def _sequence(self) -> str:
        parts: list[str] = []
        while (token := self._peek()) is not None and token not in ("|", ")"):
            parts.append(self._item())
        if not parts:
            raise PatternError(self.pattern, "an empty alternative")
        return "".join(parts)

    def _item(self) -> str:
        token = self.tokens[self.pos]
        if token == "!":
            self.pos += 1
            return f"(?!{self._atom()})"
        atom = self._atom()
        if self._peek() == "?":
            self.pos += 1
            return f"(?:{atom})?"
        return atom

    def _atom(self) -> str:
        token = self._peek()
        if token is None:
            raise PatternError(self.pattern, "it ends too early")
        self.pos += 1
        if token == "(":
            inner = self._alternatives()
            if self._peek() != ")":
                raise PatternError(self.pattern, "a '(' is never closed")
            self.pos += 1
            return f"(?:{inner})"
        if token.startswith("~"):
            return f"(?:{_WORD_IN_GAP}){{0,{int(token[1:] or 3)}}}"
        if token == "<end>":
            return END_OF_CLAUSE
        if token.startswith("{"):
            return token[1:-1]
        if token in ("?", ")", "|", "!"):
            raise PatternError(self.pattern, f"{token!r} is out of place")
        return "".join(re.escape(t) + " " for t in canon_word(token.replace("'", "")))


def compile_phrase(pattern: str) -> re.Pattern[str]:
    """Compile one rule. The match includes the space BEFORE its first word.

    A leading literal space (rather than a look-behind) lets the regex engine skip ahead to
    candidate words quickly; callers add 1 to `match.start()` for the first word and resume a
    search at `match.start() + 1` so that overlapping matches are not lost.
    """
    return re.compile(" " + _Parser(pattern).parse())
