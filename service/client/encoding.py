"""Decoding input bytes to text and back, keeping the encoding, byte-order mark and line endings."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

# Byte-order marks by encoding, longest first so UTF-32 is not mistaken for UTF-16.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters other than tab, line feed, form feed and carriage return mark a binary file.
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}
_BINARY_SAMPLE = 8192


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can trust."""


@dataclass(frozen=True)
class TextEncoding:
    """How a file's text was stored, so the output is stored the same way."""

    encoding: str
    bom: bytes = b""
    newline: str = "\n"


def decode(data: bytes, encoding: str | None = None) -> tuple[str, TextEncoding]:
    """Text with `\\n` line endings and how to encode it back; detects the encoding unless given."""
    bom, bom_encoding = _split_bom(data)
    body = data[len(bom) :]
    name = encoding or bom_encoding or _detect(body)
    try:
        text = body.decode(name)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError(f"cannot decode as {name}: {exc}") from exc
    if any(ord(char) in _CONTROL for char in text[:_BINARY_SAMPLE]):
        raise DecodeError("binary content (control characters); not a text file")
    newline = _dominant_newline(text)
    return text.replace("\r\n", "\n"), TextEncoding(name, bom, newline)


def encode(text: str, how: TextEncoding) -> bytes:
    """Bytes of `text` (with `\\n` line endings) in the original encoding, BOM and line endings."""
    if how.newline != "\n":
        text = text.replace("\n", how.newline)
    return how.bom + text.encode(how.encoding)


def _split_bom(data: bytes) -> tuple[bytes, str | None]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return bom, name
    return b"", None


def _detect(body: bytes) -> str:
    if b"\x00" in body[:_BINARY_SAMPLE]:
        raise DecodeError("binary content (NUL bytes); not a text file")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Valid UTF-8 is UTF-8: detectors sometimes guess a legacy code page for short texts.
        return "utf-8"
    best = charset_normalizer.from_bytes(body).best()
    if best is None:
        raise DecodeError("no text encoding fits; give one with --encoding")
    return str(best.encoding)


def _dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
