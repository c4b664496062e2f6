"""Compiles glossary entries into paradigms: every case form of every uk/ru term."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import lru_cache

from service.errors import GlossaryError
from service.glossary.model import (
    CASES,
    PLURAL_CASES,
    CompiledEntry,
    CompiledGlossary,
    CompiledTerms,
    Entry,
    Glossary,
    Paradigm,
)
from service.glossary.paradigms.lookup import Morphology
from service.glossary.paradigms.names import PersonNames
from service.glossary.paradigms.phrase import PhraseInflector, TermSpec
from service.glossary.paradigms.readings import Readings
from service.vocab import INFLECTED_LANGUAGES

logger = logging.getLogger(__name__)

_CACHE_SIZE = 65536
"""Compiled terms remembered across entries and reloads (a few hundred bytes each)."""


class Compiler:
    """Turns entries into CompiledEntry objects; build one and reuse it (analyzers load once)."""

    def __init__(self, *, hidden: Callable[[str], bool] | None = None) -> None:
        """`hidden(word)` True makes the compiler treat a word as unknown (for benchmarks)."""
        morphology = Morphology(hidden=hidden)
        readings = Readings(morphology)
        self._names = PersonNames(morphology, readings)
        self._phrases = PhraseInflector(morphology, self._names, readings)
        self._cached = lru_cache(maxsize=_CACHE_SIZE)(self._phrases.paradigm)

    def compile(self, glossary: Glossary) -> CompiledGlossary:
        """Compile every entry; the first bad one raises GlossaryError naming file, entry, field."""
        compiled = []
        for entry in glossary.entries:
            try:
                compiled.append(self.compile_entry(entry, glossary.id))
            except GlossaryError as error:
                raise GlossaryError(
                    str(error.args[0]).split(": ", 1)[-1],
                    file=glossary.source,
                    entry=error.entry or entry.id,
                    field=error.field,
                ) from error
        return CompiledGlossary(glossary, tuple(compiled))

    def compile_entry(self, entry: Entry, glossary_id: str = "") -> CompiledEntry:
        """Compile one entry in every language it has terms for."""
        languages: dict[str, CompiledTerms] = {}
        warnings: list[str] = []
        for lang, terms in entry.terms.items():
            if not terms:
                continue
            if lang in INFLECTED_LANGUAGES:
                languages[lang] = self._inflected(entry, lang, terms, warnings)
            else:
                languages[lang] = CompiledTerms(
                    lang,
                    _fixed(terms[0]),
                    tuple(_fixed(term) for term in terms[1:]),
                    tuple(entry.forbidden.get(lang, ())),
                )
        return CompiledEntry(entry, languages, tuple(dict.fromkeys(warnings)), glossary_id)

    def _inflected(
        self, entry: Entry, lang: str, terms: tuple[str, ...], warnings: list[str]
    ) -> CompiledTerms:
        spec = self._spec(entry, lang, terms[0])
        forbidden = tuple(entry.forbidden.get(lang, ()))
        paradigms = []
        for index, term in enumerate(terms):
            try:
                paradigm, problems = self._cached(term, spec)
            except GlossaryError:
                raise
            except Exception as error:  # a library failing on odd input must name the entry
                raise GlossaryError(
                    f"cannot inflect '{term}': {error}", entry=entry.id, field=f"terms.{lang}"
                ) from error
            warnings.extend(problems)
            if paradigm.guessed:
                warnings.append(
                    f"{lang}: '{term}' is not in the dictionary; its forms are guessed from "
                    "its ending: check them or give `forms`"
                )
            if index == 0:
                paradigm = _with_overrides(entry, lang, paradigm)
            paradigms.append(_without_forbidden(paradigm, forbidden, lang, warnings))
        return CompiledTerms(lang, paradigms[0], tuple(paradigms[1:]), forbidden)

    def _spec(self, entry: Entry, lang: str, preferred: str) -> TermSpec:
        gender = entry.gender
        if gender is None and entry.kind == "person":
            gender = self._names.infer_gender(lang, preferred.split()[0])
            if gender is None:
                raise GlossaryError(
                    "a person needs `gender` (masculine or feminine) to inflect the name",
                    entry=entry.id,
                    field="gender",
                )
        animate = entry.animate if entry.animate is not None else entry.kind == "person"
        hint = self._surname_hint(entry, lang, gender) if entry.kind == "person" else None
        return TermSpec(lang, entry.kind, gender or "masculine", animate, entry.declinable, hint)

    def _surname_hint(self, entry: Entry, lang: str, gender: str | None) -> bool | None:
        """Whether the entry's other language writes the surname as an adjective (Мудрая).

        Ukrainian -а surnames may be nouns (Гайдамака) or adjectives (Мудра); Russian spells the
        difference (Гайдамака, Мудрая), so the other term settles what the ending cannot.
        """
        for other in INFLECTED_LANGUAGES:
            term = entry.preferred(other) if other != lang else None
            if term and gender:
                return self._names.adjectival_by_spelling(other, term.split()[-1], gender)
        return None


def _fixed(term: str) -> Paradigm:
    """English (and any non-inflected language): the term itself in every case."""
    return Paradigm(term, dict.fromkeys(CASES, term))


def _with_overrides(entry: Entry, lang: str, paradigm: Paradigm) -> Paradigm:
    overrides: Mapping[str, str] = entry.forms.get(lang, {})
    extra: Mapping[str, tuple[str, ...]] = entry.variants.get(lang, {})
    known = set(CASES) | set(PLURAL_CASES)
    for case in (*overrides, *extra):
        if case not in known:
            raise GlossaryError(
                f"unknown case '{case}'; use one of {', '.join((*CASES, *PLURAL_CASES))}",
                entry=entry.id,
                field=f"forms.{lang}.{case}" if case in overrides else f"variants.{lang}.{case}",
            )
    forms = {**paradigm.forms, **overrides}
    variants = dict(paradigm.variants)
    for case, form in overrides.items():
        variants[case] = tuple(v for v in variants.get(case, ()) if v != form)
    for case, more in extra.items():
        variants[case] = tuple(dict.fromkeys((*variants.get(case, ()), *more)))
    if entry.gender == "plural":
        # Plural toponyms keep plur_* in step with the six cases the user overrode.
        forms.update({f"plur_{c}": f for c, f in overrides.items() if f"plur_{c}" not in overrides})
    return Paradigm(paradigm.term, forms, variants, paradigm.guessed and not overrides)


def _without_forbidden(
    paradigm: Paradigm, forbidden: tuple[str, ...], lang: str, warnings: list[str]
) -> Paradigm:
    """Drop dictionary variants the entry forbids; warn if a generated form is forbidden."""
    banned = set(forbidden)  # case matters: НАТО is right where Нато is forbidden
    for case, form in paradigm.forms.items():
        if form in banned:
            warnings.append(f"{lang}: the {case} form '{form}' is also listed as forbidden")
    variants = {
        case: kept
        for case, found in paradigm.variants.items()
        if (kept := tuple(v for v in found if v not in banned))
    }
    return Paradigm(paradigm.term, paradigm.forms, variants, paradigm.guessed)
