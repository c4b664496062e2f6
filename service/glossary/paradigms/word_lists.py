"""The word lists building paradigms reads per language (`data/<language>.yaml`), typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from service.glossary.language_data import named_lists, read_language_file, words

_PACKAGE = "service.glossary.paradigms"


@dataclass(frozen=True)
class ParadigmLists:
    """Endings that decide how an unknown word or a name inflects, in one language."""

    adjective_endings: tuple[str, ...] = ()
    archaic_adjective_endings: tuple[str, ...] = ()
    long_dative_endings: tuple[str, ...] = ()
    adjectival_surname_endings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Gender -> endings of surnames that decline like adjectives."""
    declining_o_surname_endings: tuple[str, ...] = ()
    hushing_letters: tuple[str, ...] = ()
    """Stem-final letters after which an -о- ending is written -е- (uk Кулішем, ru Сашей)."""
    adjectival_genitive_endings: tuple[str, ...] = ()
    """Genitive endings of adjectives: a noun with one declines like an adjective (Хрустальний)."""


@cache
def paradigm_lists(language: str) -> ParadigmLists:
    """The lists of `language` (uk or ru: the inflected languages)."""
    table = read_language_file(_PACKAGE, language)
    return ParadigmLists(
        adjective_endings=words(table, "adjective_endings"),
        archaic_adjective_endings=words(table, "archaic_adjective_endings"),
        long_dative_endings=words(table, "long_dative_endings"),
        adjectival_surname_endings=named_lists(table, "adjectival_surname_endings"),
        declining_o_surname_endings=words(table, "declining_o_surname_endings"),
        hushing_letters=words(table, "hushing_letters"),
        adjectival_genitive_endings=words(table, "adjectival_genitive_endings"),
    )
