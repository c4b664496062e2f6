"""SubRip subtitles: the text of every cue is translated; numbers, timings and layout are kept."""

from __future__ import annotations

import re
from collections.abc import Sequence

import srt

from service.client.encoding import decode
from service.client.formats.parsed_file import FileFormatError, FormatOptions, ParsedFile, Template

_CUE_SEPARATOR = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
_WORD = re.compile(r"\S+")


def parse_srt(data: bytes, options: FormatOptions) -> ParsedFile:
    """Cue text (its lines joined, so sentences stay whole) becomes one segment per cue."""
    text, how = decode(data, options.encoding)
    try:
        cues = list(srt.parse(text))
    except srt.SRTParseError as exc:
        raise FileFormatError(f"broken SubRip file: {exc}") from exc
    if not cues and text.strip():
        raise FileFormatError("broken SubRip file: no subtitle cues found")
    # srt validated the file; the cue blocks are now cut from the text itself so that every byte
    # outside the cue text (numbering, timing style, blank lines) is copied unchanged.
    template = Template()
    shapes: list[tuple[int, str]] = []  # per translated cue: its line count and original text
    blocks = 0
    position = 0
    for separator in [*_CUE_SEPARATOR.finditer(text), None]:
        end = separator.start() if separator else len(text)
        block = text[position:end]
        if block.strip():
            blocks += 1
            _add_cue(template, block, shapes)
        else:
            template.literal(block)
        if separator:
            template.literal(separator.group())
            position = separator.end()
    if blocks != len(cues):
        raise FileFormatError(f"broken SubRip file: {len(cues)} cues but {blocks} blocks")
    inner = template.document(how)

    def render(translations: Sequence[str]) -> bytes:
        wrapped = [
            original if translated == " ".join(original.split("\n")) else _wrap(translated, lines)
            for translated, (lines, original) in zip(translations, shapes, strict=True)
        ]
        return inner.render(wrapped)

    return ParsedFile(inner.segments, render)


def _add_cue(template: Template, block: str, shapes: list[tuple[int, str]]) -> None:
    body = block.lstrip("\n")
    template.literal(block[: len(block) - len(body)])
    head, _, rest = body.partition("\n")
    timing, _, content = rest.partition("\n")
    tail = content[len(content.rstrip("\n")) :]
    content = content.rstrip("\n")
    joined = " ".join(content.split("\n"))
    if not joined.strip():
        template.literal(body)
        return
    template.literal(f"{head}\n{timing}\n")
    template.hole(joined)
    template.literal(tail)
    shapes.append((content.count("\n") + 1, content))


def _wrap(text: str, line_count: int) -> str:
    """Break a translation into as many lines as the cue had, balanced by length."""
    words = _WORD.findall(text)
    if line_count <= 1 or len(words) <= 1:
        return " ".join(words)
    target = len(text) / line_count
    lines: list[str] = []
    current: list[str] = []
    for word in words:
        remaining_lines = line_count - len(lines) - 1
        if current and remaining_lines and len(" ".join(current)) + len(word) / 2 > target:
            lines.append(" ".join(current))
            current = []
        current.append(word)
    lines.append(" ".join(current))
    return "\n".join(lines)
