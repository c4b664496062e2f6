"""The held-out paradigm entries keep their schema, coverage and distance from the dev data."""

from __future__ import annotations

import collections
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from service.glossary.io.yaml_files import parse_yaml
from service.glossary.model import CASES, GENDERS, KINDS
from service.glossary.validate import errors_of, validate

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "tests" / "data" / "paradigms-heldout"
HELDOUT = FOLDER / "entries.yaml"
DEV = FOLDER / "entries-dev.yaml"
EXTRA_DEV = ROOT / "tests" / "data" / "paradigms-extra-dev.yaml"
"""Constructions the dev set lacks, written for the compiler's development (tuning allowed)."""
SHARED_EVAL = ROOT.parent / "shared" / "eval"
FAMILIES = (
    "person-noun",
    "person-adjectival",
    "person-indeclinable",
    "place-single",
    "place-plural",
    "place-adjective-noun",
    "hyphenated",
    "genitive-complement",
    "abbreviation",
    "organization-adjective-noun",
    "place-indeclinable",
)
# What a glossary user writes; the rest (forms, forms_alt, variants, family) is gold.
USER_FIELDS = ("id", "kind", "gender", "animate", "declinable", "terms", "forbidden", "note")
GOLD_FIELDS = ("family", "forms", "forms_alt", "variants")


def _entries(path: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]
    return entries


def _strings(node: object) -> Iterator[str]:
    """Every string in a YAML document, keys included."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _terms(entry: dict[str, Any]) -> Iterator[str]:
    for terms in entry["terms"].values():
        yield from terms


@pytest.mark.parametrize("path", [HELDOUT, DEV, EXTRA_DEV], ids=["heldout", "dev", "extra-dev"])
def test_every_entry_has_the_schema(path: Path) -> None:
    entries = _entries(path)
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids)), "ids must be unique"
    for entry in entries:
        assert set(entry) <= {*USER_FIELDS, *GOLD_FIELDS}, entry["id"]
        assert entry["family"] in FAMILIES, entry["id"]
        assert entry["kind"] in KINDS, entry["id"]
        assert entry["gender"] in GENDERS, entry["id"]
        assert isinstance(entry["animate"], bool), entry["id"]
        assert isinstance(entry["declinable"], bool), entry["id"]
        assert all(entry["terms"].get(lang) for lang in ("en", "uk", "ru")), entry["id"]
        for lang in ("uk", "ru"):
            _check_paradigms(entry, lang)


def _check_paradigms(entry: dict[str, Any], lang: str) -> None:
    where = f"{entry['id']}/{lang}"
    forms = entry["forms"][lang]
    assert tuple(forms) == CASES, f"{where}: forms need the six cases in order"
    assert forms["nomn"] == entry["terms"][lang][0], f"{where}: nomn must be the preferred term"
    alt = entry.get("forms_alt", {}).get(lang)
    if alt is not None:
        assert tuple(alt) == CASES, f"{where}: forms_alt needs the six cases"
        assert alt["nomn"] in entry["terms"][lang][1:], f"{where}: forms_alt is not a short term"
    variants = entry.get("variants", {}).get(lang, {})
    assert set(variants) <= set(CASES), where
    for case, found in variants.items():
        generated = {forms[case], alt[case] if alt else None}
        assert not generated & set(found), f"{where} {case}: a variant repeats the form"
        assert len(found) == len(set(found)), f"{where} {case}: a variant is listed twice"
    every_variant = [form for found in variants.values() for form in found]
    for form in (*forms.values(), *(alt or {}).values(), *every_variant):
        assert form, where
        assert form == form.strip(), f"{where}: {form!r}"
        assert "  " not in form, f"{where}: {form!r}"
        assert re.fullmatch(r"[А-ЩЬЮЯҐЄІЇа-щьюяґєіїЁёЪъЫыЭэ'«» -]+", form), f"{where}: {form!r}"


@pytest.mark.parametrize("path", [HELDOUT, DEV, EXTRA_DEV], ids=["heldout", "dev", "extra-dev"])
def test_what_users_write_is_a_valid_glossary(path: Path) -> None:
    """The user-written part loads through the service's own reader and validator."""
    user = [{key: entry[key] for key in USER_FIELDS if key in entry} for entry in _entries(path)]
    text = yaml.safe_dump({"entries": user}, allow_unicode=True)
    glossary = parse_yaml(text, glossary_id=path.stem, source=str(path))
    assert not errors_of(validate(glossary))


def test_the_held_out_set_covers_every_family() -> None:
    entries = _entries(HELDOUT)
    assert len(entries) >= 170
    families = collections.Counter(entry["family"] for entry in entries)
    assert all(families[family] >= 12 for family in FAMILIES), families
    persons = collections.Counter(
        (entry["family"], entry["gender"]) for entry in entries if entry["kind"] == "person"
    )
    for family in ("person-noun", "person-adjectival", "person-indeclinable"):
        assert persons[(family, "masculine")] >= 4, family
        assert persons[(family, "feminine")] >= 4, family
    dev = collections.Counter(entry["family"] for entry in _entries(DEV))
    assert 45 <= sum(dev.values()) <= 60
    assert all(dev[family] >= 3 for family in FAMILIES), dev


def test_held_out_names_are_new_to_the_project() -> None:
    """No held-out term is a term or form of the dev set, the shipped, test or shared glossaries."""
    seen: set[str] = set()
    sources = [
        *ROOT.joinpath("glossaries").glob("*.yaml"),
        *ROOT.joinpath("tests/data").glob("*.yaml"),
    ]
    sources += [DEV, *SHARED_EVAL.glob("*.yaml")]
    for source in sources:
        seen.update(_strings(yaml.safe_load(source.read_text(encoding="utf-8"))))
    clashes = sorted({term for entry in _entries(HELDOUT) for term in _terms(entry)} & seen)
    assert not clashes


@pytest.mark.skipif(not SHARED_EVAL.is_dir(), reason="shared eval set not checked out beside")
def test_dev_names_are_not_in_the_shared_eval_set() -> None:
    seen: set[str] = set()
    for source in SHARED_EVAL.glob("*.yaml"):
        seen.update(_strings(yaml.safe_load(source.read_text(encoding="utf-8"))))
    assert not sorted({term for entry in _entries(DEV) for term in _terms(entry)} & seen)


def test_the_held_out_file_is_frozen() -> None:
    """entries.yaml may not change once scored: its sha256 is the one README.md records."""
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"sha256 of `entries\.yaml`: `([0-9a-f]{64})`", readme)
    assert recorded, "README.md must record the sha256 of entries.yaml"
    assert hashlib.sha256(HELDOUT.read_bytes()).hexdigest() == recorded.group(1)
