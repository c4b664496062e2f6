"""JSON Lines: the named fields of every record are translated; everything else is kept."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from service.client.encoding import decode, encode
from service.client.formats.parsed_file import FileFormatError, FormatOptions, ParsedFile
from service.client.records import Segment

# Where a translated string goes back: line number, field path, index in a list (or -1).
Slot = tuple[int, tuple[str, ...], int]


def parse_jsonl(data: bytes, options: FormatOptions) -> ParsedFile:
    """Every string (or list of strings) at the `options.fields` paths becomes a segment."""
    text, how = decode(data, options.encoding)
    lines = text.split("\n")
    records: dict[int, Any] = {}
    slots: list[Slot] = []
    segments: list[Segment] = []
    paths = [tuple(name.split(".")) for name in options.fields]
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FileFormatError(
                f"line {number + 1}: invalid JSON: {exc.msg} (column {exc.colno})"
            ) from None
        found = [(path, value) for path in paths for value in [_get(record, path)] if value]
        for path, value in found:
            records[number] = record
            for index, item in _strings(value):
                slots.append((number, path, index))
                segments.append(Segment(item))

    def render(translations: Sequence[str]) -> bytes:
        for (number, path, index), translated in zip(slots, translations, strict=True):
            _set(records[number], path, index, translated)
        out = list(lines)
        for number, record in records.items():
            # Only records with translated fields are re-serialised; the others stay byte for byte.
            out[number] = json.dumps(record, ensure_ascii=_ascii_only(lines[number]))
        return encode("\n".join(out), how)

    return ParsedFile(tuple(segments), render)


def _get(record: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if not isinstance(record, dict) or name not in record:
            return None
        record = record[name]
    return record if isinstance(record, str | list) else None


def _strings(value: str | list[Any]) -> list[tuple[int, str]]:
    if isinstance(value, str):
        return [(-1, value)] if value.strip() else []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, str) and item.strip()]


def _set(record: Any, path: tuple[str, ...], index: int, value: str) -> None:
    for name in path[:-1]:
        record = record[name]
    if index < 0:
        record[path[-1]] = value
    else:
        record[path[-1]][index] = value


def _ascii_only(line: str) -> bool:
    # Keep the producer's choice: escaped (\\uXXXX) input stays escaped, UTF-8 input stays UTF-8.
    return line.isascii() and "\\u" in line
