"""HTML articles: text nodes and alt/title translated; markup, scripts, code, no-translate kept."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from service.text.markup.inline import Atom, add_run
from service.text.markup.parsed import ParsedText, ParsedTextBuilder, Part

# Tags that live inside a sentence; any other tag ends the run of inline text.
INLINE = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "font", "i", "ins",
        "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time", "u", "br", "wbr", "img",
        "code", "kbd", "samp", "var", "tt",
    }
)  # fmt: skip
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
     "track", "wbr"}
)  # fmt: skip
# Content never sent to the model.
UNTOUCHED = frozenset(
    {"script", "style", "code", "pre", "kbd", "samp", "var", "textarea", "template", "svg", "math"}
)
TRANSLATABLE_ATTRIBUTES = ("alt", "title")
_LONE_NEWLINE = re.compile(r"(?<!\n)(?<!\n[ \t])\n(?![ \t]*\n)")


@dataclass(frozen=True)
class _Event:
    kind: str  # start, end, startend, data, other
    raw: str
    tag: str = ""
    attrs: tuple[tuple[str, str | None], ...] = ()
    text: str = ""


class _Recorder(HTMLParser):
    """Records every construct with its exact source text, so output can repeat it byte for byte."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0]
        for index, char in enumerate(source):
            if char == "\n":
                self._line_starts.append(index + 1)
        self.marks: list[tuple[int, str, str, tuple[tuple[str, str | None], ...], str]] = []

    def _mark(
        self,
        kind: str,
        tag: str = "",
        attrs: list[tuple[str, str | None]] | None = None,
        text: str = "",
    ) -> None:
        line, column = self.getpos()
        offset = self._line_starts[line - 1] + column
        self.marks.append((offset, kind, tag, tuple(attrs or ()), text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark("start", tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._mark("startend", tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._mark("end", tag)

    def handle_data(self, data: str) -> None:
        self._mark("data", text=data)

    def handle_comment(self, data: str) -> None:
        self._mark("other")

    def handle_decl(self, decl: str) -> None:
        self._mark("other")

    def handle_pi(self, data: str) -> None:
        self._mark("other")

    def unknown_decl(self, data: str) -> None:
        self._mark("other")

    def events(self) -> list[_Event]:
        self.feed(self._source)
        self.close()
        found: list[_Event] = []
        for i, (offset, kind, tag, attrs, text) in enumerate(self.marks):
            end = self.marks[i + 1][0] if i + 1 < len(self.marks) else len(self._source)
            found.append(_Event(kind, self._source[offset:end], tag, attrs, text))
        return found


def parse_html(text: str, language: str) -> ParsedText:
    """Units are the sentences of text runs and alt/title values; everything else is literal."""
    builder = ParsedTextBuilder()
    run: list[Atom] = []
    events = _Recorder(text).events()
    covered = "".join(e.raw for e in events)
    if covered != text:
        # The parser skipped something (it should not); never lose the caller's text.
        builder.warnings.append("HTML could not be parsed exactly; returned untranslated")
        builder.literal(text)
        return builder.build()
    index = 0
    while index < len(events):
        event = events[index]
        if event.kind in ("start", "startend") and _untouched(event):
            index, raw = _skip_element(events, index)
            _place(builder, run, language, Atom((raw,)), inline=event.tag in INLINE)
            continue
        if event.kind == "data":
            # A single newline in HTML text is only a space: the model should see one sentence.
            # Blank lines are kept; editors use them as paragraph breaks.
            run.append(Atom((event.raw,), _LONE_NEWLINE.sub(" ", event.text)))
        elif event.kind in ("start", "startend", "end"):
            atom = Atom(_tag_parts(builder, event, language))
            _place(builder, run, language, atom, inline=event.tag in INLINE)
        else:
            _place(builder, run, language, Atom((event.raw,)), inline=bool(run))
        index += 1
    _flush(builder, run, language)
    return builder.build()


def _place(
    builder: ParsedTextBuilder, run: list[Atom], language: str, atom: Atom, *, inline: bool
) -> None:
    if inline:
        run.append(atom)
        return
    _flush(builder, run, language)
    for part in atom.raw:
        if isinstance(part, str):
            builder.literal(part)
        else:
            builder.parts.append(part)


def _flush(builder: ParsedTextBuilder, run: list[Atom], language: str) -> None:
    if run:
        add_run(builder, run, language, _escape)
        run.clear()


def _escape(text: str) -> str:
    # Only what could start markup or an entity; ">" stays as the source may have written it.
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _untouched(event: _Event) -> bool:
    attrs = dict(event.attrs)
    classes = (attrs.get("class") or "").split()
    return (
        event.tag in UNTOUCHED
        or (attrs.get("translate") or "").lower() == "no"
        or "notranslate" in classes
    )


def _skip_element(events: list[_Event], index: int) -> tuple[int, str]:
    """The whole element starting at `index`, as written; returns the index after it."""
    start = events[index]
    if start.kind == "startend" or start.tag in VOID:
        return index + 1, start.raw
    depth, raw = 0, []
    for position in range(index, len(events)):
        event = events[position]
        raw.append(event.raw)
        if event.tag == start.tag and event.kind == "start":
            depth += 1
        elif event.tag == start.tag and event.kind == "end":
            depth -= 1
            if depth == 0:
                return position + 1, "".join(raw)
    return len(events), "".join(raw)


def _tag_parts(builder: ParsedTextBuilder, event: _Event, language: str) -> tuple[Part, ...]:
    """The tag as written, with alt/title values cut out as units of their own."""
    parts: list[Part] = []
    raw, cursor = event.raw, 0
    for name, value in event.attrs:
        if name not in TRANSLATABLE_ATTRIBUTES or not value or not any(c.isalpha() for c in value):
            continue
        written = html.escape(value, quote=True)
        found = _value_offset(raw, name, cursor)
        if found < 0 or raw[found : found + len(written)] not in (written, value):
            continue
        length = len(written) if raw[found : found + len(written)] == written else len(value)
        parts.append(raw[cursor:found])
        parts.append(builder.add_unit(value, _attribute_finisher, place=False))
        cursor = found + length
    parts.append(raw[cursor:])
    return tuple(parts)


def _value_offset(raw: str, name: str, start: int) -> int:
    """Where the quoted value of attribute `name` begins in a start tag written `raw`."""
    lowered = raw.lower()
    at = lowered.find(f"{name}=", start)
    while at > 0 and not raw[at - 1].isspace():
        at = lowered.find(f"{name}=", at + 1)
    if at < 0:
        return -1
    at += len(name) + 1
    return at + 1 if raw[at : at + 1] in ('"', "'") else at


def _attribute_finisher(translation: str, finished: object, warnings: list[str]) -> str:
    return html.escape(translation, quote=True)
