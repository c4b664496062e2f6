"""Scored ties of many concurrent calls share one real batcher, and an unrelated call answers."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from prometheus_client import CollectorRegistry

from service.glossary.enforcement.enforcer import Enforcer
from service.glossary.enforcement.report import EnforcementResult
from service.glossary.enforcement.steps import drive
from service.metrics import Metrics
from service.model_store.engine import Engine
from service.model_store.registry import Route
from service.translation.batcher import BatchLimits, BatchOptions
from service.translation.routes import CallAnswerer, RouteTranslator, leg_batcher
from tests.support.enforce_glossary import draft, entries, term_engine
from tests.support.model_path import engine_leg


@pytest.fixture(scope="module")
def term_model(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return term_engine(tmp_path_factory.mktemp("scored-ties"))


async def test_many_scored_ties_share_the_batcher(term_model: Engine) -> None:
    """ "на Одеса" with no clue to accusative or locative: each call asks the model to score
    both; 32 at once go through one real batcher while an unrelated decode still answers."""
    metrics = Metrics(CollectorRegistry(), process=False)
    leg = engine_leg(term_model, "en-uk")
    batcher = leg_batcher(leg, BatchLimits(max_delay_s=0.01), metrics)
    batcher.start()
    translator = RouteTranslator(Route("en-uk", (leg,)), {"en-uk": batcher})
    executor = ThreadPoolExecutor(2)

    async def tie() -> EnforcementResult:
        steps = Enforcer().enforce(
            "Shelling on Odesa.", "en", "uk", draft("Обстріли на Одеса."), entries(), model=True
        )
        return await drive(steps, CallAnswerer(translator, BatchOptions(), None), executor)

    ties = [asyncio.ensure_future(tie()) for _ in range(32)]
    [[unrelated]] = await asyncio.wait_for(
        translator.translate(["Residents left."], BatchOptions()), 30
    )
    results = await asyncio.wait_for(asyncio.gather(*ties), 60)
    await batcher.stop()
    assert unrelated.text
    assert {r.text for r in results} <= {"Обстріли на Одесу.", "Обстріли на Одесі."}
    assert all(r.reports[0].method == "wrong-case+model-score" for r in results)
    scored = metrics.registry.get_sample_value(
        "tlumach_batches_total", {"pair": "en-uk", "op": "score"}
    )
    assert scored is not None
    assert scored > 0, "every tie was scored by the model, through the batcher"
