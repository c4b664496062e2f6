"""Imported records to glossary entries: code and value normalisation, stable ids from terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.errors import GlossaryError
from service.glossary.model import Entry, Glossary
from service.vocab import LANGUAGES

# Three-letter codes and the common "ua" mistake name the same languages; regions do not matter.
_LANGUAGE_ALIASES = {"eng": "en", "ukr": "uk", "ua": "uk", "rus": "ru"}
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$")
_GENDER_ALIASES = {
    "m": "masculine",
    "masc": "masculine",
    "male": "masculine",
    "f": "feminine",
    "fem": "feminine",
    "female": "feminine",
    "n": "neuter",
    "neut": "neuter",
    "pl": "plural",
    "plur": "plural",
    "pluraletantum": "plural",
}
_TRUE = frozenset({"true", "yes", "y", "1", "animate", "declinable"})
_FALSE = frozenset({"false", "no", "n", "0", "inanimate", "indeclinable"})
# Ukrainian national transliteration (2010), with the Russian-only letters added, for readable ids.
_TRANSLIT = {
    **dict(zip("абвгґдезиіїйклмнопрстуфыэё", "abvhgdezyiiiklmnoprstufyee", strict=True)),
    **{"є": "ie", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"},
    **{"ю": "iu", "я": "ia", "ь": "", "ъ": ""},
}


@dataclass
class Record:
    """One imported concept before it becomes an Entry; `where` locates it for error messages."""

    where: str
    terms: dict[str, list[str]] = field(default_factory=dict)
    forbidden: dict[str, list[str]] = field(default_factory=dict)
    forms: dict[str, dict[str, str]] = field(default_factory=dict)
    variants: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    id: str = ""
    kind: str = "term"
    gender: str | None = None
    animate: bool | None = None
    declinable: bool = True
    note: str = ""

    def add_term(self, language: str, term: str, *, forbidden: bool = False) -> None:
        """Append a term (or a forbidden variant) in `language`, keeping file order."""
        table = self.forbidden if forbidden else self.terms
        table.setdefault(language, []).append(term)


def language_code(raw: str) -> str:
    """`en-US`, `uk_UA`, `UKR`, `ua` -> the service's code; other codes pass through lower-cased."""
    code = raw.strip().lower()
    base = re.split(r"[-_]", code, maxsplit=1)[0]
    return _LANGUAGE_ALIASES.get(base, base)


def looks_like_language(raw: str) -> bool:
    """True for a cell that reads as a language code (used to recognise header rows)."""
    return bool(_LANGUAGE_CODE.match(raw.strip().lower()))


def gender_value(raw: str) -> str | None:
    """A gender written as `m`, `fem`, `masculine`...; unknown ones pass through to validation."""
    value = raw.strip().lower().replace(" ", "").replace("_", "")
    if not value:
        return None
    return _GENDER_ALIASES.get(value, value)


def bool_value(raw: str, *, source: str, where: str, field: str) -> bool | None:
    """true/false, yes/no, 1/0 (and animate/inanimate); empty = not given."""
    value = raw.strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise GlossaryError(f"{raw!r} is not true or false", file=source, entry=where, field=field)


def slug(text: str) -> str:
    """A readable ASCII id from a term: `Нижній Новгород` -> `nyzhnii_novhorod`."""
    latin = "".join(_TRANSLIT.get(char, char) for char in text.lower())
    return re.sub(r"[^a-z0-9]+", "_", latin).strip("_") or "entry"


def build_glossary(
    records: list[Record], *, glossary_id: str, source: str, name: str = ""
) -> Glossary:
    """Entries from records, with ids from the English (or first) term, made unique."""
    taken = {record.id for record in records if record.id}
    # The last number given to each base id: a file of many rows with the same term numbers
    # them in one pass, not by trying every number again for each row.
    numbers: dict[str, int] = {}
    entries = []
    for record in records:
        entry_id = record.id or _unique(_base_id(record), taken, numbers)
        taken.add(entry_id)
        entries.append(_entry(record, entry_id))
    used = {language for entry in entries for language in entry.terms}
    # Unknown codes stay out: validation reports them once, on the entry that has them.
    languages = tuple(lang for lang in LANGUAGES if lang in used)
    return Glossary(
        id=glossary_id,
        name=name or glossary_id,
        entries=tuple(entries),
        languages=languages,
        source=source,
    )


def _base_id(record: Record) -> str:
    english = record.terms.get("en")
    first = english[0] if english else next((t[0] for t in record.terms.values() if t), "")
    return slug(first)


def _unique(base: str, taken: set[str], numbers: dict[str, int]) -> str:
    candidate, number = base, numbers.get(base, 1)
    while candidate in taken:
        number += 1
        candidate = f"{base}_{number}"
    numbers[base] = number
    return candidate


def _entry(record: Record, entry_id: str) -> Entry:
    return Entry(
        id=entry_id,
        kind=record.kind,
        terms={language: tuple(terms) for language, terms in record.terms.items()},
        forbidden={language: tuple(terms) for language, terms in record.forbidden.items()},
        gender=record.gender,
        animate=record.animate,
        declinable=record.declinable,
        forms=record.forms,
        variants=record.variants,
        note=record.note,
    )
