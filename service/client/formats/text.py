"""Plain text, Markdown and HTML: the server keeps markup, so these split only into large pieces."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from service.client.encoding import decode
from service.client.formats.parsed_file import FormatOptions, ParsedFile, Template
from service.vocab import HTML, MARKDOWN, PLAIN

# Pieces are kept well under the server's per-text limit (100k characters by default) so that one
# item is a few seconds of work: progress moves, and a retry after a lost replica repeats little.
MAX_SEGMENT_CHARS = 8000
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
_EDGES = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)
# YAML front matter of static-site generators: metadata, not prose.
_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)\n", re.DOTALL)


def parse_plain(data: bytes, options: FormatOptions) -> ParsedFile:
    """Paragraphs (separated by blank lines) become segments; whitespace between them is kept."""
    text, how = decode(data, options.encoding)
    template = Template()
    position = 0
    for separator in _BLANK_LINES.finditer(text):
        _add_plain_block(template, text[position : separator.start()])
        template.literal(separator.group())
        position = separator.end()
    _add_plain_block(template, text[position:])
    return template.document(how)


def parse_markdown(data: bytes, options: FormatOptions) -> ParsedFile:
    """The document (after any front matter) as Markdown pieces cut between top-level blocks."""
    text, how = decode(data, options.encoding)
    template = Template()
    front = _FRONT_MATTER.match(text)
    if front:
        template.literal(front.group())
        text = text[front.end() :]
    for piece in _markdown_pieces(_LINE.findall(text), _block_starts(text)):
        _hole_trimmed(template, piece, MARKDOWN)
    return template.document(how)


def parse_html(data: bytes, options: FormatOptions) -> ParsedFile:
    """The whole document as one HTML text: the server translates text nodes, keeps markup."""
    text, how = decode(data, options.encoding)
    template = Template()
    _hole_trimmed(template, text, HTML)
    return template.document(how)


def _add_plain_block(template: Template, block: str) -> None:
    if len(block) <= MAX_SEGMENT_CHARS:
        _hole_trimmed(template, block, PLAIN)
        return
    # A paragraph longer than a piece is cut between lines, never inside one.
    piece = ""
    for line in block.splitlines(keepends=True):
        if piece and len(piece) + len(line) > MAX_SEGMENT_CHARS:
            _hole_trimmed(template, piece, PLAIN)
            piece = ""
        piece += line
    _hole_trimmed(template, piece, PLAIN)


def _hole_trimmed(template: Template, text: str, text_format: str) -> None:
    match = _EDGES.match(text)
    assert match is not None  # the pattern matches every string
    template.literal(match.group(1))
    template.hole(match.group(2), text_format)
    template.literal(match.group(3))


def _block_starts(text: str) -> list[int]:
    """Line numbers where top-level Markdown blocks start (never inside a fence or a list)."""
    tokens = MarkdownIt("commonmark").parse(text)
    return sorted({token.map[0] for token in tokens if token.level == 0 and token.map})


def _markdown_pieces(lines: list[str], cuts: list[int]) -> list[str]:
    """Consecutive top-level blocks grouped into pieces of at most MAX_SEGMENT_CHARS if possible."""
    pieces = []
    start = boundary = 0
    for cut in [*cuts, len(lines)]:
        if boundary > start and sum(len(line) for line in lines[start:cut]) > MAX_SEGMENT_CHARS:
            pieces.append("".join(lines[start:boundary]))
            start = boundary
        boundary = max(boundary, cut)
    pieces.append("".join(lines[start:]))
    return pieces
