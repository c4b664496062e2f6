"""The morphological analyzers, one per language and process, shared by compiling and enforcing."""

from __future__ import annotations

from functools import cache, lru_cache

import pymorphy3


@cache
def analyzer(language: str) -> pymorphy3.MorphAnalyzer:
    """The analyzer of `language` (uk or ru), built on first use: each holds its dictionary."""
    return pymorphy3.MorphAnalyzer(lang=language)


@lru_cache(maxsize=8192)
def english_lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """Part of speech -> lemmas of an English word, from lemminflect's dictionary ({} if unknown).

    lemminflect is imported on first use: it loads its tables then, never at import time.
    """
    import lemminflect

    return dict(lemminflect.getAllLemmas(word))


@lru_cache(maxsize=4096)
def english_participle(lemma: str) -> tuple[str, ...]:
    """The past participles of an English verb lemma ("hit" -> hit, "liberate" -> liberated)."""
    import lemminflect

    return tuple(lemminflect.getInflection(lemma, "VBN"))
