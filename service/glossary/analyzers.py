"""The pymorphy3 analyzers, one per language and process, shared by compiling and enforcing."""

from __future__ import annotations

from functools import cache

import pymorphy3


@cache
def analyzer(language: str) -> pymorphy3.MorphAnalyzer:
    """The analyzer of `language` (uk or ru), built on first use: each holds its dictionary."""
    return pymorphy3.MorphAnalyzer(lang=language)
