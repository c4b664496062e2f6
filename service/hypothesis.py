"""One translation candidate (and its alignment): what engines produce, later stages read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hypothesis:
    """One translation candidate."""

    text: str
    score: float
    """Length-normalised log-probability, as CTranslate2 reports it."""
    tokens: tuple[str, ...]
    alignment: Alignment | None = None
    """Where the translation's pieces attend in the source, when alignment was asked for."""


@dataclass(frozen=True)
class Alignment:
    """Attention of a translation's pieces on its source's pieces, with where each piece sits."""

    source_spans: tuple[tuple[int, int], ...]
    """Character span of each source piece in the source text (empty for a bare "▁")."""
    target_spans: tuple[tuple[int, int], ...]
    weights: tuple[tuple[float, ...], ...]
    """weights[t][s]: how much target piece t attends to source piece s (a row sums to ~1)."""
