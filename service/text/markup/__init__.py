"""Text formats: turn an article into sentence units and rebuild it around their translations."""

from __future__ import annotations

from service.errors import InvalidArgumentError
from service.text.markup.html import parse_html
from service.text.markup.markdown import parse_markdown
from service.text.markup.parsed import Document, Rendered
from service.text.markup.plain import parse_plain

__all__ = ["FORMATS", "Document", "Rendered", "parse"]

FORMATS = ("plain", "markdown", "html")


def parse(text: str, text_format: str, language: str) -> Document:
    """Parse `text` written in `text_format` (plain, markdown or html) and `language`."""
    if text_format == "plain":
        return parse_plain(text, language)
    if text_format == "html":
        return parse_html(text, language)
    if text_format == "markdown":
        return parse_markdown(text, language)
    raise InvalidArgumentError(
        "text_format", f"unknown format {text_format!r}; accepted: {', '.join(FORMATS)}"
    )
