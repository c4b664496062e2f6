"""Compiled glossaries for people and tools: a plain-text table and a JSON-ready mapping."""

from __future__ import annotations

from typing import Any

from service.glossary.model import CompiledEntry, CompiledGlossary, CompiledTerms, Paradigm
from service.glossary.problem import Problem

_HEADER = ("ENTRY", "LANG", "TERM", "CASE", "FORM", "ALSO ACCEPTED")


def problems_to_list(problems: tuple[Problem, ...] | list[Problem]) -> list[dict[str, str]]:
    """Problems as JSON objects."""
    return [
        {
            "severity": problem.severity,
            "file": problem.file,
            "entry": problem.entry_id,
            "field": problem.field,
            "message": problem.message,
        }
        for problem in problems
    ]


def compiled_to_dict(compiled: CompiledGlossary) -> dict[str, Any]:
    """Per entry and language: every case -> preferred form, accepted variants and warnings."""
    glossary = compiled.glossary
    return {
        "id": glossary.id,
        "name": glossary.name,
        "description": glossary.description,
        "version": glossary.version,
        "languages": list(glossary.languages),
        "entries": [_entry_dict(item) for item in compiled.entries],
    }


def _entry_dict(item: CompiledEntry) -> dict[str, Any]:
    entry = item.entry
    return {
        "id": entry.id,
        "kind": entry.kind,
        "gender": entry.gender,
        "animate": entry.animate,
        "declinable": entry.declinable,
        "warnings": list(item.warnings),
        "languages": {language: _terms_dict(terms) for language, terms in item.languages.items()},
    }


def _terms_dict(terms: CompiledTerms) -> dict[str, Any]:
    return {
        **_paradigm_dict(terms.preferred),
        "alternatives": [_paradigm_dict(paradigm) for paradigm in terms.alternatives],
        "forbidden": list(terms.forbidden),
    }


def _paradigm_dict(paradigm: Paradigm) -> dict[str, Any]:
    return {
        "term": paradigm.term,
        "forms": dict(paradigm.forms),
        "variants": {case: list(forms) for case, forms in paradigm.variants.items() if forms},
        "guessed": paradigm.guessed,
    }


def render_table(compiled: CompiledGlossary) -> str:
    """One row per entry, language, term and case, so a terminologist reads what is enforced."""
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    for item in compiled.entries:
        for language, terms in item.languages.items():
            for paradigm in terms.paradigms():
                rows += _paradigm_rows(item.entry.id, language, paradigm)
            if terms.forbidden:
                rows.append(
                    (item.entry.id, language, "", "", "(forbidden)", ", ".join(terms.forbidden))
                )
        notes += [f"warning: entry {item.entry.id}: {text}" for text in item.warnings]
    return "\n".join([*_aligned([_HEADER, *rows]), *notes]) + "\n"


def _paradigm_rows(entry_id: str, language: str, paradigm: Paradigm) -> list[tuple[str, ...]]:
    distinct = set(paradigm.forms.values())
    if len(distinct) == 1 and not any(paradigm.variants.values()):
        return [(entry_id, language, paradigm.term, "all", paradigm.term, "")]
    marker = " (guessed)" if paradigm.guessed else ""
    rows: list[tuple[str, ...]] = []
    for case, form in paradigm.forms.items():
        also = ", ".join(paradigm.variants.get(case, ()))
        rows.append((entry_id, language, paradigm.term + marker, case, form, also))
    return rows


def _aligned(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(_HEADER))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
