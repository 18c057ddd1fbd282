"""Turn any client text into one canonical, space-separated string of tokens for screening.

The screening rules match whole tokens, so everything that makes the same words look different is
undone here: Unicode tricks (NFKC, zero-width characters, accents, look-alike Cyrillic/Greek
letters), case, curly apostrophes, contractions with or without the apostrophe, a few shorthand
forms, digits used as letters, letters typed over and over, and common misspellings.

Repeated letters are squeezed to ONE ("killl" and "kill" both become "kil"). The rules are written
in plain English and pass through the same `canon_word`, so both sides always agree. Punctuation
that ends a clause becomes the token "." so that a rule never matches across sentences.

Everything here is a single left-to-right pass over the text: linear time, no backtracking.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from bot.safety.typos import TYPO_MAP

CLAUSE_END = "."

# Invisible characters people (or keyboards) insert inside words: zero-width space/joiners, word
# joiner, BOM, soft hyphen, and the Mongolian vowel separator. Other format characters (category
# Cf) are dropped too, in `_drop_mark`.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)

# Letters from other scripts that look like Latin ones; a classic way to slip words past filters.
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁɡոｓαεικνορτυχ",  # Cyrillic and friends, then Greek (lower case after casefold)
    "aeopcyxijsdgnsaeikvoptux",
)

# Emoji that stand for a word in messages about risk (the pill and the knife above all, named as
# highly predictive by Crisis Text Line's analysis). They become that word, so the rules read
# "took all my 💊" as "took all my pills"; on their own they match no rule.
_EMOJI_WORDS = str.maketrans(
    {
        "\U0001f48a": " pills ",  # pill
        "\U0001f52a": " knife ",  # kitchen knife
        "\U0001f5e1": " knife ",  # dagger
        "\U0001fa92": " razor ",  # razor
        "\U0001f52b": " gun ",  # pistol
        "\U0001faa2": " rope ",  # knot
        "\U0001fa78": " blood ",  # drop of blood
        "\u26b0": " coffin ",  # coffin
        "\U0001faa6": " grave ",  # headstone
        "\U0001f309": " bridge ",  # bridge at night
        "\U0001f686": " train ",
        "\U0001f682": " train ",
        "\U0001f684": " train ",
        "\U0001f683": " train ",
        "\U0001f44b": " bye ",  # waving hand
        # Laughter: "im dead 💀" is "i'm dying of laughter" (the idioms read "dead skull", "dead lol").
        "\U0001f480": " skull ",  # skull
        "\U0001f602": " lol ",  # face with tears of joy
        "\U0001f923": " lol ",  # rolling on the floor laughing
    }
)

_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u02b9`\u00b4\u2032", "'"))

# Look-alike letters, apostrophes and emoji words in one table: one pass over the text.
_LOOK_ALIKES: dict[int, str | int | None] = {**_CONFUSABLES, **_APOSTROPHES, **_EMOJI_WORDS}

# Digits used as letters inside a word ("k1ll", "d13"); numbers on their own are left alone.
_LEET = str.maketrans("013457@$", "oieastas")

# A contraction written WITH its apostrophe; the part after the apostrophe decides. Matched on the
# squeezed word, so "'ll" is written "'l" and "I'dd" or "don'tt" still expand.
_APOSTROPHE_SUFFIXES: dict[str, str] = {
    "n't": " not",
    "'re": " are",
    "'m": " am",
    "'ve": " have",
    "'l": " will",
    "'d": " would",
}
_IRREGULAR_NOT = {
    "can't": "can not",
    "won't": "will not",
    "ain't": "am not",
    "shan't": "shall not",
    # self-harm shorthand made a verb ("I sh'd again"), not "sh would"
    "sh'd": "did sh",
    "sh'ed": "did sh",
    "sh'ing": "doing sh",
}
_S_IS_PRONOUNS = {
    "he",
    "she",
    "it",
    "that",
    "there",
    "what",
    "who",
    "everything",
    "nothing",
    "life",
    "tonight",
    "today",
    "tomorrow",
    "this",
    "here",
}

# Words written without their apostrophe, shorthand, and common misspellings. Keys and values are
# given in plain spelling and squeezed when the table is built. Only forms that are never ordinary
# words are listed ("ill", "well", "were", "its" are words, so "i'll" etc. need the apostrophe).
_REPLACEMENTS_PLAIN: dict[str, str] = {
    # contractions without the apostrophe
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "cant": "can not",
    "cannot": "can not",
    "wont": "will not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "couldnt": "could not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "havent": "have not",
    "hasnt": "has not",
    "aint": "am not",
    "im": "i am",
    "ive": "i have",
    "youre": "you are",
    "theyre": "they are",
    "thats": "that is",
    "whats": "what is",
    "hes": "he is",
    "shes": "she is",
    "dnt": "do not",
    "cnt": "can not",
    # shorthand
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "tryna": "trying to",
    "u": "you",
    "ur": "your",
    "ppl": "people",
    "rn": "right now",
    "pls": "please",
    "plz": "please",
    "noone": "no one",
    "no1": "no one",
    "some1": "someone",
    "every1": "everyone",
    "any1": "anyone",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "anymore": "any more",
    "nemore": "any more",
    "anymor": "any more",
    "selfharm": "self harm",
    "selfharming": "self harming",
    "selfinjury": "self injury",
    "un-alive": "unalive",
    # Bavarian, Austrian and Swiss German words that carry the meaning of a rule ("i wui nimma
    # lebn", "i wett eifach nüm da si"); only spellings that are no English word.
    "nimma": "nicht mehr",
    "nimmer": "nicht mehr",
    "nimme": "nicht mehr",
    "nume": "nicht mehr",
    "numme": "nicht mehr",
    "num": "nicht mehr",
    "wui": "will",
    "wuil": "will",
    "eam": "ihm",
    "neamd": "niemand",
    "gnueg": "genug",
    "eifach": "einfach",
    "scho": "schon",
    "lebn": "leben",
    "ohni": "ohne",
    "aufgschnitten": "aufgeschnitten",
    "gregelt": "geregelt",
    # Scots ("naebody would notice if i wasnae here")
    "wasnae": "was not",
    "isnae": "is not",
    "cannae": "can not",
    "canny": "can not",
    "dinnae": "do not",
    "didnae": "did not",
    "wouldnae": "would not",
    "couldnae": "could not",
    "havnae": "have not",
    "havenae": "have not",
    "naebody": "nobody",
    "fae": "from",
    "frae": "from",
    # misspellings
    "myslef": "myself",
    "mself": "myself",
    "meself": "myself",
    "myselfe": "myself",
    "mysef": "myself",
    "kll": "kill",
    "idk": "i do not know",
    "idc": "i do not care",
    "ded": "dead",
    "wnt": "want",
    "wana": "want to",
    "dissapear": "disappear",
    "dissappear": "disappear",
    "disapear": "disappear",
    "hopless": "hopeless",
    "livin": "living",
    "nothin": "nothing",
    "somthing": "something",
    "evryone": "everyone",
    "everyon": "everyone",
    "beter": "better",
    "eveyone": "everyone",
    "alredy": "already",
    "exsist": "exist",
    "exsit": "exist",
    "wnat": "want",
    "wann": "want",
    "dei": "die",
    "kil": "kill",
    "mysefl": "myself",
    "myslf": "myself",
    "lyf": "life",
    "tonite": "tonight",
    "2nite": "tonight",
    "2night": "tonight",
    "tn": "tonight",
    "2day": "today",
    "2moro": "tomorrow",
    "2morrow": "tomorrow",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tomoro": "tomorrow",
    "tomorow": "tomorrow",
    "b4": "before",
    "w/": "with",
    "w": "with",
    "abt": "about",
    "pils": "pills",
    "pilz": "pills",
    "tabs": "tablets",
    "paracetemol": "paracetamol",
    "paracetomol": "paracetamol",
    "parcetamol": "paracetamol",
    "paracetamols": "paracetamol",
    "panadol": "paracetamol",
    "acetominophen": "acetaminophen",
    "acetaminophin": "acetaminophen",
    "tylenols": "tylenol",
    "ibuprofin": "ibuprofen",
    "ibuprophen": "ibuprofen",
    "ibuprofens": "ibuprofen",
    "overdosing": "overdosing",
    "overdoseing": "overdosing",
    "everyones": "everyone",
    "every1s": "everyone",
    "goodby": "goodbye",
    "gudbye": "goodbye",
    "byee": "bye",
    "selbstverletzung": "selbstverletzung",
}

# Variants of "suicide"/"suicidal" ("suicde", "sucidal", "suiside", "suicidle"...). Checked on the
# squeezed token. The ending decides which of the two words it is.
_SUICIDE_STEM = re.compile(r"su[ie]?[iy]?[cs][iy]?d(e|es|ed|al|el|le|ally|ality)?")
# Words people censor with stars ("s*icide", "k*ll"); a starred word that fits one is read as it.
_CENSORABLE = (
    "suicide", "suicidal", "kill", "killing", "die", "dying", "dead", "death", "myself", "self",
    "harm", "hurt", "unalive",
)  # fmt: skip
_STARRED = re.compile(r"[a-z0-9]*\*[a-z0-9*]*")
_TOKEN = re.compile(r"[a-z0-9@$']+|[.!?;:,\n]")
# Dots, stars, underscores or hyphens between letters hide a word ("k.i.l.l", "want_to_die").
_INNER_SEPARATOR = re.compile(r"(?<=[a-z0-9])[._*\-]+(?=[a-z0-9])")
_REPEATS = re.compile(r"(.)\1+")
# A number glued to its unit ("800mg", "2g") is two words, so the digits stay a number.
_DOSE = re.compile(r"(\d)(mg|g|ml|mcg|x)\b")
_HAS_LETTER = re.compile(r"[a-z]")
_NOT_LETTERS = "0123456789@$'.!?;:,\n"


def squeeze(word: str) -> str:
    """Collapse every run of a repeated character to one ("sooo" -> "so", "kill" -> "kil")."""
    return _REPEATS.sub(r"\1", word)


def _build_replacements() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for key, value in _REPLACEMENTS_PLAIN.items():
        table[squeeze(key.replace("'", ""))] = tuple(squeeze(v) for v in value.split())
    return table


_REPLACEMENTS = _build_replacements()


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _drop_mark(match: re.Match[str]) -> str:
    """A combining accent or an invisible format character (category Cf) goes; all else stays."""
    ch = match.group()
    return "" if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf" else ch


@functools.lru_cache(maxsize=1024)
def _uncensor_word(word: str) -> str:
    core = word.strip("*")
    if "*" not in core:
        return core
    parts = (re.escape(squeeze(p)) for p in re.split(r"\*+", core))
    pattern = re.compile("[a-z]{0,3}".join(parts))
    return next((w for w in _CENSORABLE if pattern.fullmatch(squeeze(w))), core.replace("*", ""))


def _uncensor(text: str) -> str:
    """ "s*icide" -> "suicide", "*really*" -> "really"; other starred words lose their stars."""
    if "*" not in text:
        return text
    return _STARRED.sub(lambda m: _uncensor_word(m.group()), text)


def _fold(text: str) -> str:
    """NFKC, invisible characters out, accents off, look-alikes to Latin, lower case."""
    if text.isascii():  # the common case skips the per-character Unicode work
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
        text = unicodedata.normalize("NFKD", text.casefold())
        text = _NON_ASCII.sub(_drop_mark, text)  # only non-ASCII characters cost a call
        text = text.translate(_LOOK_ALIKES)
    text = _DOSE.sub(r"\1 \2", text)
    return _INNER_SEPARATOR.sub(" ", _uncensor(text.replace("`", "'")))


def _expand_apostrophe(word: str) -> str:
    """`don't` -> `do not`, `he's` -> `he is`, `sam's` -> `sam`; other apostrophes vanish."""
    word = squeeze(word)
    if word in _IRREGULAR_NOT:
        return _IRREGULAR_NOT[word]
    for suffix, expansion in _APOSTROPHE_SUFFIXES.items():
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)] + expansion
    if word.endswith("'s"):
        stem = word[:-2]
        return f"{stem} is" if stem in _S_IS_PRONOUNS else stem
    return word.replace("'", "")


def canon_word(word: str) -> tuple[str, ...]:
    """One plain word (no apostrophes) to its canonical token(s)."""
    if _HAS_LETTER.search(word) and not word.isdigit():
        word = word.translate(_LEET)
    word = squeeze(word.replace("'", ""))
    if word in _REPLACEMENTS:
        return _REPLACEMENTS[word]
    stem = _SUICIDE_STEM.fullmatch(word)
    if stem is not None:
        ending = stem.group(1) or "e"
        return ("suicidal",) if ending.startswith(("al", "el", "le")) else ("suicide",)
    return (TYPO_MAP.get(word, word),)


@functools.lru_cache(maxsize=4096)
def _canon_raw(raw: str) -> tuple[str, ...]:
    """A raw word as typed (apostrophes and all) to canonical tokens; cached, words repeat a lot."""
    out: list[str] = []
    for part in _expand_apostrophe(raw.strip("'")).split():
        out.extend(canon_word(part))
    return tuple(out)


_SPACED = re.compile(r"(?:^| )[a-z] [a-z] [a-z](?: |$)")


def _join_spaced_letters(tokens: list[str]) -> list[str]:
    """Three or more one-letter tokens in a row are one word spelled out ("d i e" -> "die")."""
    if _SPACED.search(" ".join(tokens)) is None:
        return tokens
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if len(run) >= 3:
            out.extend(canon_word("".join(run)))
        else:
            out.extend(run)
        run = []
        if token:
            out.append(token)
    return out


def canonical_tokens(text: str) -> list[str]:
    """The canonical tokens of `text`; clause-ending punctuation becomes ".".

    Numbers stay numbers (a rule may accept "2" for "to" itself), so "drove 50 kms" keeps the
    digits the `kms` rule needs to tell a distance from shorthand.
    """
    tokens: list[str] = []
    for raw in _TOKEN.findall(_fold(text)):
        # A token has a letter unless stripping digits and symbols leaves nothing (str methods:
        # several times faster than a regex per token on long texts).
        if not raw.strip(_NOT_LETTERS) and not raw.isdigit():
            if tokens and tokens[-1] != CLAUSE_END and raw.strip(" '@$"):
                tokens.append(CLAUSE_END)
            continue
        tokens.extend(_canon_raw(raw))
    return _join_spaced_letters(tokens)


def canonical_text(text: str) -> str:
    """The canonical tokens joined by single spaces, a space at both ends (rules rely on it)."""
    return " " + " ".join(canonical_tokens(text)) + " "
