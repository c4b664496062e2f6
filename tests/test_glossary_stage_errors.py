"""A sentence whose enforcement raises keeps the model's text; the request and the rest go on."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from service.glossary.enforcement.enforcer import Enforcer
from service.glossary.enforcement.report import EnforcementResult
from service.glossary.enforcement.steps import Steps
from service.glossary.model import CompiledEntry
from service.hypothesis import Hypothesis
from service.metrics import Metrics
from service.model_store.engine import Engine
from service.translation.batcher import BatchOptions
from service.translation.glossary_stage import Enforced, GlossaryStage, Sentences
from service.translation.request import TranslationOptions
from service.translation.routes import RouteTranslator
from service.vocab import FAILED, KEPT
from tests.support.enforce_glossary import entries, term_engine
from tests.support.model_path import route_translator

FAILING = "Drones hit Kursk."
"""The sentence the enforcer below cannot handle."""
WORKING = "Residents of Sudzha left."


class OneSentenceFails(Enforcer):
    """The real enforcer, except that it raises as pymorphy3 once did on one kind of sentence."""

    def enforce(
        self,
        source: str,
        source_lang: str,
        target_lang: str,
        hypotheses: Sequence[Hypothesis],
        entries: Sequence[CompiledEntry],
        **options: Any,
    ) -> Steps[EnforcementResult]:
        if source == FAILING:
            # The message quotes the text, as a library's message may: the log must not.
            raise ValueError(f"cannot parse {source!r}")
        return super().enforce(source, source_lang, target_lang, hypotheses, entries, **options)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return term_engine(tmp_path_factory.mktemp("stage-errors"))


def _sentences(stage: GlossaryStage, drafts: dict[str, str]) -> Sentences:
    sources = list(drafts)
    return Sentences(
        sources=sources,
        hypotheses=[[Hypothesis(drafts[s], 0.0, ())] for s in sources],
        options=[BatchOptions() for _ in sources],
        matches=stage.find(sources, "en", "uk", entries()),
    )


async def _enforce(
    stage: GlossaryStage, translator: RouteTranslator, drafts: dict[str, str]
) -> Enforced:
    sentences = _sentences(stage, drafts)
    return await stage.enforce(translator, sentences, entries(), TranslationOptions(), None)


def _flat(warnings: Sequence[object]) -> list[str]:
    """The stage's warnings as strings, whether it returns them per request or per sentence."""
    return [str(w) for item in warnings for w in (item if isinstance(item, tuple) else (item,))]


async def test_a_raising_sentence_keeps_its_text_and_the_others_are_enforced(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    metrics = Metrics(CollectorRegistry(), process=False)
    with ThreadPoolExecutor(2, thread_name_prefix="text") as executor:
        stage = GlossaryStage(metrics, OneSentenceFails(), executor)
        async with route_translator(engine) as translator:
            # Both drafts are right, so no n-best widening replaces them with the model's text.
            drafts = {FAILING: "Дрони вдарили по Курську.", WORKING: "Жителі Суджі пішли."}
            enforced = await _enforce(stage, translator, drafts)
    failing, working = enforced.hypotheses
    assert failing[0].text == "Дрони вдарили по Курську."  # the model's text, untouched
    assert [r.outcome for r in enforced.reports[0]] == [FAILED]
    assert enforced.reports[0][0].method == "error"
    assert working[0].text == "Жителі Суджі пішли."
    assert [r.outcome for r in enforced.reports[1]] == [KEPT]
    assert any("enforcement failed" in w for w in _flat(enforced.warnings))
    errors = metrics.registry.get_sample_value(
        "tlumach_glossary_enforcement_errors_total", {"pair": "en-uk"}
    )
    assert errors == 1.0
    # The log says what failed and where, never the sentence.
    assert "en-uk" in caplog.text
    assert "ValueError" in caplog.text
    assert "Kursk" not in caplog.text


async def test_many_concurrent_failures_leave_an_unrelated_call_answering(engine: Engine) -> None:
    metrics = Metrics(CollectorRegistry(), process=False)
    with ThreadPoolExecutor(2, thread_name_prefix="text") as executor:
        stage = GlossaryStage(metrics, OneSentenceFails(), executor)
        async with route_translator(engine) as translator:
            failing = [
                _enforce(stage, translator, {FAILING: "Дрони вдарили по Курську."})
                for _ in range(24)
            ]
            unrelated = _enforce(stage, translator, {WORKING: "Жителі Суджі пішли."})
            *failed, answered = await asyncio.wait_for(asyncio.gather(*failing, unrelated), 60)
    assert all(result.reports[0][0].outcome == FAILED for result in failed)
    assert answered.hypotheses[0][0].text == "Жителі Суджі пішли."
    assert [r.outcome for r in answered.reports[0]] == [KEPT]
    errors = metrics.registry.get_sample_value(
        "tlumach_glossary_enforcement_errors_total", {"pair": "en-uk"}
    )
    assert errors == 24.0


async def test_a_sentence_that_raises_after_widening_is_reported_like_one_that_raises_at_once(
    engine: Engine,
) -> None:
    # A wrong draft is widened to an n-best list before enforcement begins; a right one is
    # enforced in the first trip to the executor. Either way one raising sentence is contained.
    metrics = Metrics(CollectorRegistry(), process=False)
    with ThreadPoolExecutor(2, thread_name_prefix="text") as executor:
        stage = GlossaryStage(metrics, OneSentenceFails(), executor)
        async with route_translator(engine) as translator:
            drafts = {FAILING: "Дрони вдарили по Курськ.", WORKING: "Жителі Суджі пішли."}
            enforced = await _enforce(stage, translator, drafts)
    assert [(r.outcome, r.method) for r in enforced.reports[0]] == [(FAILED, "error")]
    assert [r.outcome for r in enforced.reports[1]] == [KEPT]
    errors = metrics.registry.get_sample_value(
        "tlumach_glossary_enforcement_errors_total", {"pair": "en-uk"}
    )
    assert errors == 1.0
