"""Whether a term can be a glossary term at all: its size, and that it is not a common word.

A term is matched in every sentence of every request that names its glossary, and a match costs
model calls to verify and repair. A single character or a function word ("a", "в", "and")
matches nearly every sentence, so such a term is refused where it is written.
"""

from __future__ import annotations

from functools import cache

from service.glossary.enforcement.word_lists import grammar_lists
from service.vocab import LANGUAGES

MAX_TERM_CHARS = 200
"""Longer than any name or title in the news glossaries (the longest is under 80)."""
MAX_TERM_WORDS = 16
MAX_TERMS_PER_LANGUAGE = 32
"""Accepted terms (or forbidden variants) of one entry in one language."""


@cache
def function_words(language: str) -> frozenset[str]:
    """Words of `language` that occur in nearly every sentence: prepositions, conjunctions,
    articles and the English words before a term that hint its case (from the word lists)."""
    if language not in LANGUAGES:
        return frozenset()
    lists = grammar_lists(language)
    return frozenset({*lists.prepositions, *lists.conjunctions, *lists.articles, *lists.case_hints})


def unusable(term: str, language: str) -> str | None:
    """Why `term` (already checked for surrounding whitespace) cannot be a term, or None."""
    if len(term) > MAX_TERM_CHARS:
        return f"{len(term)} characters; a term has at most {MAX_TERM_CHARS}"
    words = term.split()
    if len(words) > MAX_TERM_WORDS:
        return f"{len(words)} words; a term has at most {MAX_TERM_WORDS}"
    if not any(char.isalnum() for char in term):
        return "has no letter or digit"
    if len(term) == 1:
        return "a single character matches nearly every text; write the name in full"
    common = function_words(language)
    if common and all(word.casefold() in common for word in words):
        return "only common words (prepositions, conjunctions, articles) match nearly every text"
    return None
