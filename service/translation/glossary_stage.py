"""The glossary stage of a request: which entries apply, where their terms occur, enforcement."""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace

from service.errors import TlumachError
from service.glossary.enforcement.enforcer import Enforcer
from service.glossary.enforcement.match import TermMatch
from service.glossary.enforcement.report import EnforcementResult, TermReport
from service.glossary.enforcement.steps import Done, ModelCall, Steps, advance, drive
from service.glossary.enforcement.verify import TranslationCheck
from service.glossary.model import CompiledEntry
from service.glossary.paradigms.compiler import Compiler
from service.glossary.store import GlossaryStore
from service.hypothesis import Hypothesis
from service.metrics import Metrics
from service.translation.batcher import BatchOptions
from service.translation.glossary_entries import RequestEntries, request_entries
from service.translation.request import TranslationOptions, TranslationRequest
from service.translation.routes import CallAnswerer, RouteTranslator
from service.vocab import FAILED

logger = logging.getLogger(__name__)

N_BEST = 4
"""Hypotheses asked for a sentence whose terms came out wrong: one of them often has them right."""


@dataclass(frozen=True)
class Sentences:
    """A text's sentences as decoded so far, with the glossary terms found in them."""

    sources: Sequence[str]
    hypotheses: list[list[Hypothesis]]
    """Per sentence, best first."""
    options: Sequence[BatchOptions]
    """Per sentence, the options it was decoded with (re-decodes keep them)."""
    matches: dict[int, list[TermMatch]]
    """Sentence index -> the terms found in it, for sentences that have some."""


@dataclass(frozen=True)
class Enforced:
    """Sentences after enforcement: the best hypothesis of each holds the enforced text."""

    hypotheses: list[list[Hypothesis]]
    reports: list[tuple[TermReport, ...]]
    """Per sentence, its terms (offsets into that sentence)."""
    warnings: list[tuple[str, ...]]
    """Per sentence, what enforcement could not do."""


@dataclass(frozen=True)
class _Begun:
    """A sentence's enforcement as the first trip to the executor left it."""

    steps: Steps[EnforcementResult] | None = None
    """None when its best hypothesis has a term wrong (it is widened, then enforced) or when
    enforcing it raised."""
    step: ModelCall | Done[EnforcementResult] | None = None
    """Where `steps` stopped: its end, or the model call it waits for."""
    error: Exception | None = None
    """What enforcement raised, reported with the sentence."""


class GlossaryStage:
    """Finds a request's glossary terms in its sentences and enforces them on the translations.

    The CPU work (compiling inline entries, matching, verifying, repairing) runs in `executor`;
    every model call it needs goes through the batchers with the request's deadline.
    """

    def __init__(
        self,
        metrics: Metrics,
        enforcer: Enforcer,
        executor: Executor,
        compiler: Compiler | None = None,
        store: GlossaryStore | None = None,
    ) -> None:
        self._metrics = metrics
        self._enforcer = enforcer
        self._executor = executor
        self._compiler = compiler
        self._store = store

    def entries_for(self, request: TranslationRequest) -> RequestEntries:
        """The compiled entries a request names (CPU work: call this off the event loop)."""
        return request_entries(request, self._compiler, self._store)

    def find(
        self,
        sources: Sequence[str],
        source: str,
        target: str,
        entries: Sequence[CompiledEntry],
    ) -> dict[int, list[TermMatch]]:
        """Sentence index -> the glossary terms found in it (CPU work: call off the loop)."""
        if not entries:
            return {}
        found = (self._enforcer.find_terms(s, source, target, entries) for s in sources)
        return {index: matches for index, matches in enumerate(found) if matches}

    async def enforce(
        self,
        translator: RouteTranslator,
        sentences: Sentences,
        entries: Sequence[CompiledEntry],
        options: TranslationOptions,
        deadline: float | None,
    ) -> Enforced:
        """Make every sentence with terms use them in the right form, and report each term."""
        hypotheses = list(sentences.hypotheses)
        reports: list[tuple[TermReport, ...]] = [() for _ in sentences.sources]
        warnings: list[tuple[str, ...]] = [() for _ in sentences.sources]
        if not sentences.matches:
            return Enforced(hypotheses, reports, warnings)
        started = time.monotonic()
        pair = translator.route.pair
        loop = asyncio.get_running_loop()
        begun = await loop.run_in_executor(
            self._executor, self._begin, pair, sentences, hypotheses, entries, options
        )
        wrong = [i for i, first in begun.items() if first.steps is None and first.error is None]
        await self._widen(translator, sentences, hypotheses, wrong, options, deadline)
        results = await asyncio.gather(
            *(
                self._enforce_or_keep(
                    translator, sentences, hypotheses, index, entries, options, deadline, first
                )
                for index, first in begun.items()
            )
        )
        for index, result in zip(begun, results, strict=True):
            best, *others = hypotheses[index]
            hypotheses[index] = [Hypothesis(result.text, best.score, best.tokens), *others]
            reports[index] = result.reports
            warnings[index] = result.warnings
        elapsed = time.monotonic() - started
        self._observe(pair, [r for found in reports for r in found], elapsed)
        return Enforced(hypotheses, reports, warnings)

    def _begin(
        self,
        pair: str,
        sentences: Sentences,
        hypotheses: list[list[Hypothesis]],
        entries: Sequence[CompiledEntry],
        options: TranslationOptions,
    ) -> dict[int, _Begun]:
        """Check each sentence's best hypothesis; enforce the right ones as far as they go.

        Most sentences come out with every term right: checking and reporting them in this one
        trip to the executor finishes them (a trip costs more than the check on a busy machine).
        Sentences with a term wrong are left to be widened to an n-best list first.
        """
        source, target = pair.split("-")
        begun: dict[int, _Begun] = {}
        for index, matches in sentences.matches.items():
            try:
                checked = self._enforcer.check(
                    matches, source, target, hypotheses[index][0].text, entries
                )
                if not checked.satisfied:
                    begun[index] = _Begun()
                    continue
                steps = self._steps(pair, sentences, hypotheses, index, entries, options, checked)
                begun[index] = _Begun(steps, advance(steps))
            except Exception as error:  # reported per sentence by _enforce_or_keep
                begun[index] = _Begun(error=error)
        return begun

    async def _widen(
        self,
        translator: RouteTranslator,
        sentences: Sentences,
        hypotheses: list[list[Hypothesis]],
        wrong: Sequence[int],
        options: TranslationOptions,
        deadline: float | None,
    ) -> None:
        """Replace the hypotheses of sentences whose terms are wrong by an n-best list.

        Most sentences come out right; only the others pay for the wider beam, which often holds
        a hypothesis with every term right (better than repairing the best one).
        """
        beam = max(N_BEST, options.beam_size or 0)
        count = max(N_BEST, 1 + options.alternatives)
        widened = await asyncio.gather(
            *(
                translator.translate(
                    [sentences.sources[index]],
                    replace(sentences.options[index], beam_size=beam, num_hypotheses=count),
                    deadline=deadline,
                )
                for index in wrong
            )
        )
        for index, [hyps] in zip(wrong, widened, strict=True):
            hypotheses[index] = list(hyps)

    async def _enforce_or_keep(
        self,
        translator: RouteTranslator,
        sentences: Sentences,
        hypotheses: list[list[Hypothesis]],
        index: int,
        entries: Sequence[CompiledEntry],
        options: TranslationOptions,
        deadline: float | None,
        first: _Begun,
    ) -> EnforcementResult:
        """The enforced sentence, or, when enforcement raises, the model's text as it was.

        One sentence a rule cannot handle (pymorphy3 raised ValueError on a plural subject) must
        not fail a request of many texts: its terms are reported failed and the caller is told.
        Domain errors (a deadline, a full queue) still end the request as they should.
        """
        try:
            if first.error is not None:
                raise first.error
            return await self._enforce_one(
                translator, sentences, hypotheses, index, entries, options, deadline, first
            )
        except TlumachError:
            raise
        except Exception as error:  # anything else is our fault in one sentence, never the caller's
            # The type and the place, not the message or a traceback: either may quote a word.
            where = traceback.extract_tb(error.__traceback__)[-1]
            logger.error(
                "glossary enforcement failed on one sentence (pair %s, %d terms): %s at %s:%d; "
                "the model's text is returned",
                translator.route.pair,
                len(sentences.matches[index]),
                type(error).__name__,
                where.filename,
                where.lineno or 0,
            )
            self._metrics.glossary_errors.labels(translator.route.pair).inc()
            return _unenforced(hypotheses[index][0].text, sentences.matches[index])

    async def _enforce_one(
        self,
        translator: RouteTranslator,
        sentences: Sentences,
        hypotheses: list[list[Hypothesis]],
        index: int,
        entries: Sequence[CompiledEntry],
        options: TranslationOptions,
        deadline: float | None,
        first: _Begun,
    ) -> EnforcementResult:
        if isinstance(first.step, Done):
            return first.step.value
        answer = CallAnswerer(translator, sentences.options[index], deadline)
        if first.steps is not None and first.step is not None:
            return await drive(first.steps, answer, self._executor, pending=first.step)
        pair = translator.route.pair
        steps = self._steps(pair, sentences, hypotheses, index, entries, options, None)
        return await drive(steps, answer, self._executor)

    def _steps(
        self,
        pair: str,
        sentences: Sentences,
        hypotheses: list[list[Hypothesis]],
        index: int,
        entries: Sequence[CompiledEntry],
        options: TranslationOptions,
        checked: TranslationCheck | None,
    ) -> Steps[EnforcementResult]:
        source, target = pair.split("-")
        return self._enforcer.enforce(
            sentences.sources[index],
            source,
            target,
            hypotheses[index],
            entries,
            model=True,
            enabled=options.enforce_glossary,
            matches=sentences.matches[index],
            checked=checked,
        )

    def _observe(self, pair: str, reports: list[TermReport], elapsed: float) -> None:
        self._metrics.stage_duration.labels("glossary", pair).observe(elapsed)
        for report in reports:
            self._metrics.glossary_terms.labels(pair, report.outcome).inc()


def _unenforced(text: str, matches: Sequence[TermMatch]) -> EnforcementResult:
    """The model's text with every term reported failed, for a sentence enforcement gave up on."""
    reports = tuple(
        TermReport(
            entry_id=match.entry.entry.id,
            glossary_id=match.entry.glossary_id,
            source_text=match.text,
            source_start=match.start,
            source_end=match.end,
            target_text="",
            grammatical_case="",
            outcome=FAILED,
            method="error",
        )
        for match in matches
    )
    warning = "glossary enforcement failed on a sentence: its terms were left as translated"
    return EnforcementResult(text, reports, (warning,))
