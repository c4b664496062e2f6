"""TBX v2 (`martif`), TBX v3 (`tbx`, DCA and DCT styles) and TMX glossaries (see xml_tree)."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from service.errors import GlossaryError
from service.glossary.io.records import Record, build_glossary, gender_value, language_code
from service.glossary.io.xml_tree import parse_xml
from service.glossary.model import Glossary
from service.vocab import INFLECTED_LANGUAGES

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Elements whose `type` attribute names the data category (DCA style and TBX v2).
_TYPED = frozenset({"termNote", "descrip", "admin", "transac", "ref", "xref"})
_FORBIDDEN_STATUS = ("deprecated", "superseded", "forbidden", "obsolete", "notrecommended")
# Containers, not data categories.
_STRUCTURE = frozenset(
    {"term", "termGrp", "termNoteGrp", "descripGrp", "transacGrp", "langSet", "langSec"}
    | {"tig", "ntig", "termSec"}
)
# Animacy and "do not inflect" have no TBX-Basic data category: accept these (documented) ones.
_KIND_CATEGORIES = frozenset({"x-kind", "kind", "x-tlumach-kind"})
_DECLINABLE_CATEGORIES = frozenset({"x-declinable", "declinable", "x-tlumach-declinable"})
_NOTE_CATEGORIES = frozenset({"note", "definition", "usagenote"})
# Inline TMX elements whose text is part of the segment (the others carry native codes).
_TMX_TEXT_INLINE = frozenset({"hi", "sub", "g", "mrk"})


def parse_tbx(data: str | bytes, *, glossary_id: str, source: str, name: str = "") -> Glossary:
    """Every termEntry (v2) / conceptEntry (v3) becomes one entry with all its languages."""
    root = parse_xml(data, source)
    if _local(root.tag) not in ("martif", "tbx"):
        raise GlossaryError(
            f"root element <{_local(root.tag)}> is neither martif (TBX v2) nor tbx (TBX v3)",
            file=source,
        )
    records = [
        _tbx_record(element, f"concept {number}", source)
        for number, element in enumerate(_descendants(root, "termEntry", "conceptEntry"), 1)
    ]
    return build_glossary(records, glossary_id=glossary_id, source=source, name=name)


def parse_tmx(data: str | bytes, *, glossary_id: str, source: str, name: str = "") -> Glossary:
    """Every translation unit (`tu`) becomes one entry of kind `term`."""
    root = parse_xml(data, source)
    if _local(root.tag) != "tmx":
        raise GlossaryError(f"root element <{_local(root.tag)}> is not tmx", file=source)
    records = []
    for number, unit in enumerate(_descendants(root, "tu"), 1):
        record = Record(where=f"tu {number}")
        for variant in _children(unit, "tuv"):
            language = _language(variant, record.where, source)
            for segment in _children(variant, "seg"):
                text = _segment_text(segment).strip()
                if text:
                    record.add_term(language, text)
        if record.terms:
            records.append(record)
    return build_glossary(records, glossary_id=glossary_id, source=source, name=name)


def _tbx_record(concept: Element, where: str, source: str) -> Record:
    record = Record(where=where)
    genders: dict[str, str] = {}
    for child in concept:
        if _local(child.tag) in ("langSet", "langSec"):
            language = _language(child, where, source)
            for unit in child:
                if _local(unit.tag) in ("tig", "ntig", "termSec"):
                    gender = _tbx_term(unit, language, record, source)
                    if gender and language not in genders:
                        genders[language] = gender
        else:
            for category, value in _categories(child):
                _concept_category(record, category, value, source)
    preferred = [genders[lang] for lang in (*INFLECTED_LANGUAGES, "en") if lang in genders]
    record.gender = preferred[0] if preferred else next(iter(genders.values()), None)
    return record


def _tbx_term(unit: Element, language: str, record: Record, source: str) -> str | None:
    """Adds the unit's term to `record`; returns the grammatical gender it states, if any."""
    term_element = next(_descendants(unit, "term"), None)
    term = "".join(term_element.itertext()).strip() if term_element is not None else ""
    if not term:
        return None
    gender: str | None = None
    status = ""
    for category, value in _categories(unit):
        if category == "grammaticalgender" and value.lower() in ("masculine", "feminine", "neuter"):
            gender = gender or gender_value(value)
        elif category == "grammaticalnumber" and value.lower() == "plural":
            gender = "plural"
        elif category in ("administrativestatus", "normativeauthorization", "usagestatus"):
            status = value.lower().replace("-", "").replace(" ", "")
        elif category in _NOTE_CATEGORIES | _KIND_CATEGORIES | _DECLINABLE_CATEGORIES:
            _concept_category(record, category, value, source)
        elif category == "animacy":
            record.animate = value.lower() == "animate"
    if any(word in status for word in _FORBIDDEN_STATUS):
        record.add_term(language, term, forbidden=True)
    elif "preferred" in status:
        record.terms.setdefault(language, []).insert(0, term)
    else:
        record.add_term(language, term)
    return gender


def _concept_category(record: Record, category: str, value: str, source: str) -> None:
    if category in _KIND_CATEGORIES:
        record.kind = value.strip().lower()
    elif category in _DECLINABLE_CATEGORIES:
        record.declinable = value.strip().lower() not in ("false", "no", "0", "indeclinable")
    elif category in _NOTE_CATEGORIES and value.strip():
        record.note = f"{record.note} {value.strip()}".strip()


def _categories(element: Element) -> Iterator[tuple[str, str]]:
    """(data category, value) pairs under `element`, in DCA (`<termNote type=..>`) or DCT style."""
    for node in element.iter():
        local = _local(node.tag)
        if local in _STRUCTURE:
            continue
        text = "".join(node.itertext()).strip()
        if local in _TYPED:
            yield node.get("type", "").lower(), text
        else:
            yield local.lower(), text  # DCT style: the element name is the category


def _language(element: Element, where: str, source: str) -> str:
    raw = element.get(_XML_LANG) or element.get("lang") or ""
    if not raw.strip():
        raise GlossaryError("missing xml:lang", file=source, entry=where, field=_local(element.tag))
    return language_code(raw)


def _segment_text(segment: Element) -> str:
    parts = [segment.text or ""]
    for child in segment:
        if _local(child.tag) in _TMX_TEXT_INLINE:
            parts.append(_segment_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _descendants(element: Element, *names: str) -> Iterator[Element]:
    return (node for node in element.iter() if _local(node.tag) in names)


def _children(element: Element, name: str) -> Iterator[Element]:
    return (node for node in element if _local(node.tag) == name)


def _local(tag: str) -> str:
    """The tag without its namespace: `{urn:iso:std:iso:30042:ed-2}term` -> `term`."""
    return tag.rsplit("}", 1)[-1]
