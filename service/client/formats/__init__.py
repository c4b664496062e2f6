"""File formats: each parses bytes into segments to translate and renders the translations back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from service.client.formats.jsonl import parse_jsonl
from service.client.formats.office import parse_docx
from service.client.formats.parsed_file import FileFormatError, FormatOptions, ParsedFile
from service.client.formats.subtitles import parse_srt
from service.client.formats.text import parse_html, parse_markdown, parse_plain

__all__ = ["FORMATS", "FileFormatError", "FormatOptions", "ParsedFile", "detect_format", "parse"]

Parser = Callable[[bytes, FormatOptions], ParsedFile]

FORMATS: dict[str, Parser] = {
    "plain": parse_plain,
    "markdown": parse_markdown,
    "html": parse_html,
    "jsonl": parse_jsonl,
    "srt": parse_srt,
    "docx": parse_docx,
}

_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".srt": "srt",
    ".docx": "docx",
}


def detect_format(path: PurePath, requested: str = "auto") -> str:
    """The format named on the command line, else the one the file name suggests (plain text)."""
    if requested != "auto":
        return requested
    return _SUFFIXES.get(path.suffix.lower(), "plain")


def parse(data: bytes, format_name: str, options: FormatOptions) -> ParsedFile:
    """Parse `data` as `format_name`; raises FileFormatError naming what is wrong and where."""
    try:
        parser = FORMATS[format_name]
    except KeyError:
        raise FileFormatError(
            f"unknown format {format_name!r}; accepted: auto, {', '.join(FORMATS)}"
        ) from None
    return parser(data, options)
