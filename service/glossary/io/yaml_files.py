"""Glossary YAML files: a type-checked reader that names file, entry and field, and a writer."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from service.errors import GlossaryError
from service.glossary.model import Entry, Glossary
from service.glossary.problem import ERROR, Problem
from service.vocab import LANGUAGES

# libyaml is ~10x faster than the pure-Python parser on a 10,000-entry file.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes lists of terms inline (`[Kyiv, Kiev]`), as people write glossaries by hand."""


class _Inline(list[str]):
    """A list of strings to write in flow style."""


_Dumper.add_representer(
    _Inline, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, True)
)

TOP_FIELDS = ("name", "description", "languages", "version", "entries")
ENTRY_FIELDS = (
    "id",
    "kind",
    "gender",
    "animate",
    "declinable",
    "terms",
    "forbidden",
    "forms",
    "variants",
    "note",
)


def load_glossary(path: Path) -> Glossary:
    """Read a YAML glossary; its id is the file stem. Raises GlossaryError on a malformed file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"cannot read: {exc}", file=str(path)) from exc
    return parse_yaml(text, glossary_id=path.stem, source=str(path))


def parse_yaml(text: str, *, glossary_id: str, source: str) -> Glossary:
    """Parse YAML text; raises GlossaryError for the first structural problem."""
    glossary, problems = read_yaml(text, glossary_id=glossary_id, source=source)
    errors = [problem for problem in problems if problem.is_error]
    if errors or glossary is None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise GlossaryError(
            first.message + more, file=source, entry=first.entry_id, field=first.field
        )
    return glossary


def read_yaml(text: str, *, glossary_id: str, source: str) -> tuple[Glossary | None, list[Problem]]:
    """Parse YAML text leniently: every structural problem is listed, bad parts are skipped.

    Returns None for the glossary when the text is not a YAML mapping at all.
    """
    reader = _Reader(source)
    try:
        if "&" in text:  # anchors: refuse aliases before they can expand (a "billion laughs" file)
            _refuse_aliases(text)
        document = yaml.load(text, Loader=_Loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        reader.error("", "", f"not valid YAML: {_short(exc)}")
        return None, reader.problems
    except (ValueError, RecursionError) as exc:
        # Values the loader cannot build: an integer of thousands of digits (Python refuses to
        # convert it), a structure nested too deep for the pure-Python loader.
        reader.error("", "", f"not valid YAML: {type(exc).__name__}: {str(exc)[:200]}")
        return None, reader.problems
    if not isinstance(document, dict):
        reader.error("", "", "the file must be a YAML mapping with `name` and `entries`")
        return None, reader.problems
    return reader.glossary(document, glossary_id), reader.problems


def dump_yaml(glossary: Glossary) -> str:
    """Write a glossary as YAML that `parse_yaml` reads back to an equal Glossary."""
    document: dict[str, Any] = {
        "name": glossary.name,
        "description": glossary.description,
        "languages": _Inline(glossary.languages),
        "version": glossary.version,
        "entries": [_entry_document(entry) for entry in glossary.entries],
    }
    text: str = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return text


def _entry_document(entry: Entry) -> dict[str, Any]:
    document: dict[str, Any] = {"id": entry.id, "kind": entry.kind}
    if entry.gender is not None:
        document["gender"] = entry.gender
    if entry.animate is not None:
        document["animate"] = entry.animate
    document["declinable"] = entry.declinable
    document["terms"] = {language: _Inline(terms) for language, terms in entry.terms.items()}
    if entry.forbidden:
        document["forbidden"] = {lang: _Inline(terms) for lang, terms in entry.forbidden.items()}
    if entry.forms:
        document["forms"] = {lang: dict(cases) for lang, cases in entry.forms.items()}
    if entry.variants:
        document["variants"] = {
            lang: {case: _Inline(forms) for case, forms in cases.items()}
            for lang, cases in entry.variants.items()
        }
    if entry.note:
        document["note"] = entry.note
    return document


def _refuse_aliases(text: str) -> None:
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.YAMLError("anchors and aliases (&name / *name) are not allowed")


def _short(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{problem} at line {mark.line + 1}" if mark is not None else str(problem)


class _Reader:
    """Converts a parsed YAML document into a Glossary, recording every type problem."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def error(self, entry_id: str, field: str, message: str) -> None:
        self.problems.append(Problem(ERROR, entry_id, field, message, self.source))

    def glossary(self, document: dict[Any, Any], glossary_id: str) -> Glossary:
        for key in document:
            if key not in TOP_FIELDS:
                self.error("", str(key), f"unknown field; accepted: {', '.join(TOP_FIELDS)}")
        raw_entries = document.get("entries")
        if not isinstance(raw_entries, list):
            self.error("", "entries", "must be a list of entries")
            raw_entries = []
        entries = [
            entry
            for index, raw in enumerate(raw_entries)
            if (entry := self.entry(raw, index)) is not None
        ]
        languages = self.string_list(document.get("languages"), "", "languages")
        if languages is None:
            used = {language for entry in entries for language in entry.terms}
            # Unknown codes stay out: validation reports them once, on the entry that has them.
            languages = tuple(lang for lang in LANGUAGES if lang in used)
        version = document.get("version", "1")
        if not isinstance(version, str | int | float) or isinstance(version, bool):
            self.error("", "version", "must be a string or a number")
            version = "1"
        return Glossary(
            id=glossary_id,
            name=self.text(document.get("name", glossary_id), "", "name"),
            entries=tuple(entries),
            description=self.text(document.get("description", ""), "", "description"),
            languages=languages,
            version=str(version),
            source=self.source,
        )

    def entry(self, raw: object, index: int) -> Entry | None:
        if not isinstance(raw, dict):
            self.error(f"#{index + 1}", "", "an entry must be a mapping with `id` and `terms`")
            return None
        entry_id = raw.get("id")
        if not isinstance(entry_id, str | int) or isinstance(entry_id, bool) or entry_id == "":
            self.error(f"#{index + 1}", "id", "missing or not a string")
            return None
        eid = str(entry_id)
        for key in raw:
            if key not in ENTRY_FIELDS:
                self.error(eid, str(key), f"unknown field; accepted: {', '.join(ENTRY_FIELDS)}")
        return Entry(
            id=eid,
            kind=self.text(raw.get("kind", "term"), eid, "kind"),
            terms=self.term_lists(raw.get("terms"), eid, "terms", required=True),
            forbidden=self.term_lists(raw.get("forbidden"), eid, "forbidden"),
            gender=self.optional_text(raw.get("gender"), eid, "gender"),
            animate=self.optional_bool(raw.get("animate"), eid, "animate"),
            declinable=self.optional_bool(raw.get("declinable"), eid, "declinable") is not False,
            forms=self.forms(raw.get("forms"), eid),
            variants=self.variants(raw.get("variants"), eid),
            note=self.text(raw.get("note", ""), eid, "note"),
        )

    def text(self, value: object, entry_id: str, field: str) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if value is not None:
            self.error(entry_id, field, "must be a string")
        return ""

    def optional_text(self, value: object, entry_id: str, field: str) -> str | None:
        return None if value is None else self.text(value, entry_id, field)

    def optional_bool(self, value: object, entry_id: str, field: str) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        self.error(entry_id, field, "must be true or false")
        return None

    def string_list(self, value: object, entry_id: str, field: str) -> tuple[str, ...] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            hint = f" (write [{value}])" if isinstance(value, str) else ""
            self.error(entry_id, field, f"must be a list of strings{hint}")
            return None
        items: list[str] = []
        for position, item in enumerate(value):
            if isinstance(item, str):
                items.append(item)
            else:
                self.error(entry_id, f"{field}[{position}]", "must be a string")
        return tuple(items)

    def term_lists(
        self, value: object, entry_id: str, field: str, *, required: bool = False
    ) -> Mapping[str, tuple[str, ...]]:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.error(entry_id, field, "must map language codes to lists of terms")
            return {}
        lists: dict[str, tuple[str, ...]] = {}
        for language, raw in value.items():
            items = self.string_list(raw, entry_id, f"{field}.{language}")
            if items is not None:
                lists[str(language)] = items
        return lists

    def forms(self, value: object, entry_id: str) -> Mapping[str, Mapping[str, str]]:
        forms: dict[str, dict[str, str]] = {}
        for language, case, raw in self.case_table(value, entry_id, "forms"):
            if isinstance(raw, str):
                forms.setdefault(language, {})[case] = raw
            else:
                self.error(entry_id, f"forms.{language}.{case}", "must be a string")
        return forms

    def variants(self, value: object, entry_id: str) -> Mapping[str, Mapping[str, tuple[str, ...]]]:
        variants: dict[str, dict[str, tuple[str, ...]]] = {}
        for language, case, raw in self.case_table(value, entry_id, "variants"):
            items = self.string_list(raw, entry_id, f"variants.{language}.{case}")
            if items is not None:
                variants.setdefault(language, {})[case] = items
        return variants

    def case_table(self, value: object, entry_id: str, field: str) -> list[tuple[str, str, object]]:
        """(language, case, value) triples of a `language -> case -> value` mapping."""
        if value is None:
            return []
        if not isinstance(value, dict):
            self.error(entry_id, field, "must map language codes to {case: form} mappings")
            return []
        cells: list[tuple[str, str, object]] = []
        for language, cases in value.items():
            if not isinstance(cases, dict):
                self.error(entry_id, f"{field}.{language}", "must map case names to forms")
                continue
            cells.extend((str(language), str(case), raw) for case, raw in cases.items())
        return cells
