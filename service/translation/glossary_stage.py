"""The glossary stage of a request: which entries apply, where their terms occur, enforcement."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
import time
import traceback
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace

from service.errors import GlossaryError, InvalidArgumentError, NotFoundError, TlumachError, quoted
from service.glossary.enforcement.enforcer import Enforcer
from service.glossary.enforcement.match import TermMatch
from service.glossary.enforcement.report import EnforcementResult, TermReport
from service.glossary.enforcement.steps import drive
from service.glossary.model import CompiledEntry, Entry, Glossary
from service.glossary.paradigms.compiler import Compiler
from service.glossary.store import GlossaryStore
from service.glossary.validate import validate
from service.hypothesis import Hypothesis
from service.metrics import Metrics
from service.translation.batcher import BatchOptions
from service.translation.request import TranslationOptions, TranslationRequest
from service.translation.routes import CallAnswerer, RouteTranslator
from service.vocab import FAILED

logger = logging.getLogger(__name__)

N_BEST = 4
"""Hypotheses asked for a sentence whose terms came out wrong: one of them often has them right."""
INLINE_GLOSSARY_ID = "inline"


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
class RequestEntries:
    """The compiled entries a request names, and what they were compiled from."""

    entries: tuple[CompiledEntry, ...] = ()
    fingerprint: tuple[object, ...] = ()
    """(glossary id, revision) of each named glossary and a digest of the inline entries:
    requests with equal fingerprints are enforced with equal entries."""


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
        """The compiled entries a request names: inline entries first, then each glossary.

        Compiling inline entries is CPU work: call this off the event loop.
        """
        entries = list(self._inline_entries(request))
        fingerprint: list[object] = [inline_digest(request.inline_entries)]
        for index, glossary_id in enumerate(request.glossary_ids):
            field = f"glossary_ids[{index}]"
            if self._store is None:
                raise NotFoundError(
                    f"glossary {quoted(glossary_id)} not found: no glossaries loaded", field
                )
            compiled, revision = self._store.get_revision(glossary_id, field)
            entries.extend(compiled.entries)
            fingerprint.append((glossary_id, revision))
        return RequestEntries(tuple(entries), tuple(fingerprint))

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
                    f"entry {quoted(problem.entry_id)}: {problem.message}",
                )
        try:
            return self._compiler.compile(glossary).entries
        except GlossaryError as exc:
            raise InvalidArgumentError("inline_entries", str(exc)) from exc

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
        await self._widen_unsatisfied(translator, sentences, hypotheses, entries, options, deadline)
        indices = list(sentences.matches)
        results = await asyncio.gather(
            *(
                self._enforce_or_keep(
                    translator, sentences, hypotheses, i, entries, options, deadline
                )
                for i in indices
            )
        )
        for index, result in zip(indices, results, strict=True):
            best, *others = hypotheses[index]
            hypotheses[index] = [Hypothesis(result.text, best.score, best.tokens), *others]
            reports[index] = result.reports
            warnings[index] = result.warnings
        elapsed = time.monotonic() - started
        self._observe(translator.route.pair, [r for found in reports for r in found], elapsed)
        return Enforced(hypotheses, reports, warnings)

    async def _widen_unsatisfied(
        self,
        translator: RouteTranslator,
        sentences: Sentences,
        hypotheses: list[list[Hypothesis]],
        entries: Sequence[CompiledEntry],
        options: TranslationOptions,
        deadline: float | None,
    ) -> None:
        """Replace the hypotheses of sentences whose terms are wrong by an n-best list.

        Most sentences come out right; only the others pay for the wider beam, which often holds
        a hypothesis with every term right (better than repairing the best one).
        """
        source, target = translator.route.pair.split("-")
        loop = asyncio.get_running_loop()
        wrong = await loop.run_in_executor(
            self._executor,
            lambda: [
                index
                for index, matches in sentences.matches.items()
                if not self._enforcer.satisfied(
                    matches, source, target, hypotheses[index][0].text, entries
                )
            ],
        )
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
    ) -> EnforcementResult:
        """The enforced sentence, or, when enforcement raises, the model's text as it was.

        One sentence a rule cannot handle (pymorphy3 raised ValueError on a plural subject) must
        not fail a request of many texts: its terms are reported failed and the caller is told.
        Domain errors (a deadline, a full queue) still end the request as they should.
        """
        try:
            return await self._enforce_one(
                translator, sentences, hypotheses, index, entries, options, deadline
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
    ) -> EnforcementResult:
        source, target = translator.route.pair.split("-")
        steps = self._enforcer.enforce(
            sentences.sources[index],
            source,
            target,
            hypotheses[index],
            entries,
            model=True,
            enabled=options.enforce_glossary,
            matches=sentences.matches[index],
        )
        answer = CallAnswerer(translator, sentences.options[index], deadline)
        return await drive(steps, answer, self._executor)

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


def inline_digest(entries: Sequence[Entry]) -> str:
    """A digest of inline entries' content ("" for none): the same entries, the same digest."""
    if not entries:
        return ""
    canonical = json.dumps(
        [dataclasses.asdict(entry) for entry in entries], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
