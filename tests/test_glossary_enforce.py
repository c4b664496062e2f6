"""Enforcement entry point: n-best choice, prefix re-decoding on a real model, the off switch."""

from __future__ import annotations

import pytest

from service.hypothesis import Hypothesis
from service.model_store.engine import Engine
from service.translation.batcher import BatchOptions
from service.vocab import (
    FAILED,
    KEPT,
    NOT_ENFORCED,
    REPAIRED_FORM,
    REPAIRED_REDECODE,
)
from tests.support.enforce_glossary import draft, enforce_rules, entries, term_engine
from tests.support.model_path import enforce_with_model, route_translator


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return term_engine(tmp_path_factory.mktemp("terms-model"))


def test_sentences_without_terms_pass_through() -> None:
    result = enforce_rules("Nothing to see.", "en", "uk", draft("Нічого."), entries())
    assert result.text == "Нічого."
    assert result.reports == ()


def test_a_close_hypothesis_that_already_has_the_term_is_preferred() -> None:
    hypotheses = [
        Hypothesis("Сирени в Одеса.", -0.50, ()),
        Hypothesis("Сирени в Одесі.", -0.55, ()),
    ]
    result = enforce_rules("Sirens in Odesa.", "en", "uk", hypotheses, entries())
    assert result.text == "Сирени в Одесі."
    assert result.changed
    assert [(r.outcome, r.method) for r in result.reports] == [(KEPT, "n-best")]


def test_a_far_hypothesis_is_not_preferred_and_the_best_is_repaired() -> None:
    hypotheses = [
        Hypothesis("Сирени лунали в Одеса.", -0.50, ()),
        Hypothesis("Сирени в Одесі.", -3.0, ()),
    ]
    result = enforce_rules("Sirens sounded in Odesa.", "en", "uk", hypotheses, entries())
    assert result.text == "Сирени лунали в Одесі."
    assert result.reports[0].outcome == REPAIRED_FORM


def test_enforcement_off_reports_what_it_would_do() -> None:
    result = enforce_rules(
        "Sirens sounded in Odesa.",
        "en",
        "uk",
        draft("Сирени лунали в Одеса."),
        entries(),
        enabled=False,
    )
    assert result.text == "Сирени лунали в Одеса."
    report = result.reports[0]
    assert (report.outcome, report.target_text, report.original_text) == (
        NOT_ENFORCED,
        "Одесі",
        "Одеса",
    )
    assert (report.entry_id, report.source_text, report.source_start, report.source_end) == (
        "odesa",
        "Odesa",
        18,
        23,
    )


def test_missing_term_without_a_model_fails_and_says_so() -> None:
    result = enforce_rules(
        "Residents of Sudzha left.", "en", "uk", draft("Жителі пішли."), entries()
    )
    assert result.text == "Жителі пішли."
    assert result.reports[0].outcome == FAILED
    assert result.warnings


async def test_missing_term_is_forced_as_a_prefix_and_the_model_continues(engine: Engine) -> None:
    source = "Residents of Sudzha left."
    async with route_translator(engine) as translator:
        result = await enforce_with_model(translator, source, draft("Жителі пішли."), entries())
    report = result.reports[0]
    assert (report.outcome, report.method) == (REPAIRED_REDECODE, "prefix-redecode")
    assert report.target_text in {"Суджа", "Суджі", "Суджу", "Суджею"}
    # The text is a real continuation: it starts with the forced prefix.
    assert result.text.split()[0] in {"Жителі", "Суджа", "Суджі", "Суджу"}
    assert report.target_text in result.text


async def test_route_translator_returns_real_hypotheses_and_scores(engine: Engine) -> None:
    async with route_translator(engine) as translator:
        [hypotheses] = await translator.translate(["Kursk region."], BatchOptions(num_hypotheses=2))
        forced = await translator.translate(
            ["Kursk region."], BatchOptions(), prefixes=["Курська область"]
        )
        scores = await translator.score(
            ["Kursk region."] * 2, ["Курська область.", "Курську область."]
        )
    assert len(hypotheses) == 2
    assert hypotheses[0].score >= hypotheses[1].score
    assert forced[0][0].text.startswith("Курська область")
    direct = engine.score_batch(["Kursk region."] * 2, ["Курська область.", "Курську область."])
    assert scores == pytest.approx(direct)
    assert len(scores) == 2
    assert all(score < 0 for score in scores)
