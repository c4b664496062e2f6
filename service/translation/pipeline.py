"""One translation request, in order: admit, check, detect, segment, protect, match terms,
translate, guard the target language, enforce the glossary, keep names consistent, score,
restore, rebuild."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import Executor
from typing import ParamSpec, TypeVar

from service.config import Settings
from service.errors import DeadlineExceededError
from service.glossary.enforcement.match import TermMatch
from service.metrics import Metrics
from service.translation.admission import Admission, estimate_sentences
from service.translation.batcher import Batcher, BatchOptions
from service.translation.consistency_stage import ConsistencyStage
from service.translation.directions import Directions, requested_pair
from service.translation.glossary_entries import RequestEntries
from service.translation.glossary_stage import Enforced, GlossaryStage, Sentences
from service.translation.guard_stage import GuardStage
from service.translation.preparation import Prepared, Preparer, Unchanged
from service.translation.request import (
    DEMO_MODEL_WARNING,
    TranslationRequest,
    TranslationResult,
)
from service.translation.routes import RouteTranslator
from service.translation.scores import part_scores, rescored, sentence_scores, summary
from service.translation.sentence_cache import Finished, SentenceCache
from service.translation.units import rebuild

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


class Pipeline:
    """Turns a validated request into results; shared by Translate and TranslateStream.

    CPU-bound text work runs in `executor` (never the batchers' threads, never the event loop);
    every model call goes through a batcher with the request's deadline.
    """

    def __init__(
        self,
        settings: Settings,
        batchers: Mapping[str, Batcher],
        metrics: Metrics,
        preparer: Preparer,
        guard: GuardStage,
        glossary: GlossaryStage,
        cache: SentenceCache,
        executor: Executor,
        admission: Admission,
        consistency: ConsistencyStage | None = None,
    ) -> None:
        self._settings = settings
        self._batchers = batchers
        self._metrics = metrics
        self._preparer = preparer
        self._guard = guard
        self._glossary = glossary
        self._cache = cache
        self._executor = executor
        self._admission = admission
        self._consistency = consistency

    async def translate(
        self,
        request: TranslationRequest,
        deadline: float | None = None,
        directions: Directions | None = None,
    ) -> list[TranslationResult]:
        """Results in request order; raises domain errors for the caller's mistakes.

        Past `deadline` (a `time.monotonic()` value) the work is abandoned with
        DeadlineExceededError; a request the server cannot finish in time is refused at once.
        `directions` learns where each text goes (for the caller's metrics).
        """
        if directions is None:
            directions = Directions(
                requested_pair(request.source_language, request.target_language)
            )
        request.validate(self._settings)
        sentences = estimate_sentences(request.texts)
        with self._admission.admit(
            request.source_language, request.target_language, sentences, deadline
        ):
            try:
                async with asyncio.timeout_at(deadline):
                    entries = await self._entries(request)
                    return list(
                        await asyncio.gather(
                            *(
                                self._translate_text(
                                    i, text, request, entries, deadline, directions
                                )
                                for i, text in enumerate(request.texts)
                            )
                        )
                    )
            except TimeoutError:
                raise DeadlineExceededError("deadline passed during translation") from None

    async def _translate_text(
        self,
        index: int,
        text: str,
        request: TranslationRequest,
        entries: RequestEntries,
        deadline: float | None,
        directions: Directions,
    ) -> TranslationResult:
        # 1-3. Check and detect; segment, protect, cut; match glossary terms.
        started = time.monotonic()
        prepared = await self._off_loop(
            self._preparer.prepare, index, text, request, entries.entries
        )
        found = prepared.found
        if isinstance(prepared, Unchanged):
            return TranslationResult(
                text, found.source, found.confidence, "", warnings=tuple(found.warnings)
            )
        self._metrics.stage_duration.labels("encode", prepared.route.pair).observe(
            time.monotonic() - started
        )
        with directions.translating(prepared.route.pair):
            return await self._translate_prepared(text, prepared, request, entries, deadline)

    async def _translate_prepared(
        self,
        text: str,
        prepared: Prepared,
        request: TranslationRequest,
        entries: RequestEntries,
        deadline: float | None,
    ) -> TranslationResult:
        """Steps 4-8 for one text whose direction is known."""
        found, route = prepared.found, prepared.route
        # 4-6. Translate, guard, enforce and score every sentence the cache does not hold.
        finished = await self._finish(prepared, request, entries, deadline)
        # 7. Names no glossary covers: every mention as the model wrote it where it was surest.
        final = await self._keep_names_consistent(prepared, finished, request, deadline)
        # 8. Put protected spans back and rebuild the document around the translations.
        rebuilt = await self._off_loop(
            rebuild, prepared.document, prepared.units, final.hypotheses, final.reports,
            found.checked, text, request.options.alternatives,
        )  # fmt: skip
        texts = [hypotheses[0].text if hypotheses else "" for hypotheses in final.hypotheses]
        scores = [hypotheses[0].score if hypotheses else 0.0 for hypotheses in final.hypotheses]
        sentence = sentence_scores(prepared.document, prepared.units, texts, scores, found.checked)
        low, mean = summary(sentence)
        self._metrics.characters.labels(route.pair).inc(len(text))
        demo = (DEMO_MODEL_WARNING,) if route.demo else ()
        guard = _guard_warnings(prepared, finished)
        enforcement = [warning for sentence in finished for warning in sentence.warnings]
        return TranslationResult(
            text=rebuilt.text,
            source_language=found.source,
            source_confidence=found.confidence,
            route=route.name,
            terms=rebuilt.terms if request.options.return_term_report else (),
            warnings=(*demo, *found.warnings, *guard, *rebuilt.warnings, *enforcement),
            demo_model=route.demo,
            alternatives=rebuilt.alternatives,
            sentence_scores=sentence,
            min_score=low,
            mean_score=mean,
        )

    async def _finish(
        self,
        prepared: Prepared,
        request: TranslationRequest,
        entries: RequestEntries,
        deadline: float | None,
    ) -> list[Finished]:
        """Every part finished: from the cache, or translated now (and then cached)."""
        key = _cache_key(prepared, request, entries)
        finished: list[Finished | None] = [self._cache.get((*key, p)) for p in prepared.parts]
        todo = [index for index, done in enumerate(finished) if done is None]
        if todo:
            translator = RouteTranslator(prepared.route, self._batchers)
            matches = {n: prepared.matches[i] for n, i in enumerate(todo) if i in prepared.matches}
            fresh = await self._translate_sentences(
                translator, [prepared.parts[i] for i in todo], matches, request, entries, deadline
            )
            for index, sentence in zip(todo, fresh, strict=True):
                finished[index] = sentence
                self._cache.put((*key, prepared.parts[index]), sentence)
        return [sentence for sentence in finished if sentence is not None]

    async def _translate_sentences(
        self,
        translator: RouteTranslator,
        parts: list[str],
        matches: dict[int, list[TermMatch]],
        request: TranslationRequest,
        entries: RequestEntries,
        deadline: float | None,
    ) -> list[Finished]:
        # 4. Translate every sentence, in batches shared with every other request.
        options = BatchOptions(
            beam_size=request.options.beam_size or None,
            num_hypotheses=1 + request.options.alternatives,
        )
        hypotheses = await translator.translate(parts, options, deadline=deadline)
        # 5. Re-decode sentences that drifted into another language. This comes before
        #    enforcement, so that the glossary report describes the text that is returned.
        guarded = await self._guard.apply(translator, parts, hypotheses, options, deadline)
        # 6. Enforce the glossary: verify, repair, re-decode with forced terms.
        decoded = [best[0].text if best else "" for best in hypotheses]
        enforced = await self._glossary.enforce(
            translator,
            Sentences(parts, hypotheses, guarded.options, matches),
            entries.entries,
            request.options,
            deadline,
        )
        # The score of each returned sentence: what enforcement edited is scored again.
        scores = await part_scores(translator, parts, decoded, enforced.hypotheses, deadline)
        return [
            Finished(tuple(rescored(hyps, score)), reports, warnings, wrong)
            for hyps, score, reports, warnings, wrong in zip(
                enforced.hypotheses,
                scores,
                enforced.reports,
                enforced.warnings,
                guarded.wrong_language,
                strict=True,
            )
        ]

    async def _keep_names_consistent(
        self,
        prepared: Prepared,
        finished: Sequence[Finished],
        request: TranslationRequest,
        deadline: float | None,
    ) -> Enforced:
        """The text's sentences with recurring unknown names made to agree (re-scored)."""
        enforced = Enforced(
            [list(sentence.hypotheses) for sentence in finished],
            [sentence.reports for sentence in finished],
            [sentence.warnings for sentence in finished],
        )
        if self._consistency is None:
            return enforced
        translator = RouteTranslator(prepared.route, self._batchers)
        before = [hypotheses[0].text if hypotheses else "" for hypotheses in enforced.hypotheses]
        consistent = await self._consistency.apply(
            translator, prepared.parts, enforced, prepared.matches, request.options, deadline
        )
        scores = await part_scores(
            translator, prepared.parts, before, consistent.hypotheses, deadline
        )
        hypotheses = [rescored(h, s) for h, s in zip(consistent.hypotheses, scores, strict=True)]
        return Enforced(hypotheses, consistent.reports, consistent.warnings)

    async def _off_loop(self, call: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run CPU-bound text work in the text executor."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(call, *args, **kwargs))

    async def _entries(self, request: TranslationRequest) -> RequestEntries:
        """The request's compiled entries; compiling inline ones is CPU work, off the loop."""
        if request.inline_entries:
            return await self._off_loop(self._glossary.entries_for, request)
        return self._glossary.entries_for(request)


def _cache_key(
    prepared: Prepared, request: TranslationRequest, entries: RequestEntries
) -> tuple[Hashable, ...]:
    """What a finished sentence depends on besides its own text."""
    route, options = prepared.route, request.options
    models = tuple((leg.pair, leg.info.name, leg.info.version) for leg in route.legs)
    decoding = (options.beam_size, options.alternatives, options.enforce_glossary)
    return (route.name, models, decoding, entries.fingerprint)


def _guard_warnings(prepared: Prepared, finished: Sequence[Finished]) -> list[str]:
    """One warning per sentence of the text (not per part) that may be in the wrong language."""
    sentence_of = [number for number, unit in enumerate(prepared.units) for _ in unit.parts]
    wrong = sorted({sentence_of[i] for i, part in enumerate(finished) if part.wrong_language})
    target = prepared.route.pair.split("-")[1]
    return [
        f"sentence {number + 1} may not be in {target} "
        "(target-language guard fired; re-decoding did not fix it)"
        for number in wrong
    ]
