"""Plain text: every sentence is a unit, everything between sentences is kept as sent."""

from __future__ import annotations

from service.text.markup.parsed import ParsedText, ParsedTextBuilder
from service.text.segment import split_text


def parse_plain(text: str, language: str) -> ParsedText:
    """Split plain text into sentence units; layout between them is literal."""
    builder = ParsedTextBuilder()
    cursor = 0
    for piece in split_text(text, language):
        if piece.translate:
            builder.add_unit(piece.text, origin=cursor)
        else:
            builder.literal(piece.text)
        cursor += len(piece.text)
    return builder.build()
