"""The glossary stage of a request: which entries apply, n-best decoding and enforcement."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from service.batcher import BatchOptions
from service.engine import Hypothesis
from service.errors import GlossaryError, InvalidArgumentError, NotFoundError
from service.glossary.compile import Compiler
from service.glossary.enforce import Enforcer
from service.glossary.match import TermMatch
from service.glossary.model import CompiledEntry, Glossary
from service.glossary.report import EnforcementResult, TermReport
from service.glossary.store import GlossaryStore
from service.glossary.validate import validate
from service.metrics import Metrics
from service.request import TranslationOptions, TranslationRequest
from service.translator import RouteTranslator

logger = logging.getLogger(__name__)

N_BEST = 4
"""Hypotheses asked for a sentence whose terms came out wrong: one of them often has them right."""
INLINE_GLOSSARY_ID = "inline"


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


@dataclass(frozen=True)
class _Job:
    """What every sentence of one text shares during decoding and enforcement."""

    translator: RouteTranslator
    source: str
    target: str
    entries: tuple[CompiledEntry, ...]
    options: TranslationOptions
    deadline: float | None
    loop: asyncio.AbstractEventLoop


class TermStage:
    """Decodes a document's units and enforces the request's glossaries on them."""

    def __init__(
        self,
        metrics: Metrics,
        enforcer: Enforcer,
        compiler: Compiler | None = None,
        store: GlossaryStore | None = None,
    ) -> None:
        self._metrics = metrics
        self._enforcer = enforcer
        self._compiler = compiler
        self._store = store

    def entries_for(self, request: TranslationRequest) -> UnitTerms:
        """The compiled entries a request names: inline entries first, then each glossary."""
        entries = list(self._inline_entries(request))
        for glossary_id in request.glossary_ids:
            if self._store is None:
                raise NotFoundError(f"glossary {glossary_id!r} not found: no glossaries loaded")
            entries.extend(self._store.get(glossary_id).entries)
        return UnitTerms(tuple(entries))

    def _inline_entries(self, request: TranslationRequest) -> tuple[CompiledEntry, ...]:
        if not request.inline_entries:
            return ()
        if self._compiler is None:
            raise InvalidArgumentError("inline_entries", "this server has no glossary compiler")
        glossary = Glossary(INLINE_GLOSSARY_ID, "inline entries", request.inline_entries)
        ids = [entry.id for entry in request.inline_entries]
        for problem in validate(glossary):
            if problem.is_error:
                index = ids.index(problem.entry_id) if problem.entry_id in ids else 0
                raise InvalidArgumentError(
                    f"inline_entries[{index}].{problem.field or 'id'}",
                    f"entry {problem.entry_id!r}: {problem.message}",
                )
        try:
            return self._compiler.compile(glossary).entries
        except GlossaryError as exc:
            raise InvalidArgumentError("inline_entries", str(exc)) from exc

    async def translate_units(
        self,
        translator: RouteTranslator,
        parts: Sequence[Sequence[str]],
        source: str,
        target: str,
        terms: UnitTerms,
        options: TranslationOptions,
        deadline: float | None,
    ) -> UnitsOutcome:
        """Translate every unit (all parts of all units in shared batches), enforcing terms."""
        loop = asyncio.get_running_loop()
        job = _Job(translator, source, target, terms.entries, options, deadline, loop)
        flat = [part for unit_parts in parts for part in unit_parts]
        hypotheses, termed = await asyncio.gather(
            self._decode(job, flat), self._parts_with_terms(job, flat)
        )
        reports: list[TermReport] = []
        warnings: list[str] = []
        if termed:
            started = time.monotonic()
            await self._widen_unsatisfied(job, flat, hypotheses, termed)
            enforced = await asyncio.to_thread(self._enforce, job, flat, hypotheses, termed)
            for index, result in zip(termed, enforced, strict=True):
                best = hypotheses[index][0]
                hypotheses[index][0] = Hypothesis(result.text, best.score, best.tokens)
                reports.extend(result.reports)
                warnings.extend(result.warnings)
            self._observe(translator.route.pair, reports, time.monotonic() - started)
        per_unit = _regroup(hypotheses, parts)
        texts = [_join_best(unit, 0) for unit in per_unit]
        alternatives = tuple(
            [_join_best(unit, rank) for unit in per_unit]
            for rank in range(1, 1 + options.alternatives)
        )
        return UnitsOutcome(texts, tuple(reports), tuple(warnings), alternatives)

    async def _parts_with_terms(self, job: _Job, flat: list[str]) -> dict[int, list[TermMatch]]:
        """Sentence index -> the glossary terms found in it, for sentences that have some."""
        if not job.entries:
            return {}
        found = await asyncio.to_thread(
            lambda: [
                self._enforcer.find_terms(part, job.source, job.target, job.entries)
                for part in flat
            ]
        )
        return {index: matches for index, matches in enumerate(found) if matches}

    @staticmethod
    async def _decode(job: _Job, flat: list[str]) -> list[list[Hypothesis]]:
        """Every sentence with the request's own options, in shared batches."""
        options = BatchOptions(
            beam_size=job.options.beam_size or None, num_hypotheses=1 + job.options.alternatives
        )
        return [
            list(h) for h in await job.translator.translate(flat, options, deadline=job.deadline)
        ]

    async def _widen_unsatisfied(
        self,
        job: _Job,
        flat: list[str],
        hypotheses: list[list[Hypothesis]],
        termed: dict[int, list[TermMatch]],
    ) -> None:
        """Replace the hypotheses of sentences whose terms are wrong by an n-best list.

        Most sentences come out right; only the others pay for the wider beam, which often holds
        a hypothesis with every term right (better than repairing the best one).
        """
        wrong = await asyncio.to_thread(
            lambda: [
                index
                for index in termed
                if not self._enforcer.satisfied(
                    termed[index], job.source, job.target, hypotheses[index][0].text, job.entries
                )
            ]
        )
        if not wrong:
            return
        beam = job.options.beam_size or 0
        options = BatchOptions(
            beam_size=max(N_BEST, beam), num_hypotheses=max(N_BEST, 1 + job.options.alternatives)
        )
        widened = await job.translator.translate(
            [flat[index] for index in wrong], options, deadline=job.deadline
        )
        for index, hyps in zip(wrong, widened, strict=True):
            hypotheses[index] = list(hyps)

    def _enforce(
        self,
        job: _Job,
        flat: list[str],
        hypotheses: list[list[Hypothesis]],
        termed: dict[int, list[TermMatch]],
    ) -> list[EnforcementResult]:
        """Enforce each sentence with terms, in a worker thread (repairs call back the loop)."""
        decoder = job.translator.decoder(job.loop)
        return [
            self._enforcer.enforce(
                flat[index],
                job.source,
                job.target,
                hypotheses[index],
                job.entries,
                decoder,
                enabled=job.options.enforce_glossary,
                matches=matches,
            )
            for index, matches in termed.items()
        ]

    def _observe(self, pair: str, reports: list[TermReport], elapsed: float) -> None:
        self._metrics.stage_duration.labels("glossary", pair).observe(elapsed)
        for report in reports:
            self._metrics.glossary_terms.labels(pair, report.outcome).inc()


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
