"""The glossary stage of a request: which entries apply, n-best decoding and enforcement."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from service.batcher import BatchOptions
from service.engine import Hypothesis
from service.glossary.model import CompiledEntry
from service.metrics import Metrics
from service.request import TermReport, TranslationOptions, TranslationRequest
from service.translator import RouteTranslator

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UnitTerms:
    """Compiled glossary entries that apply to a request, in precedence order."""

    entries: tuple[CompiledEntry, ...] = ()


@dataclass(frozen=True)
class UnitsOutcome:
    """Translations of a document's units, with the glossary report."""

    texts: list[str]
    reports: tuple[TermReport, ...] = ()
    warnings: tuple[str, ...] = ()
    alternatives: tuple[list[str], ...] = ()
    """Per rank (second best, third...), the text of every unit."""


class TermStage:
    """Decodes a document's units and enforces the request's glossaries on them."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def entries_for(self, request: TranslationRequest) -> UnitTerms:
        """The compiled entries a request names (inline entries first)."""
        return UnitTerms()

    async def translate_units(
        self,
        translator: RouteTranslator,
        parts: Sequence[Sequence[str]],
        masked_units: Sequence[str],
        source: str,
        target: str,
        terms: UnitTerms,
        options: TranslationOptions,
        deadline: float | None,
    ) -> UnitsOutcome:
        """Translate every unit (all parts of all units in shared batches)."""
        flat = [part for unit_parts in parts for part in unit_parts]
        batch_options = BatchOptions(
            beam_size=options.beam_size or None, num_hypotheses=1 + options.alternatives
        )
        hypotheses = await translator.translate(flat, batch_options, deadline=deadline)
        per_unit = _regroup(hypotheses, parts)
        texts = [_join_best(unit, 0) for unit in per_unit]
        alternatives = tuple(
            [_join_best(unit, rank) for unit in per_unit]
            for rank in range(1, 1 + options.alternatives)
        )
        return UnitsOutcome(texts=texts, alternatives=alternatives)


def _regroup(
    hypotheses: Sequence[list[Hypothesis]], parts: Sequence[Sequence[str]]
) -> list[list[list[Hypothesis]]]:
    grouped: list[list[list[Hypothesis]]] = []
    position = 0
    for unit_parts in parts:
        grouped.append(list(hypotheses[position : position + len(unit_parts)]))
        position += len(unit_parts)
    return grouped


def _join_best(unit: Sequence[list[Hypothesis]], rank: int) -> str:
    """The unit's parts joined, each at hypothesis `rank` (or its best when fewer exist)."""
    return " ".join((part[rank] if rank < len(part) else part[0]).text for part in unit if part)
