"""One translation request, in order: admit, check, detect, segment, protect, match terms,
translate, guard the target language, enforce the glossary, restore, rebuild."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from service.config import Settings
from service.errors import DeadlineExceededError, InvalidArgumentError
from service.glossary.model import CompiledEntry
from service.hypothesis import Hypothesis
from service.metrics import Metrics
from service.model_store.registry import ModelRegistry, Route
from service.text.guard import LanguageGuard
from service.text.input_check import Checked, check_text
from service.text.langid import LanguageDetector
from service.translation.admission import Admission, estimate_sentences
from service.translation.batcher import Batcher, BatchOptions
from service.translation.directions import Directions, requested_pair
from service.translation.glossary_stage import GlossaryStage, Sentences
from service.translation.request import (
    DEMO_MODEL_WARNING,
    TranslationRequest,
    TranslationResult,
)
from service.translation.routes import RouteTranslator
from service.translation.units import prepare_units, rebuild
from service.vocab import LANGUAGES

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class _Inspected:
    """A caller's text after the checks, with its source language."""

    checked: Checked
    source: str
    confidence: float
    warnings: list[str]


class Pipeline:
    """Turns a validated request into results; shared by Translate and TranslateStream.

    CPU-bound text work runs in `executor` (never the batchers' threads, never the event loop);
    every model call goes through a batcher with the request's deadline.
    """

    def __init__(
        self,
        settings: Settings,
        registry: ModelRegistry,
        batchers: Mapping[str, Batcher],
        metrics: Metrics,
        detector: LanguageDetector,
        guard: LanguageGuard | None,
        glossary: GlossaryStage,
        executor: Executor,
        admission: Admission,
    ) -> None:
        self._settings = settings
        self._registry = registry
        self._batchers = batchers
        self._metrics = metrics
        self._detector = detector
        self._guard = guard
        self._glossary = glossary
        self._executor = executor
        self._admission = admission

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
                    entries = await self._off_loop(self._glossary.entries_for, request)
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
        entries: Sequence[CompiledEntry],
        deadline: float | None,
        directions: Directions,
    ) -> TranslationResult:
        # 1. Check the caller's text and detect its language.
        found = await self._off_loop(self._inspect, index, text, request)
        source, target, checked = found.source, request.target_language, found.checked
        if not checked.text.strip() or source == target:
            if checked.text.strip():
                found.warnings.append(f"text is already in {target}; returned unchanged")
            return TranslationResult(
                text, source, found.confidence, "", warnings=tuple(found.warnings)
            )
        route = self._registry.route(source, target)
        with directions.translating(route.pair):
            return await self._translate_routed(text, found, route, request, entries, deadline)

    async def _translate_routed(
        self,
        text: str,
        found: _Inspected,
        route: Route,
        request: TranslationRequest,
        entries: Sequence[CompiledEntry],
        deadline: float | None,
    ) -> TranslationResult:
        """Steps 2-7 for one text whose direction is known."""
        source, target, checked = found.source, request.target_language, found.checked
        translator = RouteTranslator(route, self._batchers)
        # 2. Segment into sentences, protect do-not-translate spans, split over-long sentences;
        # 3. find the glossary terms of every sentence.
        started = time.monotonic()
        # The first model reads the source: its tokenizer and input bound (the setting) decide
        # where an over-long sentence is cut.
        first = route.legs[0].engine
        document, units = await self._off_loop(
            prepare_units, checked.text, request.text_format, source, first.count_tokens,
            first.max_input_tokens,
        )  # fmt: skip
        parts = [part for unit in units for part in unit.parts]
        matches = await self._off_loop(self._glossary.find, parts, source, target, entries)
        self._metrics.stage_duration.labels("encode", route.pair).observe(
            time.monotonic() - started
        )
        # 4. Translate every sentence, in batches shared with every other request.
        options = BatchOptions(
            beam_size=request.options.beam_size or None,
            num_hypotheses=1 + request.options.alternatives,
        )
        hypotheses = await translator.translate(parts, options, deadline=deadline)
        # 5. Re-decode sentences that drifted into another language. This comes before
        #    enforcement, so that the glossary report describes the text that is returned.
        sentence_of = [number for number, unit in enumerate(units) for _ in unit.parts]
        part_options = await self._guard_parts(
            translator, parts, sentence_of, hypotheses, options, target, deadline, found.warnings
        )
        # 6. Enforce the glossary: verify, repair, re-decode with forced terms.
        enforced = await self._glossary.enforce(
            translator,
            Sentences(parts, hypotheses, part_options, matches),
            entries,
            request.options,
            deadline,
        )
        # 7. Put protected spans back and rebuild the document around the translations.
        rebuilt = await self._off_loop(
            rebuild, document, units, enforced.hypotheses, enforced.reports, checked, text,
            request.options.alternatives,
        )  # fmt: skip
        self._metrics.characters.labels(route.pair).inc(len(text))
        demo = (DEMO_MODEL_WARNING,) if route.demo else ()
        return TranslationResult(
            text=rebuilt.text,
            source_language=source,
            source_confidence=found.confidence,
            route=route.name,
            terms=rebuilt.terms if request.options.return_term_report else (),
            warnings=(*demo, *found.warnings, *rebuilt.warnings, *enforced.warnings),
            demo_model=route.demo,
            alternatives=rebuilt.alternatives,
        )

    async def _off_loop(self, call: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run CPU-bound text work in the text executor."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(call, *args, **kwargs))

    def _inspect(self, index: int, text: str, request: TranslationRequest) -> _Inspected:
        """The normalised text, its source language with confidence, and warnings so far."""
        checked = check_text(text, f"texts[{index}]")
        if not checked.text.strip():
            return _Inspected(checked, request.source_language, 1.0, list(checked.warnings))
        if request.source_language:
            return _Inspected(checked, request.source_language, 1.0, list(checked.warnings))
        detection = self._detector.detect(checked.text)
        best = detection.candidates[0]
        if best.language not in LANGUAGES:
            raise InvalidArgumentError(
                f"texts[{index}]", "could not detect en, uk or ru; set source_language"
            )
        warnings = [*checked.warnings, *detection.warnings]
        return _Inspected(checked, best.language, best.confidence, warnings)

    async def _guard_parts(
        self,
        translator: RouteTranslator,
        parts: Sequence[str],
        sentence_of: Sequence[int],
        hypotheses: list[list[Hypothesis]],
        options: BatchOptions,
        target: str,
        deadline: float | None,
        warnings: list[str],
    ) -> list[BatchOptions]:
        """Re-decode, once, the sentences in the wrong language; their options for later decodes.

        A sentence the re-decode fixed keeps the other language's words suppressed in every
        re-decode that enforcement makes of it (one it did not fix gains nothing from them).
        Only the parts that were sent are re-decoded, never a re-joined over-long sentence.
        """
        per_part = [options] * len(parts)
        guard = self._guard
        if guard is None:
            return per_part
        started = time.monotonic()
        pair = translator.route.pair
        wrong = await self._off_loop(
            lambda: [i for i, h in enumerate(hypotheses) if not guard.check(h[0].text, target)]
        )
        if wrong:
            self._metrics.language_guard.labels(pair, "fired").inc(len(wrong))
            suppressed = BatchOptions(
                beam_size=options.beam_size,
                num_hypotheses=options.num_hypotheses,
                suppress=tuple(guard.suppressed_words(target)),
            )
            redone = await translator.translate(
                [parts[i] for i in wrong], suppressed, deadline=deadline
            )
            fixed = await self._off_loop(
                lambda: [bool(h) and guard.check(h[0].text, target) for h in redone]
            )
            for index, hyps, ok in zip(wrong, redone, fixed, strict=True):
                if ok:
                    hypotheses[index] = list(hyps)
                    per_part[index] = suppressed
                    self._metrics.language_guard.labels(pair, "repaired").inc()
                else:
                    self._metrics.language_guard.labels(pair, "failed").inc()
            failed = sorted({sentence_of[i] for i, ok in zip(wrong, fixed, strict=True) if not ok})
            warnings.extend(
                f"sentence {n + 1} may not be in {target} "
                "(target-language guard fired; re-decoding did not fix it)"
                for n in failed
            )
        self._metrics.stage_duration.labels("guard", pair).observe(time.monotonic() - started)
        return per_part
