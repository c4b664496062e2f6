"""Markdown articles: headings, paragraphs, lists, tables translated; code, URLs, markup kept."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from service.text.markup.inline import Atom, add_run
from service.text.markup.parsed import ParsedText, ParsedTextBuilder


class _UnlocatedError(Exception):
    """A token's source text could not be found; its text is then kept as written."""


def parse_markdown(text: str, language: str) -> ParsedText:
    """Parse with markdown-it (CommonMark + tables) and translate only inline text."""
    builder = ParsedTextBuilder()
    parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    cursor = 0
    for token in parser.parse(text):
        if token.type != "inline" or not token.content.strip() or token.map is None:
            continue
        try:
            starts, ends = _locate_lines(text, token.content.split("\n"), cursor)
            atoms = list(_atoms(text, token, starts, ends))
        except _UnlocatedError:
            builder.warnings.append("a Markdown passage could not be located; kept untranslated")
            continue
        builder.literal(text[cursor : starts[0]])
        add_run(builder, atoms, language, _as_written)
        cursor = ends[-1]
    builder.literal(text[cursor:])
    return builder.build()


def _as_written(text: str) -> str:
    return text


def _locate_lines(source: str, lines: Sequence[str], cursor: int) -> tuple[list[int], list[int]]:
    """Source offsets where each line of an inline token's content starts and ends."""
    starts: list[int] = []
    ends: list[int] = []
    for line in lines:
        at = source.find(line, cursor)
        if at < 0 or (starts and "\n" not in source[ends[-1] : at + 1]):
            raise _UnlocatedError
        starts.append(at)
        ends.append(at + len(line))
        cursor = at + len(line)
    return starts, ends


class _Walker:
    """Walks an inline token's content in step with its children, yielding atoms."""

    def __init__(self, source: str, content: str, starts: list[int], ends: list[int]) -> None:
        self.source, self.content, self.pos = source, content, 0
        # Content position of each "\n" -> the source text that stands for it (newline + prefix).
        self.breaks = iter(source[end:start] for end, start in zip(ends, starts[1:], strict=False))

    def find(self, needle: str, start: int | None = None) -> int:
        at = self.content.find(needle, self.pos if start is None else start)
        if at < 0 or not needle:
            raise _UnlocatedError
        return at

    def markup(self, end: int) -> Atom:
        raw = self.content[self.pos : end]
        self.pos = end
        return Atom((self._to_source(raw),))

    def text(self, value: str) -> Iterator[Atom]:
        if self.content.startswith(value, self.pos):
            self.pos += len(value)
            yield Atom((value,), value)
            return
        # The source writes some characters escaped ("\\*" for "*"): match one by one and keep
        # each escape as markup.
        for char in value:
            at = self.find(char)
            if at > self.pos:
                yield self.markup(at)
            self.pos = at + 1
            yield Atom((char,), char)

    def line_break(self, *, hard: bool) -> Atom:
        """A soft line break reads as a space; the source keeps its newline and indentation."""
        end = self.find("\n") + 1
        while self.content[end : end + 1] in (" ", "\t"):
            end += 1
        raw = self._to_source(self.content[self.pos : end])
        self.pos = end
        return Atom((raw,)) if hard else Atom((raw,), " ")

    def _to_source(self, raw: str) -> str:
        return "".join(
            piece if i == 0 else next(self.breaks, "\n") + piece
            for i, piece in enumerate(raw.split("\n"))
        )


def _atoms(source: str, token: Token, starts: list[int], ends: list[int]) -> Iterator[Atom]:
    walker = _Walker(source, token.content, starts, ends)
    children = token.children or []
    index = 0
    while index < len(children):
        child = children[index]
        if child.type == "text" and child.content:
            yield from walker.text(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            yield walker.line_break(hard=child.type == "hardbreak")
        elif child.type == "code_inline":
            opening = walker.find(child.markup)
            closing = walker.find(
                child.markup, walker.find(child.content, opening) + len(child.content)
            )
            yield walker.markup(closing + len(child.markup))
        elif child.type == "image" or (child.type == "link_open" and child.markup == "autolink"):
            index = _skip_to_close(children, index) if child.type == "link_open" else index
            yield walker.markup(_destination_end(walker, child))
        elif child.type == "link_close":
            yield walker.markup(_destination_end(walker, child))
        elif child.type == "link_open":
            yield walker.markup(walker.find("[") + 1)
        elif child.markup:
            yield walker.markup(walker.find(child.markup) + len(child.markup))
        elif child.content:
            yield walker.markup(walker.find(child.content) + len(child.content))
        index += 1
    if walker.pos < len(walker.content):
        yield walker.markup(len(walker.content))


def _skip_to_close(children: list[Token], index: int) -> int:
    while children[index].type != "link_close":
        index += 1
    return index


def _destination_end(walker: _Walker, token: Token) -> int:
    """End of "](url "title")", "][ref]", "]" or an autolink's ">" after the walker's position."""
    if token.markup == "autolink":
        return walker.find(">") + 1
    close = walker.find("]", walker.find("![") if token.type == "image" else None)
    after = walker.content[close + 1 : close + 2]
    if after == "(":
        return _closing_paren(walker, close + 1)
    if after == "[":
        return walker.find("]", close + 1) + 1
    return close + 1


def _closing_paren(walker: _Walker, opening: int) -> int:
    """End of a link destination and title: balanced parentheses, quoted titles skipped."""
    depth, quote = 0, ""
    for index in range(opening, len(walker.content)):
        char = walker.content[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'" and walker.content[index - 1].isspace():
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    raise _UnlocatedError
