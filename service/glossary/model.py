"""The glossary data model: entries as users write them, and their compiled paradigms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from service.vocab import LANGUAGES

KINDS = ("person", "place", "organization", "term")
GENDERS = ("masculine", "feminine", "neuter", "plural")
# pymorphy/OpenCorpora case tags, in the order grammars list them.
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
PLURAL_CASES = tuple(f"plur_{case}" for case in CASES)


@dataclass(frozen=True)
class Entry:
    """One concept of a glossary, in every language it covers, as the user wrote it."""

    id: str
    kind: str
    terms: Mapping[str, tuple[str, ...]]
    """Terms per language code, the preferred form first; the rest are also accepted."""
    forbidden: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    gender: str | None = None
    animate: bool | None = None
    declinable: bool = True
    forms: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """User overrides of the preferred term's forms: language -> case -> form."""
    variants: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    """Further accepted forms: language -> case -> forms."""
    note: str = ""

    def preferred(self, language: str) -> str | None:
        """The preferred term in `language`, or None when the entry has none."""
        terms = self.terms.get(language, ())
        return terms[0] if terms else None


@dataclass(frozen=True)
class Glossary:
    """A glossary file as loaded: metadata and entries in file order."""

    id: str
    name: str
    entries: tuple[Entry, ...]
    description: str = ""
    languages: tuple[str, ...] = LANGUAGES
    version: str = "1"
    source: str = ""
    """Path or label of the file it came from, for error messages."""


@dataclass(frozen=True)
class Paradigm:
    """Every case form of one term in one language."""

    term: str
    """The term as written in the glossary (nominative)."""
    forms: Mapping[str, str]
    """Case -> form to generate: CASES, plus PLURAL_CASES for plural toponyms."""
    variants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Case -> other forms accepted when verifying (never generated)."""
    guessed: bool = False
    """True when some form came from an unknown-word guess rather than a dictionary or rule."""

    def all_forms(self) -> frozenset[str]:
        """Every form that counts as this term: generated forms and variants."""
        found = set(self.forms.values())
        for extra in self.variants.values():
            found.update(extra)
        return frozenset(found)

    def cases_of(self, form: str) -> tuple[str, ...]:
        """The cases `form` can stand for, in CASES order (several for syncretic forms)."""
        cases = [case for case, value in self.forms.items() if value == form]
        cases += [case for case, extra in self.variants.items() if form in extra]
        return tuple(dict.fromkeys(cases))


@dataclass(frozen=True)
class CompiledTerms:
    """An entry's terms in one language, compiled for matching and generation."""

    language: str
    preferred: Paradigm
    alternatives: tuple[Paradigm, ...] = ()
    """Paradigms of the other accepted terms (short forms such as the bare surname)."""
    forbidden: tuple[str, ...] = ()

    def paradigms(self) -> tuple[Paradigm, ...]:
        """The preferred paradigm first, then the alternatives."""
        return (self.preferred, *self.alternatives)

    def all_forms(self) -> frozenset[str]:
        """Every accepted form of every accepted term."""
        found: set[str] = set()
        for paradigm in self.paradigms():
            found |= paradigm.all_forms()
        return frozenset(found)

    def other_forms(self) -> list[str]:
        """The accepted forms that are not a case form of the preferred term, sorted."""
        return sorted(self.all_forms() - set(self.preferred.forms.values()))


@dataclass(frozen=True)
class CompiledEntry:
    """An entry with its terms compiled per language, and what the compiler had to guess."""

    entry: Entry
    languages: Mapping[str, CompiledTerms]
    warnings: tuple[str, ...] = ()
    glossary_id: str = ""


@dataclass(frozen=True)
class CompiledGlossary:
    """A glossary ready for enforcement."""

    glossary: Glossary
    entries: tuple[CompiledEntry, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every entry's warnings, prefixed by the entry id."""
        return tuple(f"{item.entry.id}: {text}" for item in self.entries for text in item.warnings)
