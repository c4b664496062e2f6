"""Text formats: turn an article into sentence units and rebuild it around their translations."""

from __future__ import annotations

from collections.abc import Callable

from service.errors import InvalidArgumentError
from service.text.markup.html import parse_html
from service.text.markup.markdown import parse_markdown
from service.text.markup.parsed import ParsedText, Rendered
from service.text.markup.plain import parse_plain
from service.vocab import HTML, MARKDOWN, PLAIN, TEXT_FORMATS

__all__ = ["ParsedText", "Rendered", "parse"]

_PARSERS: dict[str, Callable[[str, str], ParsedText]] = {
    PLAIN: parse_plain,
    MARKDOWN: parse_markdown,
    HTML: parse_html,
}


def parse(text: str, text_format: str, language: str) -> ParsedText:
    """Parse `text` written in `text_format` (plain, markdown or html) and `language`."""
    parser = _PARSERS.get(text_format)
    if parser is None:
        raise InvalidArgumentError(
            "text_format", f"unknown format {text_format!r}; accepted: {', '.join(TEXT_FORMATS)}"
        )
    return parser(text, language)
