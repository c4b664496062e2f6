"""Words of a sentence with their offsets, homoglyph-normalised, for matching glossary forms."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.text.lookalikes import LATIN_TO_CYRILLIC

# Quotes and apostrophes are written many ways; one of each makes «Ахмат» match "Ахмат".
_MARKS = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "’": "'", "ʼ": "'"})
_CYRILLIC = re.compile(r"[А-Яа-яЁёЇїІіЄєҐґ]")
_WORD = re.compile(r"\w+(?:['\-]\w+)*|\S")
# English splits the possessive off ("Syrskyi's" -> "Syrskyi" "'s") so the name matches alone.
_WORD_EN = re.compile(r"\w+(?:-\w+)*|'s\b|\S")
SENTENCE_END = frozenset(".!?…")


@dataclass(frozen=True)
class Token:
    """One word or punctuation mark: normalised text and its offsets in the original."""

    text: str
    start: int
    end: int
    sentence_start: bool = False
    """True for the first word of a sentence, where a capital letter says nothing."""

    @property
    def is_word(self) -> bool:
        """True for words (letters or digits), False for punctuation."""
        return self.text[:1].isalnum()

    @property
    def key(self) -> str:
        """The case-folded text, the lookup key of glossary indexes."""
        return self.text.casefold()


def matching_form(text: str) -> str:
    """`text` with uniform quotes/apostrophes and Latin look-alikes inside Cyrillic words fixed."""
    marked = text.translate(_MARKS)
    if not _CYRILLIC.search(marked):
        return marked
    return re.sub(r"\w+", _fix_word, marked)


def _fix_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return word.translate(LATIN_TO_CYRILLIC) if _CYRILLIC.search(word) else word


def tokenize(text: str, language: str) -> list[Token]:
    """The tokens of `text` (normalised), with offsets valid in the original `text`."""
    pattern = _WORD_EN if language == "en" else _WORD
    tokens: list[Token] = []
    at_start = True
    for match in pattern.finditer(matching_form(text)):
        word = match.group(0)
        tokens.append(Token(word, match.start(), match.end(), at_start and word[:1].isalnum()))
        if word[:1].isalnum():
            at_start = False
        elif word in SENTENCE_END:
            at_start = True
    return tokens


def phrase_tokens(phrase: str, language: str) -> tuple[str, ...]:
    """The normalised token texts of a glossary phrase."""
    return tuple(token.text for token in tokenize(phrase, language))


def previous_word(tokens: list[Token], index: int) -> int | None:
    """Index of the nearest word before `index`, stopping at punctuation other than quotes."""
    position = index - 1
    while position >= 0 and tokens[position].text == '"':
        position -= 1
    if position >= 0 and tokens[position].is_word:
        return position
    return None


def next_word(tokens: list[Token], index: int) -> int | None:
    """Index of the nearest word at or after `index`, skipping quotes only."""
    position = index
    while position < len(tokens) and tokens[position].text == '"':
        position += 1
    if position < len(tokens) and tokens[position].is_word:
        return position
    return None
