"""The held-out terminology challenge set keeps its rules: resolvable, consistent, frozen."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "terms-challenge"
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
LABELS = {
    "nom_paste",
    "wrong_case",
    "foreign_spelling",
    "translit",
    "dropped",
    "gender_agreement",
    "wrong_entity",
}
FAMILIES = {
    "preposition",
    "verb_government",
    "apposition",
    "coordination",
    "name_agreement",
    "possessive",
    "sentence_initial",
    "plural_toponym",
    "indeclinable",
    "multiword",
}
DIRECTIONS = {("en", "uk"), ("en", "ru"), ("uk", "ru"), ("ru", "uk")}
ITEM_KEYS = {"id", "src_lang", "tgt_lang", "family", "src", "ref", "terms", "draft", "draft_errors"}


def items(name: str) -> list[dict[str, Any]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def gold() -> dict[str, dict[str, Any]]:
    raw = yaml.safe_load((DATA / "glossary-gold.yaml").read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in raw["entries"]}


def case_forms(entry: dict[str, Any], lang: str, case: str) -> set[str]:
    """Every gold form of `entry` in `lang` for `case`: preferred, short form and variants."""
    forms = {(entry.get(key) or {}).get(lang, {}).get(case) for key in ("forms", "forms_alt")}
    forms |= set((entry.get("variants") or {}).get(lang, {}).get(case, []))
    return {form for form in forms if form}


def whole_word(form: str, text: str) -> int:
    return len(re.findall(rf"(?<![\w’'-]){re.escape(form)}(?![\w’-])", text))


@pytest.mark.parametrize("name", ["challenge.jsonl", "dev.jsonl"])
def test_every_term_resolves_to_a_gold_form_of_its_case_found_in_the_reference(name: str) -> None:
    entries = gold()
    for item in items(name):
        assert set(item) == ITEM_KEYS, item["id"]
        assert (item["src_lang"], item["tgt_lang"]) in DIRECTIONS, item["id"]
        assert item["family"] in FAMILIES, item["id"]
        assert item["terms"], item["id"]
        needed = Counter(term["ref_form"] for term in item["terms"])
        for term in item["terms"]:
            assert term["id"] in entries, (item["id"], term["id"])
            assert term["case"] in CASES, (item["id"], term["case"])
            forms = case_forms(entries[term["id"]], item["tgt_lang"], term["case"])
            assert term["ref_form"] in forms, (item["id"], term)
        for form, count in needed.items():
            assert whole_word(form, item["ref"]) >= count, (item["id"], form)


@pytest.mark.parametrize("name", ["challenge.jsonl", "dev.jsonl"])
def test_labels_name_an_error_of_an_entry_the_item_uses(name: str) -> None:
    correct = 0
    for item in items(name):
        used = {term["id"] for term in item["terms"]}
        for label in item["draft_errors"]:
            kind, _, entry = label.partition(":")
            assert kind in LABELS, (item["id"], label)
            assert entry in used, (item["id"], label)
        assert len(set(item["draft_errors"])) == len(item["draft_errors"]), item["id"]
        if not item["draft_errors"]:
            correct += 1
            # A correct draft keeps the reference form of every term: changing it is a
            # false repair.
            for form, count in Counter(t["ref_form"] for t in item["terms"]).items():
                assert whole_word(form, item["draft"]) >= count, (item["id"], form)
        else:
            assert item["draft"] != item["ref"], item["id"]
    assert 0.25 <= correct / len(items(name)) <= 0.45


def test_the_held_out_set_is_large_and_spread_over_families_and_directions() -> None:
    challenge = items("challenge.jsonl")
    assert len(challenge) >= 640
    per_family = Counter(item["family"] for item in challenge)
    assert set(per_family) == FAMILIES
    assert min(per_family.values()) >= 40
    for family in FAMILIES:
        directions = {(i["src_lang"], i["tgt_lang"]) for i in challenge if i["family"] == family}
        assert len(directions) >= 3, family
    shares = Counter((item["src_lang"], item["tgt_lang"]) for item in challenge)
    assert shares[("en", "uk")] > shares[("en", "ru")] > shares[("ru", "uk")] > 0
    assert shares[("uk", "ru")] > 0


def test_the_dev_set_is_separate_and_shows_no_held_out_sentence() -> None:
    challenge, dev = items("challenge.jsonl"), items("dev.jsonl")
    assert 150 <= len(dev) <= 250
    assert not {i["src"] for i in challenge} & {i["src"] for i in dev}
    assert not {i["id"] for i in challenge} & {i["id"] for i in dev}
    assert set(Counter(item["family"] for item in dev)) == FAMILIES


def test_the_challenge_file_is_the_frozen_one() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    frozen = re.search(r"challenge\.jsonl` sha256: `([0-9a-f]{64})`", readme)
    assert frozen is not None, "the README records the sha256 of challenge.jsonl"
    digest = hashlib.sha256((DATA / "challenge.jsonl").read_bytes()).hexdigest()
    assert digest == frozen.group(1)


def test_the_user_glossary_is_the_gold_one_without_paradigms() -> None:
    user = yaml.safe_load((DATA / "glossary.yaml").read_text(encoding="utf-8"))["entries"]
    entries = gold()
    assert [entry["id"] for entry in user] == list(entries)
    for entry in user:
        assert not {"forms", "forms_alt", "variants"} & set(entry), entry["id"]
        assert {k: v for k, v in entries[entry["id"]].items() if k in entry} == entry
    for entry in entries.values():
        for lang in ("uk", "ru"):
            assert set(entry["forms"][lang]) == set(CASES), (entry["id"], lang)
            assert entry["forms"][lang]["nomn"] == entry["terms"][lang][0], entry["id"]


def test_no_name_comes_from_the_shipped_or_shared_glossaries() -> None:
    elsewhere: set[str] = set()
    files = [
        ROOT / "glossaries" / "news-ua.yaml",
        *sorted((ROOT / "tests" / "data").glob("*.yaml")),
    ]
    files += sorted((ROOT.parent / "shared" / "eval").glob("glossary*.yaml"))
    for path in files:
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")).get("entries", []):
            for terms in (entry.get("terms") or {}).values():
                elsewhere.update(terms)
    for entry in gold().values():
        for terms in entry["terms"].values():
            assert not set(terms) & elsewhere, entry["id"]


def load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("terms_build", DATA / "authoring" / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up by name while the class body runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_files_are_exactly_what_the_hand_written_authoring_files_give() -> None:
    built = load_builder().outputs()
    for name, text in built.items():
        assert (DATA / name).read_text(encoding="utf-8") == text, name
