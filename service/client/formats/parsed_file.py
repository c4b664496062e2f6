"""The parsed form of an input file: segments to translate and how to put the translations back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from service.client.encoding import TextEncoding, encode
from service.client.records import Segment
from service.vocab import PLAIN


class FileFormatError(ValueError):
    """An input cannot be parsed; the message says where (line, subtitle, field) and why."""


@dataclass(frozen=True)
class FormatOptions:
    """Choices that change how inputs are read."""

    encoding: str | None = None
    """Stated input encoding; None detects it."""
    fields: tuple[str, ...] = ("text",)
    """JSON Lines: dotted paths of the fields to translate."""


@dataclass(frozen=True)
class ParsedFile:
    """Segments of one input and a function rendering the output bytes from their translations."""

    segments: tuple[Segment, ...]
    render: Callable[[Sequence[str]], bytes]
    warnings: tuple[str, ...] = field(default=())

    @property
    def characters(self) -> int:
        """Characters sent for translation (what the progress bar and summary count)."""
        return sum(len(segment.text) for segment in self.segments)


class Template:
    """Literal text with holes for translated segments, filled in order."""

    def __init__(self) -> None:
        self._parts: list[str | int] = []
        self.segments: list[Segment] = []

    def literal(self, text: str) -> None:
        """Text copied to the output unchanged."""
        if text:
            self._parts.append(text)

    def hole(self, text: str, text_format: str = PLAIN) -> None:
        """Text to translate; blank text is kept as a literal (nothing to translate)."""
        if not text.strip():
            self.literal(text)
            return
        self._parts.append(len(self.segments))
        self.segments.append(Segment(text, text_format))

    def fill(self, translations: Sequence[str]) -> str:
        """The output text with each hole replaced by its translation."""
        if len(translations) != len(self.segments):
            raise ValueError(f"{len(translations)} translations for {len(self.segments)} segments")
        return "".join(
            part if isinstance(part, str) else translations[part] for part in self._parts
        )

    def document(self, how: TextEncoding, warnings: Sequence[str] = ()) -> ParsedFile:
        """A ParsedFile whose output is this template encoded as the input was."""
        return ParsedFile(
            tuple(self.segments),
            lambda translations: encode(self.fill(translations), how),
            tuple(warnings),
        )
