"""Bad input: invisible and control characters, wrong-script look-alike letters, surrogates."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from service.errors import InvalidArgumentError
from service.text.lookalikes import (
    CYRILLIC_LOOKALIKES,
    CYRILLIC_TO_LATIN,
    LATIN_LOOKALIKES,
    LATIN_TO_CYRILLIC,
)
from service.text.offsets import IDENTITY, OffsetMap, OffsetMapBuilder

# Invisible characters that split words for the model but carry no text: zero-width space,
# word joiner, BOM inside text, soft hyphen. ZWJ/ZWNJ are dropped only between letters (emoji
# sequences need ZWJ).
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad]|(?<=[^\W\d_])[\u200c\u200d](?=[^\W\d_])")
# C0/C1 controls and DEL, except tab, newline and carriage return, which are layout.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# A character and the combining marks after it: the unit Unicode composition works on.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_CLUSTER = re.compile(rf".[{_MARKS}]*", re.S)
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Checked:
    """The text to translate and what was changed in it."""

    text: str
    warnings: tuple[str, ...] = ()
    offsets: OffsetMap = IDENTITY
    """Positions of `text` back to the text the caller sent."""


def check_text(text: str, field: str) -> Checked:
    """Normalise what can be normalised (with a warning); reject what cannot."""
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise InvalidArgumentError(
            field,
            f"unpaired UTF-16 surrogate at character {surrogate.start()}; send valid Unicode text",
        )
    warnings: list[str] = []
    normal, offsets = _compose(text)
    if normal != text:
        warnings.append(f"{field}: combining characters composed (Unicode NFC)")
    for pattern, what in ((_CONTROL, "control"), (_INVISIBLE, "zero-width or invisible")):
        normal, removed, count = _remove(pattern, normal)
        offsets = removed.following(offsets)
        if count:
            warnings.append(f"{field}: removed {count} {what} character(s)")
    # Look-alike letters are replaced one for one: positions do not move.
    normal, fixed = _fix_mixed_words(normal)
    if fixed:
        warnings.append(
            f"{field}: {fixed} word(s) mixed Latin and Cyrillic look-alike letters; "
            "written in one script"
        )
    return Checked(normal, tuple(warnings), offsets)


def _compose(text: str) -> tuple[str, OffsetMap]:
    """`text` in NFC, with a map back: each starter and its combining marks compose alone."""
    if unicodedata.is_normalized("NFC", text):
        return text, IDENTITY
    builder = OffsetMapBuilder()
    pieces: list[str] = []
    for cluster in _CLUSTER.findall(text):
        composed = unicodedata.normalize("NFC", cluster)
        pieces.append(composed)
        if composed == cluster:
            builder.copy(len(cluster))
        else:
            builder.replace(len(composed), len(cluster))
    normal = "".join(pieces)
    if normal != unicodedata.normalize("NFC", text):  # composition across clusters (Hangul)
        return unicodedata.normalize("NFC", text), IDENTITY
    return normal, builder.build()


def _remove(pattern: re.Pattern[str], text: str) -> tuple[str, OffsetMap, int]:
    """`text` without the matches of `pattern`, a map back, and how many were removed."""
    builder = OffsetMapBuilder()
    kept: list[str] = []
    cursor = count = 0
    for match in pattern.finditer(text):
        kept.append(text[cursor : match.start()])
        builder.copy(match.start() - cursor)
        builder.replace(0, match.end() - match.start())
        cursor = match.end()
        count += 1
    if not count:
        return text, IDENTITY, 0
    kept.append(text[cursor:])
    return "".join(kept), builder.build(), count


def _fix_mixed_words(text: str) -> tuple[str, int]:
    fixed = 0

    def repair(match: re.Match[str]) -> str:
        nonlocal fixed
        word = match.group(0)
        cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in word)
        latin = sum(ch.isascii() for ch in word)
        if not cyrillic or not latin:
            return word
        if cyrillic >= latin and all(ch in LATIN_LOOKALIKES for ch in word if ch.isascii()):
            fixed += 1
            return word.translate(LATIN_TO_CYRILLIC)
        if latin > cyrillic and all(
            ch in CYRILLIC_LOOKALIKES for ch in word if "\u0400" <= ch <= "\u04ff"
        ):
            fixed += 1
            return word.translate(CYRILLIC_TO_LATIN)
        return word

    return _WORD.sub(repair, text), fixed
