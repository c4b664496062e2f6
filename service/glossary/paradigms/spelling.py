"""Surface shape of glossary words: which never inflect, apostrophes, and letter case."""

from __future__ import annotations

import re

# Ukrainian writes the apostrophe three ways; the uk dictionary knows only the ASCII one.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'"})
_CYRILLIC_WORD = re.compile(r"^[А-ЯЁЇІЄҐа-яёїієґ'\u2019\u02bc-]+$")
_QUOTES = "«»\"“”„‘'"
_VOWELS = "аеєиіїоуюяыэё"


def dictionary_key(word: str) -> str:
    """The lower-case lookup key pymorphy3 expects."""
    return word.translate(_APOSTROPHES).lower()


def is_frozen_token(token: str) -> bool:
    """True for tokens that never inflect: quoted names, abbreviations, Latin, digits, initials."""
    if not token or token[0] in _QUOTES or token[-1] in _QUOTES:
        return True
    if not _CYRILLIC_WORD.match(token):
        return True
    letters = [char for char in token if char.isalpha()]
    # ЗСУ, НАТО, АЕС: abbreviations are written in capitals and do not decline.
    return len(letters) > 1 and all(char.isupper() for char in letters)


def hushing_spelling(original: str, form: str) -> str:
    """Write и, never ы, after ж ш ч щ in an ending (Ладожи), unless the name has it (Шымкент)."""
    for hushing in "жшчщ":
        bigram = hushing + "ы"
        if bigram in form.lower() and bigram not in original.lower():
            form = form.replace(bigram, hushing + "и").replace(
                bigram.upper(), (hushing + "и").upper()
            )
    return form


def ends_in_consonant(word: str) -> bool:
    """True when the word's last letter is a consonant (й and ь count as consonant-final)."""
    return bool(word) and word[-1].lower() not in _VOWELS


def restore_case(original: str, form: str) -> str:
    """Give `form` (lower case) the capitalisation of `original`, hyphenated part by part."""
    if original.isupper() and len(original) > 1:
        return form.upper()
    original_parts = original.split("-")
    form_parts = form.split("-")
    if len(original_parts) != len(form_parts):
        return form[:1].upper() + form[1:] if original[:1].isupper() else form
    return "-".join(
        part[:1].upper() + part[1:] if source[:1].isupper() else part
        for source, part in zip(original_parts, form_parts, strict=True)
    )


def restore_apostrophe(original: str, form: str) -> str:
    """Write the apostrophe of `original` back into `form` (the dictionary uses ASCII)."""
    for mark in ("\u2019", "\u02bc", "`"):
        if mark in original:
            return form.replace("'", mark)
    return form
