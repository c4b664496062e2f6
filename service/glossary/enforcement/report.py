"""What glossary enforcement did with each term occurrence, and the result of one sentence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TermReport:
    """One source term occurrence: where it was, what the target holds now, and how it got there.

    The edge's codec maps it, field by field, onto the API's TermReport message.
    """

    entry_id: str
    glossary_id: str
    source_text: str
    source_start: int
    source_end: int
    target_text: str
    """The form the translation holds (or, when not enforced, would hold)."""
    grammatical_case: str
    outcome: str
    method: str
    """How the span was found and the form chosen, e.g. "forbidden+preposition"."""
    original_text: str = ""
    """What the translation had before the repair ("" when nothing was there or kept)."""


@dataclass(frozen=True)
class EnforcementResult:
    """The enforced translation of one sentence, its per-term report and any warnings."""

    text: str
    reports: tuple[TermReport, ...] = ()
    warnings: tuple[str, ...] = ()
    changed: bool = False
    """True when `text` differs from the hypothesis the model ranked best."""
