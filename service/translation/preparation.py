"""Everything a text needs before the model: checks, detection, route, units, glossary terms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.errors import InvalidArgumentError
from service.glossary.enforcement.match import TermMatch
from service.glossary.model import CompiledEntry
from service.model_store.registry import ModelRegistry, Route
from service.text.input_check import Checked, check_text
from service.text.langid import LanguageDetector
from service.text.markup.parsed import ParsedText
from service.translation.glossary_stage import GlossaryStage
from service.translation.request import TranslationRequest
from service.translation.units import Unit, prepare_units
from service.vocab import LANGUAGES


@dataclass(frozen=True)
class Inspected:
    """A caller's text after the checks, with its source language."""

    checked: Checked
    source: str
    confidence: float
    warnings: list[str]


@dataclass(frozen=True)
class Unchanged:
    """A text that goes back as sent: empty, or already in the target language."""

    found: Inspected


@dataclass(frozen=True)
class Prepared:
    """A text ready for the model: its route, parsed units, the parts sent, their terms."""

    found: Inspected
    route: Route
    document: ParsedText
    units: list[Unit]
    parts: list[str]
    matches: dict[int, list[TermMatch]]


class Preparer:
    """Prepares texts for the model; all of it is CPU work, for a text thread."""

    def __init__(
        self, registry: ModelRegistry, detector: LanguageDetector, glossary: GlossaryStage
    ) -> None:
        self._registry = registry
        self._detector = detector
        self._glossary = glossary

    def prepare(
        self,
        index: int,
        text: str,
        request: TranslationRequest,
        entries: Sequence[CompiledEntry],
    ) -> Prepared | Unchanged:
        """Check, detect, route, segment, protect, cut to the first model's input bound, and
        match glossary terms: one trip to the text threads, since each trip is a hand-over."""
        found = self._inspect(index, text, request)
        source, target = found.source, request.target_language
        if not found.checked.text.strip() or source == target:
            if found.checked.text.strip():
                found.warnings.append(f"text is already in {target}; returned unchanged")
            return Unchanged(found)
        route = self._registry.route(source, target)
        # The first model reads the source: its tokenizer and input bound (the setting) decide
        # where an over-long sentence is cut.
        first = route.legs[0].engine
        document, units = prepare_units(
            found.checked.text, request.text_format, source, first.count_tokens,
            first.max_input_tokens,
        )  # fmt: skip
        parts = [part for unit in units for part in unit.parts]
        matches = self._glossary.find(parts, source, target, entries)
        return Prepared(found, route, document, units, parts, matches)

    def _inspect(self, index: int, text: str, request: TranslationRequest) -> Inspected:
        """The normalised text, its source language with confidence, and warnings so far."""
        checked = check_text(text, f"texts[{index}]")
        if not checked.text.strip() or request.source_language:
            return Inspected(checked, request.source_language, 1.0, list(checked.warnings))
        detection = self._detector.detect(checked.text)
        best = detection.candidates[0]
        if best.language not in LANGUAGES:
            raise InvalidArgumentError(
                f"texts[{index}]", "could not detect en, uk or ru; set source_language"
            )
        warnings = [*checked.warnings, *detection.warnings]
        return Inspected(checked, best.language, best.confidence, warnings)
