"""A translation request and its results, as domain records, with the checks on caller input."""

from __future__ import annotations

from dataclasses import dataclass, field

from service.config import Settings
from service.errors import InvalidArgumentError, quoted
from service.glossary.enforcement.report import TermReport
from service.glossary.model import Entry
from service.vocab import LANGUAGES, PLAIN, TEXT_FORMATS

MAX_BEAM_SIZE = 8
MAX_ALTERNATIVES = 4
MAX_REQUEST_ID_CHARS = 128
MAX_ITEM_ID_CHARS = 128
MAX_GLOSSARY_IDS = 16
MAX_GLOSSARY_ID_CHARS = 128
MAX_INLINE_ENTRIES = 500
MAX_INLINE_TERMS = 2_000
"""Terms and forbidden variants of all inline entries together: each is compiled per request
(cached across requests), a few milliseconds for a new one."""
DEMO_MODEL_WARNING = (
    "translated by a demo model, which invents names and numbers: not for real use; "
    "install real models with `tlumach models fetch`"
)


@dataclass(frozen=True)
class TranslationOptions:
    """Per-request decoding and reporting options."""

    beam_size: int = 0
    """0 = the server default."""
    return_term_report: bool = False
    alternatives: int = 0
    enforce_glossary: bool = True
    auto_consistency: bool = True
    """Keep names no glossary covers consistent across each text (see the consistency stage)."""


@dataclass(frozen=True)
class TranslationRequest:
    """Texts to translate into one target language."""

    texts: tuple[str, ...]
    target_language: str
    source_language: str = ""
    glossary_ids: tuple[str, ...] = ()
    inline_entries: tuple[Entry, ...] = ()
    text_format: str = PLAIN
    options: TranslationOptions = field(default_factory=TranslationOptions)
    request_id: str = ""

    def validate(self, settings: Settings) -> None:
        """Raise InvalidArgumentError naming the field and the limit for anything unacceptable."""
        check_texts(self.texts, settings)
        _check_language("target_language", self.target_language, required=True)
        _check_language("source_language", self.source_language, required=False)
        if self.source_language and self.source_language == self.target_language:
            raise InvalidArgumentError(
                "source_language", f"equals target_language ({self.target_language!r})"
            )
        if self.text_format not in TEXT_FORMATS:
            raise InvalidArgumentError(
                "text_format", f"{quoted(self.text_format)}; use one of {', '.join(TEXT_FORMATS)}"
            )
        self._check_options()
        if len(self.glossary_ids) > MAX_GLOSSARY_IDS:
            raise InvalidArgumentError("glossary_ids", f"at most {MAX_GLOSSARY_IDS} glossaries")
        for index, glossary_id in enumerate(self.glossary_ids):
            check_glossary_id(f"glossary_ids[{index}]", glossary_id)
        self._check_inline_sizes()
        check_printable_id("request_id", self.request_id, MAX_REQUEST_ID_CHARS)

    def _check_inline_sizes(self) -> None:
        """The sizes here; each entry's fields are checked with the glossary rules, when the
        entries are compiled (service/translation/glossary_stage.py)."""
        if len(self.inline_entries) > MAX_INLINE_ENTRIES:
            raise InvalidArgumentError("inline_entries", f"at most {MAX_INLINE_ENTRIES} entries")
        terms = sum(
            len(group)
            for entry in self.inline_entries
            for table in (entry.terms, entry.forbidden)
            for group in table.values()
        )
        if terms > MAX_INLINE_TERMS:
            raise InvalidArgumentError(
                "inline_entries", f"{terms} terms in all exceed the limit of {MAX_INLINE_TERMS}"
            )

    def _check_options(self) -> None:
        if not 0 <= self.options.beam_size <= MAX_BEAM_SIZE:
            raise InvalidArgumentError(
                "options.beam_size", f"{self.options.beam_size}; accepted 0..{MAX_BEAM_SIZE}"
            )
        if not 0 <= self.options.alternatives <= MAX_ALTERNATIVES:
            raise InvalidArgumentError(
                "options.alternatives",
                f"{self.options.alternatives}; accepted 0..{MAX_ALTERNATIVES}",
            )
        if self.options.alternatives and self.text_format != PLAIN:
            raise InvalidArgumentError(
                "options.alternatives", "only available for text_format plain"
            )


def check_texts(texts: tuple[str, ...], settings: Settings, field: str = "texts") -> None:
    """The text limits every rpc that takes texts shares (Translate, its stream, detection)."""
    if not texts:
        raise InvalidArgumentError(field, "at least one text is required")
    if len(texts) > settings.max_texts_per_request:
        raise InvalidArgumentError(
            field, f"{len(texts)} texts exceed the limit of {settings.max_texts_per_request}"
        )
    for index, text in enumerate(texts):
        if len(text) > settings.max_text_chars:
            raise InvalidArgumentError(
                f"{field}[{index}]",
                f"{len(text)} characters exceed the limit of {settings.max_text_chars}",
            )
    total = sum(len(text) for text in texts)
    if total > settings.max_request_chars:
        raise InvalidArgumentError(
            field, f"{total} characters in all exceed the limit of {settings.max_request_chars}"
        )


def check_glossary_id(field: str, value: str) -> None:
    """A glossary id as a caller names one: the stem of a file in the glossaries folder."""
    if not value:
        raise InvalidArgumentError(field, "a glossary id is required (ListGlossaries names them)")
    check_printable_id(field, value, MAX_GLOSSARY_ID_CHARS)


def check_printable_id(field: str, value: str, limit: int) -> None:
    """A caller's identifier (request, item, glossary): logged and echoed: short, printable."""
    if len(value) > limit or not value.isprintable():
        raise InvalidArgumentError(
            field, f"{quoted(value)}: must be printable and at most {limit} characters"
        )


def _check_language(name: str, value: str, *, required: bool) -> None:
    if not value and not required:
        return
    if value not in LANGUAGES:
        raise InvalidArgumentError(
            name, f"{quoted(value)} is not supported; use one of {', '.join(LANGUAGES)}"
        )


@dataclass(frozen=True)
class SentenceScore:
    """How sure the model is of one translated sentence (see the proto's SentenceScore)."""

    source_start: int
    source_end: int
    """Offsets of the source sentence in the text sent (both 0 when it stands nowhere there)."""
    score: float
    """Mean log-probability per token of the returned sentence, in (-inf, 0]."""


@dataclass(frozen=True)
class TranslationResult:
    """The translation of one text."""

    text: str
    source_language: str
    source_confidence: float
    route: str
    terms: tuple[TermReport, ...] = ()
    warnings: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    demo_model: bool = False
    """A demo model translated it (see DEMO_MODEL_WARNING)."""
    sentence_scores: tuple[SentenceScore, ...] = ()
    min_score: float | None = None
    mean_score: float | None = None
    """Lowest and mean sentence score; None when no sentence was translated."""
