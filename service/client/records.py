"""Value records shared by the job layer and the client that serves it (no gRPC here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from service.vocab import PLAIN


@dataclass(frozen=True)
class Segment:
    """One text of a document to translate, with the markup the server should respect."""

    text: str
    text_format: str = PLAIN


@dataclass(frozen=True)
class TermRecord:
    """What glossary enforcement did with one term occurrence (mirror of the API's TermReport)."""

    entry_id: str
    glossary_id: str
    source_text: str
    target_text: str
    outcome: str
    grammatical_case: str = ""
    method: str = ""


@dataclass(frozen=True)
class SegmentResult:
    """The translation of one segment."""

    text: str
    source_language: str = ""
    route: str = ""
    terms: tuple[TermRecord, ...] = ()
    warnings: tuple[str, ...] = ()
    demo_model: bool = False
    """The server translated it with a demo model (not fit for real use)."""


@dataclass(frozen=True)
class BatchRequest:
    """Segments of one format going to one target language with the same options."""

    texts: tuple[str, ...]
    text_format: str
    target_language: str
    source_language: str = ""
    glossary_ids: tuple[str, ...] = ()
    beam_size: int = 0
    request_id: str = ""


class TranslationFailedError(Exception):
    """A batch failed for good (after any retries); `code` is the gRPC status name."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class Translator(Protocol):
    """What the job runner needs from a client: translate one batch, in order."""

    async def translate(self, batch: BatchRequest) -> list[SegmentResult]:
        """Results in the order of `batch.texts`; raises TranslationFailedError."""
        ...


@dataclass
class Tally:
    """Counters for the end-of-run summary."""

    characters: int = 0
    texts: int = 0
    demo_texts: int = 0
    """Texts a demo model translated."""
    term_outcomes: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
