"""Glossaries as the API shows them: plain mappings shaped like the proto's glossary messages."""

from __future__ import annotations

from typing import Any

from service.glossary.check import CheckResult
from service.glossary.model import CompiledEntry, CompiledGlossary, CompiledTerms
from service.glossary.problem import Problem


def glossary_info(compiled: CompiledGlossary) -> dict[str, Any]:
    """A `GlossaryInfo` message as a mapping."""
    glossary = compiled.glossary
    return {
        "id": glossary.id,
        "name": glossary.name,
        "description": glossary.description,
        "languages": list(glossary.languages),
        "version": str(glossary.version),
        "entry_count": len(compiled.entries),
        "warning_count": len(compiled.warnings),
    }


def compiled_entry(item: CompiledEntry) -> dict[str, Any]:
    """A `CompiledEntry` message as a mapping."""
    entry = item.entry
    return {
        "id": entry.id,
        "kind": entry.kind,
        "gender": entry.gender or "",
        "terms": {lang: {"terms": list(terms)} for lang, terms in entry.terms.items()},
        "compiled": [_forms(terms) for terms in item.languages.values()],
        "warnings": list(item.warnings),
    }


def get_glossary_response(compiled: CompiledGlossary) -> dict[str, Any]:
    """A `GetGlossaryResponse` message as a mapping."""
    return {
        "info": glossary_info(compiled),
        "entries": [compiled_entry(item) for item in compiled.entries],
    }


def check_glossary_response(result: CheckResult) -> dict[str, Any]:
    """A `CheckGlossaryResponse` message as a mapping."""
    entries = result.compiled.entries if result.compiled else ()
    warnings = [
        _problem(Problem("warning", item.entry.id, "", text))
        for item in entries
        for text in item.warnings
    ]
    return {
        "valid": result.ok,
        "problems": [_problem(problem) for problem in result.problems] + warnings,
        "entries": [compiled_entry(item) for item in entries],
    }


def _forms(terms: CompiledTerms) -> dict[str, Any]:
    preferred = set(terms.preferred.forms.values())
    accepted = sorted(terms.all_forms() - preferred)
    return {
        "language": terms.language,
        "forms": dict(terms.preferred.forms),
        "accepted": accepted,
        "forbidden": list(terms.forbidden),
    }


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "severity": problem.severity,
        "entry_id": problem.entry_id,
        "field": problem.field,
        "message": problem.message,
    }
