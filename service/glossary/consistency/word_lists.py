"""The word lists the consistency stage reads per language (`data/<language>.yaml`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from service.glossary.language_data import read_language_file, words

_PACKAGE = "service.glossary.consistency"


@dataclass(frozen=True)
class NameLists:
    """What marks a name in one language and what the words around it say (see the files)."""

    not_names: frozenset[str] = frozenset()
    classifiers: frozenset[str] = frozenset()
    place_before: frozenset[str] = frozenset()
    person_before: frozenset[str] = frozenset()
    person_after: frozenset[str] = frozenset()
    endings: tuple[str, ...] = ()
    """Noun case endings, longest first."""
    feminine_surnames: tuple[str, ...] = ()


@cache
def name_lists(language: str) -> NameLists:
    """The lists of `language` (en, uk or ru)."""
    table = read_language_file(_PACKAGE, language)
    return NameLists(
        not_names=frozenset(words(table, "not_names")),
        classifiers=frozenset(words(table, "classifiers")),
        place_before=frozenset(words(table, "place_before")),
        person_before=frozenset(words(table, "person_before")),
        person_after=frozenset(words(table, "person_after")),
        endings=words(table, "endings"),
        feminine_surnames=words(table, "feminine_surnames"),
    )
