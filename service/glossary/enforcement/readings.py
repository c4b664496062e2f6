"""pymorphy3 readings of target and source words, and lemmas as the word lists spell them."""

from __future__ import annotations

from typing import Any

from service.glossary.analyzers import analyzer


def parses(word: str, language: str) -> list[Any]:
    """pymorphy3 parses of `word` (uk/ru); an empty list for other languages."""
    if language not in ("uk", "ru"):
        return []
    return list(analyzer(language).parse(word))


def lemma_key(normal_form: str) -> str:
    """A pymorphy3 lemma as the word lists spell it: with ' (the dictionary has ’ as well)."""
    return normal_form.replace("\u2019", "'").replace("\u02bc", "'")
