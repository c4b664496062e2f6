"""One translation request: detect, segment, protect, translate, enforce, guard, reassemble."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from service import markup, protect
from service.batcher import Batcher, BatchOptions
from service.config import Settings
from service.errors import InvalidArgumentError
from service.guard import LanguageGuard
from service.langid import LanguageDetector
from service.metrics import Metrics
from service.models import ModelRegistry
from service.request import LANGUAGES, TextResult, TranslationRequest
from service.segment import split_long
from service.terms import TermStage, UnitTerms
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
                *(self._translate_text(text, request, entries, deadline) for text in request.texts)
            )
        )

    async def _translate_text(
        self,
        text: str,
        request: TranslationRequest,
        entries: UnitTerms,
        deadline: float | None,
    ) -> TextResult:
        source, confidence, warnings = self._source_language(text, request)
        target = request.target_language
        if source == target:
            warnings.append(f"text is already in {target}; returned unchanged")
            return TextResult(text, source, confidence, route="", warnings=tuple(warnings))
        route = self._registry.route(source, target)
        started = time.monotonic()
        # Parsing and masking a long article is CPU work: keep it off the event loop.
        document, units = await asyncio.to_thread(
            self._parse, text, request.text_format, source, route.legs[0].engine.count_tokens
        )
        self._metrics.stage_duration.labels("encode", route.pair).observe(
            time.monotonic() - started
        )
        translator = RouteTranslator(route, self._batchers)
        outcome = await self._terms.translate_units(
            translator,
            [unit.parts for unit in units],
            [unit.masked.text for unit in units],
            source,
            target,
            entries,
            request.options,
            deadline,
        )
        guarded = await self._guard_units(
            translator, units, outcome.texts, target, deadline, warnings
        )
        restored = self._restore_all(units, guarded, warnings)
        alternatives = tuple(
            document.render(self._restore_all(units, texts, [])) for texts in outcome.alternatives
        )
        self._metrics.characters.labels(route.pair).inc(len(text))
        return TextResult(
            text=document.render(restored),
            source_language=source,
            source_confidence=confidence,
            route=route.name,
            terms=outcome.reports if request.options.return_term_report else (),
            warnings=tuple(warnings + list(outcome.warnings)),
            alternatives=alternatives,
        )

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
        # Characters per token vary; aim below the limit so every part fits.
        max_chars = max(20, int(len(masked.text) * limit / tokens * 0.9))
        return _Unit(masked, tuple(split_long(masked.text, max_chars)))

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
        started = time.monotonic()
        pair = translator.route.pair
        wrong = [i for i, text in enumerate(texts) if not self._guard.check(text, target)]
        result = list(texts)
        if wrong:
            self._metrics.language_guard.labels(pair, "fired").inc(len(wrong))
            options = BatchOptions(suppress=tuple(self._guard.suppressed_words(target)))
            sources = [" ".join(units[i].parts) for i in wrong]
            redone = await translator.translate(sources, options, deadline=deadline)
            for index, hypotheses in zip(wrong, redone, strict=True):
                fixed = hypotheses[0].text if hypotheses else ""
                if self._guard.check(fixed, target):
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
