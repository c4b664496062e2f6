"""One translation candidate: what engines produce and every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hypothesis:
    """One translation candidate."""

    text: str
    score: float
    """Length-normalised log-probability, as CTranslate2 reports it."""
    tokens: tuple[str, ...]
