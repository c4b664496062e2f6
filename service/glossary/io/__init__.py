"""Glossary files in and out: YAML (the native format), CSV/TSV, TBX v2/v3 and TMX imports."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import charset_normalizer

from service.errors import GlossaryError, GlossaryLimitError
from service.glossary.io.tables import dump_table, parse_table
from service.glossary.io.tbx_tmx import parse_tbx, parse_tmx
from service.glossary.io.yaml_files import dump_yaml, load_glossary, parse_yaml, read_yaml
from service.glossary.model import Glossary
from service.vocab import GLOSSARY_FORMATS

__all__ = [
    "MAX_GLOSSARY_BYTES",
    "check_size",
    "decode_text",
    "dump_table",
    "dump_yaml",
    "format_for_path",
    "load_glossary",
    "parse_glossary",
    "read_glossary_file",
    "read_yaml",
]

# Far above a 10,000-entry glossary (~2 MB of YAML); DeepL and Amazon stop at 10 MB.
MAX_GLOSSARY_BYTES = 16 * 1024 * 1024
_SUFFIXES = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "tsv",
    ".tbx": "tbx",
    ".tmx": "tmx",
}


def parse_glossary(
    data: str | bytes,
    *,
    fmt: str,
    glossary_id: str,
    source: str,
    column_languages: tuple[str, ...] | None = None,
    name: str = "",
) -> Glossary:
    """Parse a glossary in any supported format; raises GlossaryError naming what is wrong.

    `column_languages` gives the languages of a headerless CSV/TSV file's columns.
    """
    if fmt not in GLOSSARY_FORMATS:
        raise GlossaryError(
            f"unknown format {fmt!r}; accepted: {', '.join(GLOSSARY_FORMATS)}", file=source
        )
    check_size(data, source)
    if fmt == "tbx":
        return parse_tbx(data, glossary_id=glossary_id, source=source, name=name)
    if fmt == "tmx":
        return parse_tmx(data, glossary_id=glossary_id, source=source, name=name)
    text = decode_text(data, source) if isinstance(data, bytes) else data
    if fmt == "yaml":
        glossary = parse_yaml(text, glossary_id=glossary_id, source=source)
        return glossary if not name else _renamed(glossary, name)
    return parse_table(
        text,
        delimiter="," if fmt == "csv" else "\t",
        glossary_id=glossary_id,
        source=source,
        column_languages=column_languages,
        name=name,
    )


def check_size(data: str | bytes, source: str) -> None:
    """Refuses a glossary over MAX_GLOSSARY_BYTES before any parser sees it."""
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_GLOSSARY_BYTES:
        raise GlossaryLimitError(
            f"{size} bytes is over the limit of {MAX_GLOSSARY_BYTES} bytes per glossary",
            file=source,
        )


def read_glossary_file(
    path: Path, *, fmt: str | None = None, column_languages: tuple[str, ...] | None = None
) -> Glossary:
    """Read a glossary file of any format (from its suffix unless `fmt` is given)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GlossaryError(f"cannot read: {exc.strerror or exc}", file=str(path)) from exc
    return parse_glossary(
        data,
        fmt=fmt or format_for_path(path, data),
        glossary_id=path.stem,
        source=str(path),
        column_languages=column_languages,
    )


def format_for_path(path: Path, data: bytes = b"") -> str:
    """The format a file's suffix names; `.xml` files are told apart by their root element."""
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return "tmx" if b"<tmx" in data[:4096] else "tbx"
    if suffix not in _SUFFIXES:
        raise GlossaryError(
            f"cannot tell the format from the suffix {suffix!r}; accepted: "
            f"{', '.join(sorted(_SUFFIXES))}, .xml (or give the format)",
            file=str(path),
        )
    return _SUFFIXES[suffix]


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else a detected
    legacy code page such as cp1251, which Excel in Ukrainian and Russian locales writes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise GlossaryError(
                f"starts with a UTF-16 byte-order mark but is not UTF-16 ({exc.reason} at byte "
                f"{exc.start}); save as UTF-8",
                file=source,
            ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            raise GlossaryError(
                "cannot detect the text encoding; save as UTF-8", file=source
            ) from exc
        return str(best)


def _renamed(glossary: Glossary, name: str) -> Glossary:
    return replace(glossary, name=name)
