"""One translation request: detect, segment, protect, translate, enforce, guard, reassemble."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from service import markup, protect
from service.batcher import Batcher, BatchOptions
from service.config import Settings
from service.errors import InvalidArgumentError
from service.glossary.report import TermReport
from service.guard import LanguageGuard
from service.langid import LanguageDetector
from service.metrics import Metrics
from service.models import ModelRegistry
from service.request import DEMO_MODEL_WARNING, LANGUAGES, TextResult, TranslationRequest
from service.segment import split_long
from service.terms import TermStage, UnitTerms
from service.textcheck import check_text
from service.translator import RouteTranslator

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Unit:
    """One sentence of a document as the model sees it: masked, maybe split in parts."""

    masked: protect.Masked
    parts: tuple[str, ...]


class Pipeline:
    """Turns a validated request into results; shared by Translate and TranslateStream."""

    def __init__(
        self,
        settings: Settings,
        registry: ModelRegistry,
        batchers: Mapping[str, Batcher],
        metrics: Metrics,
        detector: LanguageDetector,
        guard: LanguageGuard,
        terms: TermStage,
    ) -> None:
        self._settings = settings
        self._registry = registry
        self._batchers = batchers
        self._metrics = metrics
        self._detector = detector
        self._guard = guard
        self._terms = terms

    async def translate(
        self, request: TranslationRequest, deadline: float | None = None
    ) -> list[TextResult]:
        """Results in request order; raises domain errors for the caller's mistakes."""
        request.validate(self._settings)
        entries = self._terms.entries_for(request)
        return list(
            await asyncio.gather(
                *(
                    self._translate_text(index, text, request, entries, deadline)
                    for index, text in enumerate(request.texts)
                )
            )
        )

    async def _translate_text(
        self,
        index: int,
        text: str,
        request: TranslationRequest,
        entries: UnitTerms,
        deadline: float | None,
    ) -> TextResult:
        # Checking, detecting and parsing a long article is CPU work: keep it off the event loop.
        text, source, confidence, warnings = await asyncio.to_thread(
            self._inspect, index, text, request
        )
        target = request.target_language
        if not text.strip() or source == target:
            if text.strip():
                warnings.append(f"text is already in {target}; returned unchanged")
            return TextResult(text, source, confidence, route="", warnings=tuple(warnings))
        route = self._registry.route(source, target)
        started = time.monotonic()
        document, units = await asyncio.to_thread(
            self._parse, text, request.text_format, source, route.legs[0].engine.count_tokens
        )
        self._metrics.stage_duration.labels("encode", route.pair).observe(
            time.monotonic() - started
        )
        translator = RouteTranslator(route, self._batchers)
        outcome = await self._terms.translate_units(
            translator, [u.parts for u in units], source, target, entries, request.options, deadline
        )
        guarded = await self._guard_units(
            translator, units, outcome.texts, target, deadline, warnings
        )
        rendered = document.render_report(self._restore_all(units, guarded, warnings))
        self._metrics.characters.labels(route.pair).inc(len(text))
        demo = (DEMO_MODEL_WARNING,) if route.demo else ()
        return TextResult(
            text=rendered.text,
            source_language=source,
            source_confidence=confidence,
            route=route.name,
            terms=locate_reports(text, outcome.reports)
            if request.options.return_term_report
            else (),
            warnings=(*demo, *warnings, *document.warnings, *rendered.warnings, *outcome.warnings),
            demo_model=route.demo,
            alternatives=tuple(
                document.render(self._restore_all(units, texts, []))
                for texts in outcome.alternatives
            ),
        )

    def _inspect(
        self, index: int, text: str, request: TranslationRequest
    ) -> tuple[str, str, float, list[str]]:
        """The normalised text, its source language with confidence, and warnings so far."""
        checked = check_text(text, f"texts[{index}]")
        if not checked.text.strip():
            return checked.text, request.source_language, 1.0, list(checked.warnings)
        source, confidence, warnings = self._source_language(checked.text, request)
        return checked.text, source, confidence, [*checked.warnings, *warnings]

    def _source_language(
        self, text: str, request: TranslationRequest
    ) -> tuple[str, float, list[str]]:
        if request.source_language:
            return request.source_language, 1.0, []
        detection = self._detector.detect(text)
        best = detection.candidates[0]
        warnings = list(detection.warnings)
        if best.language not in LANGUAGES:
            raise InvalidArgumentError(
                "source_language", "could not detect en, uk or ru in a text; set it explicitly"
            )
        return best.language, best.confidence, warnings

    def _parse(
        self, text: str, text_format: str, source: str, count_tokens: Callable[[str], int]
    ) -> tuple[markup.Document, list[_Unit]]:
        document = markup.parse(text, text_format, source)
        return document, [self._prepare(unit, count_tokens) for unit in document.units]

    def _prepare(self, unit: str, count_tokens: Callable[[str], int]) -> _Unit:
        masked = protect.mask(unit)
        tokens = count_tokens(masked.text)
        limit = self._settings.max_input_tokens
        if tokens <= limit:
            return _Unit(masked, (masked.text,))
        # Characters per token vary; aim below the limit so every part fits. Parts are translated
        # without their edge whitespace and joined back with one space.
        max_chars = max(20, int(len(masked.text) * limit / tokens * 0.9))
        parts = (part.strip() for part in split_long(masked.text, max_chars))
        return _Unit(masked, tuple(part for part in parts if part))

    async def _guard_units(
        self,
        translator: RouteTranslator,
        units: Sequence[_Unit],
        texts: Sequence[str],
        target: str,
        deadline: float | None,
        warnings: list[str],
    ) -> list[str]:
        """Re-decode sentences that drifted into another language, once."""
        result = list(texts)
        if not self._settings.language_guard:
            return result
        started = time.monotonic()
        pair = translator.route.pair
        wrong = await asyncio.to_thread(
            lambda: [i for i, text in enumerate(texts) if not self._guard.check(text, target)]
        )
        if wrong:
            self._metrics.language_guard.labels(pair, "fired").inc(len(wrong))
            options = BatchOptions(suppress=tuple(self._guard.suppressed_words(target)))
            sources = [" ".join(units[i].parts) for i in wrong]
            redone = await translator.translate(sources, options, deadline=deadline)
            for index, hypotheses in zip(wrong, redone, strict=True):
                fixed = hypotheses[0].text if hypotheses else ""
                if fixed and self._guard.check(fixed, target):
                    result[index] = fixed
                    self._metrics.language_guard.labels(pair, "repaired").inc()
                else:
                    self._metrics.language_guard.labels(pair, "failed").inc()
                    warnings.append(
                        f"sentence {index + 1} may not be in {target} "
                        "(target-language guard fired; re-decoding did not fix it)"
                    )
        self._metrics.stage_duration.labels("guard", pair).observe(time.monotonic() - started)
        return result

    @staticmethod
    def _restore_all(
        units: Sequence[_Unit], translations: Sequence[str], warnings: list[str]
    ) -> list[str]:
        """Put the protected spans back into every unit's translation."""
        texts = []
        for unit, translation in zip(units, translations, strict=True):
            restored = protect.restore(translation, unit.masked)
            warnings.extend(restored.warnings)
            texts.append(restored.text)
        return texts


def locate_reports(text: str, reports: Sequence[TermReport]) -> tuple[TermReport, ...]:
    """Reports with offsets into the whole source text (enforcement saw one sentence at a time).

    Occurrences are found in order, each search starting after the previous one.
    """
    located = []
    cursor = 0
    for report in reports:
        start = text.find(report.source_text, cursor)
        if start < 0:
            start = text.find(report.source_text)
        if start < 0:
            located.append(report)
            continue
        end = start + len(report.source_text)
        located.append(replace(report, source_start=start, source_end=end))
        cursor = end
    return tuple(located)
