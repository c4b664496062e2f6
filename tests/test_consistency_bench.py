"""The consistency bench's scorer: the references score perfect, flawed drafts do not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.consistency_score import Oracle, draft_paragraphs, paragraphs, score_article
from service.glossary.paradigms.compiler import Compiler

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = [
    json.loads(line)
    for line in (ROOT / "tests/data/consistency/articles.jsonl").read_text().splitlines()
]


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    return Oracle(Compiler())


@pytest.mark.parametrize("target", ["uk", "ru", "en"])
def test_the_expected_translation_is_consistent_and_exact(oracle: Oracle, target: str) -> None:
    for article in ARTICLES:
        for score in score_article(article, paragraphs(article, target), target, oracle):
            assert score.consistent, (article["id"], score.name)
            assert score.exact == score.mentions == score.found


def test_clean_drafts_score_consistent_and_flawed_names_do_not(oracle: Oracle) -> None:
    flawed = consistent = 0
    for article in ARTICLES:
        scores = score_article(article, draft_paragraphs(article, "uk"), "uk", oracle)
        if article["clean_draft"]:
            assert all(s.consistent for s in scores), article["id"]
            continue
        wrong = {
            article["occurrences"][e["occurrence"]]["name"] for e in article["draft_errors"]["uk"]
        }
        for score in scores:
            if score.name in wrong:
                flawed += 1
                consistent += score.consistent
    assert flawed > 50
    assert consistent == 0
