"""pymorphy3 readings of target and source words, and lemmas as the word lists spell them."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from service.glossary.analyzers import analyzer

PARSE_CACHE_SIZE = 8192
"""Words whose readings are kept. pymorphy3 spends up to 2 ms estimating the readings of a
common word (ru "в" has thirteen: the preposition and an abbreviation noun in every case),
and one sentence asks for its neighbours' readings many times over (the verifier, the case
resolver and the locator each look at the words around a term), and the words around terms are
mostly prepositions and common verbs, so a bounded cache answers nearly every call. About 2.3 KB
a word (tracemalloc over 3,937 demo-corpus words): 8,192 words stay under 20 MB."""


def parses(word: str, language: str) -> list[Any]:
    """pymorphy3 parses of `word` (uk/ru); an empty list for other languages."""
    if language not in ("uk", "ru"):
        return []
    return list(_parses(word, language))


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parses(word: str, language: str) -> tuple[Any, ...]:
    # Parse values are immutable namedtuples: one tuple can be shared by every thread.
    return tuple(analyzer(language).parse(word))


def lemma_key(normal_form: str) -> str:
    """A pymorphy3 lemma as the word lists spell it: with ' (the dictionary has ’ as well)."""
    return normal_form.replace("\u2019", "'").replace("\u02bc", "'")
