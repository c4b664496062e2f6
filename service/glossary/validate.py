"""Glossary validation: every problem an entry can have, each naming file, entry and field."""

from __future__ import annotations

import re
from collections.abc import Iterator

from service.errors import quoted
from service.glossary.model import (
    CASES,
    GENDERS,
    KINDS,
    PLURAL_CASES,
    Entry,
    Glossary,
)
from service.glossary.problem import ERROR, WARNING, Problem
from service.glossary.term_rules import MAX_TERMS_PER_LANGUAGE, unusable
from service.vocab import INFLECTED_LANGUAGES, LANGUAGES

__all__ = ["Problem", "errors_of", "validate"]

ALL_CASES = CASES + PLURAL_CASES
# Ids appear in term reports and gRPC requests: keep them to one unambiguous token.
_ID = re.compile(r"^[\w.-]+$")
MAX_ENTRY_ID_CHARS = 128
_KEY_CHARS = 16


def validate(glossary: Glossary) -> list[Problem]:
    """Every problem of `glossary`, in file order: errors stop it from loading, warnings do not."""
    problems = list(_file_problems(glossary))
    seen_ids: set[str] = set()
    owner: dict[tuple[str, str], str] = {}  # (language, term) -> id of the entry that has it
    for entry in glossary.entries:
        problems += _entry_problems(entry, glossary)
        if entry.id in seen_ids:
            problems.append(_error(glossary, entry, "id", "duplicate id; ids must be unique"))
        seen_ids.add(entry.id)
        problems += _shared_terms(glossary, entry, owner)
    problems += _forbidden_elsewhere(glossary, owner)
    return problems


def errors_of(problems: list[Problem]) -> list[Problem]:
    """Only the problems that stop a glossary from loading."""
    return [problem for problem in problems if problem.is_error]


def _error(glossary: Glossary, entry: Entry | None, field: str, message: str) -> Problem:
    return Problem(ERROR, entry.id if entry else "", field, message, glossary.source)


def _warning(glossary: Glossary, entry: Entry | None, field: str, message: str) -> Problem:
    return Problem(WARNING, entry.id if entry else "", field, message, glossary.source)


def _file_problems(glossary: Glossary) -> Iterator[Problem]:
    for language in glossary.languages:
        if language not in LANGUAGES:
            yield _error(glossary, None, "languages", _unknown_language(language))
    if not glossary.entries:
        yield _warning(glossary, None, "entries", "the glossary has no entries")


def _unknown_language(language: str) -> str:
    return f"unknown language code {quoted(language)}; accepted: {', '.join(LANGUAGES)}"


def _key(language: str) -> str:
    """A language key as a field name shows it (`terms.uk`); an odd or long one is quoted."""
    if len(language) <= _KEY_CHARS and language.isprintable() and "." not in language:
        return f".{language}"
    return f"[{quoted(language, _KEY_CHARS)}]"


def _entry_problems(entry: Entry, glossary: Glossary) -> Iterator[Problem]:
    if not _ID.match(entry.id):
        yield _error(glossary, entry, "id", "use letters, digits, '_', '-' and '.' only")
    elif len(entry.id) > MAX_ENTRY_ID_CHARS:
        yield _error(glossary, entry, "id", f"at most {MAX_ENTRY_ID_CHARS} characters")
    if entry.kind not in KINDS:
        yield _error(glossary, entry, "kind", f"unknown kind; accepted: {', '.join(KINDS)}")
    if entry.gender is not None and entry.gender not in GENDERS:
        yield _error(glossary, entry, "gender", f"unknown gender; accepted: {', '.join(GENDERS)}")
    inflected = [lang for lang in entry.terms if lang in INFLECTED_LANGUAGES and entry.terms[lang]]
    if entry.kind == "person" and entry.gender is None and inflected:
        yield _error(
            glossary,
            entry,
            "gender",
            f"a person with {'/'.join(inflected)} terms needs a gender to inflect the name "
            f"(accepted: {', '.join(GENDERS)})",
        )
    yield from _term_problems(entry, glossary)
    yield from _override_problems(entry, glossary)


def _term_problems(entry: Entry, glossary: Glossary) -> Iterator[Problem]:
    if not any(entry.terms.values()):
        yield _error(glossary, entry, "terms", "the entry has no terms")
    elif len([terms for terms in entry.terms.values() if terms]) == 1:
        yield _warning(glossary, entry, "terms", "terms in one language only: nothing to enforce")
    for field, table in (("terms", entry.terms), ("forbidden", entry.forbidden)):
        for language, terms in table.items():
            where = f"{field}{_key(language)}"
            yield from _language_problems(glossary, entry, where, language)
            if len(terms) > MAX_TERMS_PER_LANGUAGE:
                yield _error(glossary, entry, where, f"at most {MAX_TERMS_PER_LANGUAGE} terms")
                continue
            yield from _text_problems(glossary, entry, where, terms, language)
            if field == "terms" and not terms:
                yield _error(glossary, entry, where, "empty list of terms")
    for language, banned in entry.forbidden.items():
        for term in set(banned) & set(entry.terms.get(language, ())):
            yield _error(
                glossary,
                entry,
                f"forbidden{_key(language)}",
                f"{quoted(term)} is also an accepted term",
            )
        if language in glossary.languages and not entry.terms.get(language):
            yield _warning(
                glossary, entry, f"forbidden.{language}", "forbidden terms without any term"
            )
    for language in entry.terms:
        if language in LANGUAGES and language not in glossary.languages:
            yield _warning(
                glossary, entry, f"terms.{language}", "language not in the glossary's languages"
            )


def _language_problems(
    glossary: Glossary, entry: Entry, field: str, language: str
) -> Iterator[Problem]:
    if language not in LANGUAGES:
        yield _error(glossary, entry, field, _unknown_language(language))


def _text_problems(
    glossary: Glossary,
    entry: Entry,
    field: str,
    terms: tuple[str, ...],
    language: str | None = None,
) -> Iterator[Problem]:
    """Spacing of every term; with `language`, whether each can be a term (term_rules)."""
    seen: set[str] = set()
    for position, term in enumerate(terms):
        where = f"{field}[{position}]"
        why = unusable(term, language) if language is not None else None
        if not term.strip():
            yield _error(glossary, entry, where, "empty term")
        elif term != term.strip():
            yield _error(
                glossary, entry, where, f"{quoted(term)} has leading or trailing whitespace"
            )
        elif "  " in term or "\t" in term or "\n" in term:
            yield _error(
                glossary, entry, where, f"{quoted(term)} has repeated or non-space whitespace"
            )
        elif why is not None:
            yield _error(glossary, entry, where, f"{quoted(term)}: {why}")
        if term in seen:
            yield _warning(glossary, entry, where, f"{quoted(term)} is listed twice")
        seen.add(term)


def _override_problems(entry: Entry, glossary: Glossary) -> Iterator[Problem]:
    for language, cases in entry.forms.items():
        field = f"forms.{language}"
        yield from _override_language(glossary, entry, field, language)
        yield from _text_problems(glossary, entry, field, tuple(cases.values()))
        for case, form in cases.items():
            yield from _case_problems(glossary, entry, f"{field}.{case}", case)
            yield from _forbidden_form(glossary, entry, f"{field}.{case}", language, form)
        preferred = entry.preferred(language)
        if "nomn" in cases and preferred is not None and cases["nomn"] != preferred:
            yield _error(
                glossary,
                entry,
                f"{field}.nomn",
                f"the nominative override {quoted(cases['nomn'])} conflicts with the preferred "
                f"term {quoted(preferred)}; the nominative is the term itself",
            )
    for language, table in entry.variants.items():
        field = f"variants.{language}"
        yield from _override_language(glossary, entry, field, language)
        for case, forms in table.items():
            yield from _case_problems(glossary, entry, f"{field}.{case}", case)
            yield from _text_problems(glossary, entry, f"{field}.{case}", forms)
            for form in forms:
                yield from _forbidden_form(glossary, entry, f"{field}.{case}", language, form)
                if entry.forms.get(language, {}).get(case) == form:
                    yield _warning(
                        glossary, entry, f"{field}.{case}", f"{quoted(form)} is already the form"
                    )


def _override_language(
    glossary: Glossary, entry: Entry, field: str, language: str
) -> Iterator[Problem]:
    if language not in INFLECTED_LANGUAGES:
        yield _error(
            glossary,
            entry,
            field,
            f"case forms apply to {', '.join(INFLECTED_LANGUAGES)} only, not {quoted(language)}",
        )
    elif not entry.terms.get(language):
        yield _error(glossary, entry, field, f"overrides for {language} but no {language} term")


def _case_problems(glossary: Glossary, entry: Entry, field: str, case: str) -> Iterator[Problem]:
    if case not in ALL_CASES:
        yield _error(
            glossary, entry, field, f"unknown case {quoted(case)}; accepted: {' '.join(CASES)}"
        )
    elif case in PLURAL_CASES and entry.gender != "plural":
        yield _warning(glossary, entry, field, "plural case on an entry whose gender is not plural")


def _forbidden_form(
    glossary: Glossary, entry: Entry, field: str, language: str, form: str
) -> Iterator[Problem]:
    if form in entry.forbidden.get(language, ()):
        yield _error(glossary, entry, field, f"{quoted(form)} is also listed as forbidden")


def _shared_terms(
    glossary: Glossary, entry: Entry, owner: dict[tuple[str, str], str]
) -> Iterator[Problem]:
    """A term that two entries claim makes matching ambiguous: which entry does it mean?"""
    for language, terms in entry.terms.items():
        for position, term in enumerate(terms):
            first = owner.setdefault((language, term), entry.id)
            if first != entry.id:
                yield _error(
                    glossary,
                    entry,
                    f"terms.{language}[{position}]",
                    f"{quoted(term)} is already a term of entry {quoted(first)}",
                )


def _forbidden_elsewhere(
    glossary: Glossary, owner: dict[tuple[str, str], str]
) -> Iterator[Problem]:
    for entry in glossary.entries:
        for language, banned in entry.forbidden.items():
            for position, term in enumerate(banned):
                other = owner.get((language, term))
                if other is not None and other != entry.id:
                    # A warning: "not Білгород for Belgorod" is right even when Білгород is
                    # another entry's city; enforcement only checks it for this entry's matches.
                    yield _warning(
                        glossary,
                        entry,
                        f"forbidden.{language}[{position}]",
                        f"{quoted(term)} is an accepted term of entry {quoted(other)}",
                    )
