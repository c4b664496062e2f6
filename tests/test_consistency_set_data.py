"""The name-consistency test set keeps its schema, its promises and its distance from other data."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from service.glossary.model import CASES

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "tests" / "data" / "consistency"
FROZEN_SHA256 = "888647dd994ede8eac3820a93966b2eda9722a9fb42f75e950d934eeb68c2073"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
# Text files whose names the set must not share: glossaries, evaluation and paradigm sets, the
# demo model's corpus names.
OTHER_DATA = [
    *sorted((ROOT / "glossaries").glob("*.yaml")),
    *sorted((ROOT / "tests" / "data").glob("*.yaml")),
    *sorted((ROOT / "tests" / "data" / "paradigms-heldout").glob("*.yaml")),
    ROOT / "models" / "demo" / "names.py",
    ROOT / "models" / "demo" / "held_out.yaml",
]


def read(name: str) -> list[dict[str, Any]]:
    lines = (FOLDER / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_the_test_set_is_frozen() -> None:
    digest = hashlib.sha256((FOLDER / "articles.jsonl").read_bytes()).hexdigest()
    assert digest == FROZEN_SHA256, "articles.jsonl changed: it is frozen (see its README)"


@pytest.mark.parametrize("name", ["articles.jsonl", "dev.jsonl"])
def test_every_recurring_name_has_two_to_five_mentions_in_two_cases(name: str) -> None:
    articles = read(name)
    assert len(articles) >= (40 if name == "articles.jsonl" else 20)
    for article in articles:
        assert len({s["paragraph"] for s in article["sentences"]}) >= 2, article["id"]
        assert article["recurring"], article["id"]
        for key in article["recurring"]:
            mentions = [o for o in article["occurrences"] if o["name"] == key]
            assert 2 <= len(mentions) <= 5, (article["id"], key)
            for language in ("uk", "ru"):
                cases = {o["cases"][language] for o in mentions}
                assert len(cases) >= 2, (article["id"], key, language)
                assert cases <= set(CASES)


def test_expected_forms_stand_where_the_occurrences_say() -> None:
    for article in read("articles.jsonl"):
        for occurrence in article["occurrences"]:
            sentence = article["sentences"][occurrence["sentence"]]
            for language in ("en", "uk", "ru"):
                start, end = occurrence["spans"][language]
                assert sentence[language][start:end] == occurrence["forms"][language]


def test_drafts_follow_the_first_mention_and_one_in_five_is_clean() -> None:
    articles = read("articles.jsonl")
    assert Counter(a["clean_draft"] for a in articles)[True] >= 8
    for article in articles:
        firsts = {}
        for number, occurrence in enumerate(article["occurrences"]):
            firsts.setdefault(occurrence["name"], number)
        for language in ("uk", "ru"):
            errors = article["draft_errors"][language]
            assert len(article["drafts"][language]) == len(article["sentences"])
            assert (not errors) == article["clean_draft"], (article["id"], language)
            assert not {e["occurrence"] for e in errors} & set(firsts.values())
            labels = {e["error"] for e in errors}
            assert labels <= {"variant", "nom_paste", "foreign_spelling"}


def _distinctive_words(article_names: list[dict[str, Any]]) -> set[str]:
    """Surnames and place words of the set, in every language (given names are common)."""
    found: set[str] = set()
    for name in article_names:
        for language in ("uk", "ru"):
            forms = name.get(f"{language}_surname") or name[language]
            found |= {form.split()[-1] for form in forms.values()}
        found.add(str(name.get("en_surname") or name["en"]).split()[-1])
    return {word for word in found if len(word) > 3}


def test_no_name_of_the_set_is_in_a_glossary_an_evaluation_set_or_the_demo_corpus() -> None:
    names = {n["key"]: n for a in read("articles.jsonl") for n in a["names"]}
    words = _distinctive_words(list(names.values()))
    others = [path for path in OTHER_DATA if path.exists()]
    if SHARED_EVAL.is_dir():
        others += sorted(SHARED_EVAL.glob("*"))
    text = "\n".join(path.read_text(encoding="utf-8") for path in others)
    found = {word for word in words if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)}
    assert not found
