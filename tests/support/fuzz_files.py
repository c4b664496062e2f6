"""Glossary files for the fuzz campaign: YAML, CSV, TSV, TBX, TMX, hostile ones included.

A file is a plausible skeleton with fuzzed values, then maybe made hostile (an XML bomb, deep
nesting, a wide tree, a huge field, a YAML alias bomb), encoded one way or another (sometimes
not the way it says), and sometimes mangled (bytes spliced in, a lying BOM, random bytes).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import yaml
from hypothesis import strategies as st

from tests.support.fuzz import GENDERS, KINDS, LETTERS, NAMES, odd_text

FORMATS = ("yaml", "csv", "tsv", "tbx", "tmx")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251", "latin-1", "koi8-u")
Concept = dict[str, list[str]]


@dataclass(frozen=True)
class FuzzedFile:
    """A glossary file as bytes, the format it is sent as, and how it was made."""

    content: bytes
    fmt: str
    how: str

    def __repr__(self) -> str:  # hypothesis prints a failing example: keep it short
        head = self.content[:160]
        return f"FuzzedFile({self.fmt}, {self.how}, {len(self.content)} bytes: {head!r})"


@st.composite
def concepts(draw: st.DrawFn) -> list[Concept]:
    """Concepts as language -> terms, mostly real names, sometimes odd."""
    term = st.one_of(
        st.sampled_from([t for names in NAMES.values() for t in names]),
        st.sampled_from(LETTERS),
        odd_text(16),
    )
    language = st.sampled_from(("en", "uk", "ru", "ua", "en-US", "de", ""))
    concept = st.dictionaries(language, st.lists(term, max_size=3), max_size=3)
    return draw(st.lists(concept, max_size=6))


@st.composite
def yaml_files(draw: st.DrawFn) -> str:
    entries = []
    for number, concept in enumerate(draw(concepts())):
        entry: dict[str, object] = {
            "id": draw(st.one_of(st.just(f"e{number}"), odd_text(6))),
            "kind": draw(st.sampled_from(KINDS)),
            "terms": concept,
        }
        if draw(st.booleans()):
            entry["gender"] = draw(st.sampled_from(GENDERS))
        if draw(st.booleans()):
            entry["forms"] = {"uk": {draw(st.sampled_from(("gent", "loct", "bad"))): "Суджі"}}
        entries.append(entry)
    document = {"name": draw(odd_text(10)), "languages": ["en", "uk", "ru"], "entries": entries}
    text = yaml.safe_dump(document, allow_unicode=True)
    hostile = draw(st.sampled_from(("", "", "alias", "deep", "bigint", "tag", "tabs", "twice")))
    if hostile == "alias":
        text = "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b]\n" + text
    elif hostile == "deep":
        depth = draw(st.integers(50, 3000))
        text = "entries: " + "[" * depth + "]" * depth + "\n"
    elif hostile == "bigint":
        digits = "0" * draw(st.integers(4000, 20_000))
        text = f"version: 1{digits}\n{text}"
    elif hostile == "tag":
        text = "name: !!python/object/apply:os.system [echo]\n" + text
    elif hostile == "tabs":
        text = text.replace("  ", "\t")
    elif hostile == "twice":
        text += text
    return text


HEADER_CELLS = ("en", "uk", "ru", "id", "kind", "gender", "note", "uk:gent", "forbidden:uk")
HEADER_CELLS += ("variants:uk:loct", "xx", "animate", "")


@st.composite
def table_files(draw: st.DrawFn, delimiter: str) -> str:
    out = io.StringIO()
    ending = draw(st.sampled_from(("\n", "\r\n", "\r")))
    writer = csv.writer(out, delimiter=delimiter, lineterminator=ending)
    if draw(st.booleans()):
        writer.writerow(draw(st.lists(st.sampled_from(HEADER_CELLS), max_size=6)))
    for concept in draw(concepts()):
        cells = ["|".join(terms) for terms in concept.values()]
        writer.writerow(cells + draw(st.lists(odd_text(8), max_size=2)))
    text = out.getvalue()
    hostile = draw(st.sampled_from(("", "", "field", "quote", "nul", "cr", "wide")))
    if hostile == "field":
        text += "a" * draw(st.integers(100_000, 300_000)) + delimiter + "б\n"
    elif hostile == "quote":
        text += '"never closed' + delimiter + "x\n"
    elif hostile == "nul":
        text = text.replace(delimiter, "\x00", 1)
    elif hostile == "cr":
        text += "a\rb" + delimiter + '"c\rd"\n'
    elif hostile == "wide":
        text = delimiter.join(["en"] * draw(st.integers(1000, 20_000))) + "\n" + text
    return text


def _tbx_body(found: list[Concept]) -> str:
    def lang_set(language: str, term: str) -> str:
        return (
            f"<langSet xml:lang={quoteattr(language)}><tig><term>{escape(term)}</term>"
            "<termNote type='grammaticalGender'>masculine</termNote></tig></langSet>"
        )

    return "".join(
        "<termEntry>"
        + "".join(lang_set(lang, t) for lang, terms in concept.items() for t in terms)
        + "</termEntry>"
        for concept in found
    )


def _tmx_body(found: list[Concept]) -> str:
    def variant(language: str, term: str) -> str:
        return f"<tuv xml:lang={quoteattr(language)}><seg>{escape(term)}</seg></tuv>"

    return "".join(
        "<tu>" + "".join(variant(lang, t) for lang, terms in c.items() for t in terms) + "</tu>"
        for c in found
    )


def _hostile_xml(draw: st.DrawFn, fmt: str, prolog: str) -> tuple[str, str]:
    """(prolog, extra body) for one kind of hostile XML, or the plain ones."""
    how = draw(st.sampled_from(("", "", "laughs", "quadratic", "external", "deep", "wide",
                                "inline", "encoding", "huge", "doctype")))  # fmt: skip
    segment = "<tu><tuv xml:lang='en'><seg>{}</seg></tuv></tu>"
    if how == "laughs":
        entities = "<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>"
        return prolog + f"<!DOCTYPE x [{entities}]>", segment.format("&b;")
    if how == "quadratic":
        return prolog + "<!DOCTYPE x [<!ENTITY a '" + "a" * 5000 + "'>]>", segment.format(
            "&a;" * 200
        )
    if how == "external":
        entity = "<!ENTITY e SYSTEM 'file:///etc/passwd'>"
        return prolog + f"<!DOCTYPE x [{entity}]>", segment.format("&e;")
    if how == "doctype":
        return prolog + "<!DOCTYPE martif SYSTEM 'TBXcoreStructV02.dtd'>", ""
    if how == "deep":
        depth = draw(st.integers(30, 5000))
        tag = draw(st.sampled_from(("hi", "g", "sub", "x", "termNote")))
        inner = f"<{tag}>" * depth + "Суджа" + f"</{tag}>" * depth
        if fmt == "tmx":
            return prolog, segment.format(inner)
        term = f"<tig><term>{inner}</term></tig>"
        return prolog, f"<termEntry><langSet xml:lang='uk'>{term}</langSet></termEntry>"
    if how == "wide":
        return prolog, "<x/>" * draw(st.integers(1000, 520_000))
    if how == "inline":
        return prolog, segment.format("Су<hi>дж</hi>а<ph>&lt;b&gt;</ph><bpt i='1'/>")
    if how == "encoding":
        name = draw(st.sampled_from(("foo", "utf-16", "cp1251", "ascii", "", "utf-32")))
        return f"<?xml version='1.0' encoding='{name}'?>", ""
    if how == "huge":
        return prolog, segment.format("a" * draw(st.integers(10_000, 300_000)))
    return prolog, ""


@st.composite
def xml_files(draw: st.DrawFn, fmt: str) -> str:
    found = draw(concepts())
    if fmt == "tbx":
        opened, closed = "<martif type='TBX'><text><body>", "</body></text></martif>"
        body = _tbx_body(found)
    else:
        opened, closed = "<tmx version='1.4'><header/><body>", "</body></tmx>"
        body = _tmx_body(found)
    prolog, extra = _hostile_xml(draw, fmt, "<?xml version='1.0' encoding='UTF-8'?>")
    text = prolog + opened + body + extra + closed
    if draw(st.integers(0, 9)) == 0:  # cut short
        text = text[: draw(st.integers(0, len(text)))]
    return text


@st.composite
def glossary_files(draw: st.DrawFn) -> FuzzedFile:
    """Any glossary file in any format, encoded one way or another, sometimes mangled."""
    fmt = draw(st.sampled_from(FORMATS))
    if fmt == "yaml":
        text = draw(yaml_files())
    elif fmt in ("csv", "tsv"):
        text = draw(table_files("," if fmt == "csv" else draw(st.sampled_from(("\t", ";")))))
    else:
        text = draw(xml_files(fmt))
    encoding = draw(st.sampled_from(ENCODINGS))
    content = text.encode(encoding, errors="replace")
    mangle = draw(st.sampled_from(("", "", "", "splice", "bytes", "bom")))
    if mangle == "splice" and content:
        at = draw(st.integers(0, len(content)))
        content = content[:at] + draw(st.binary(min_size=1, max_size=16)) + content[at:]
    elif mangle == "bytes":
        content = draw(st.binary(max_size=400))
    elif mangle == "bom":
        content = b"\xff\xfe" + content
    return FuzzedFile(content, fmt, encoding + (f"+{mangle}" if mangle else ""))
