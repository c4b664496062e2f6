"""The production model path around engines, for tests and benches that run no server.

Enforcement asks for decodes and scores as values; here, as in the server, they are answered
by real batchers over real engines (`service.translation.routes.leg_batcher`), on the event loop.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from prometheus_client import CollectorRegistry

from service.glossary.enforcement.enforcer import Enforcer
from service.glossary.enforcement.report import EnforcementResult
from service.glossary.enforcement.steps import drive
from service.glossary.model import CompiledEntry
from service.hypothesis import Hypothesis
from service.metrics import Metrics
from service.model_store.engine import Engine
from service.model_store.registry import Leg, ModelInfo, Route
from service.translation.batcher import Batcher, BatchLimits, BatchOptions
from service.translation.routes import CallAnswerer, RouteTranslator, leg_batcher

LIMITS = BatchLimits(max_delay_s=0.001)


async def start_batchers(legs: Mapping[str, Leg]) -> dict[str, Batcher]:
    """A started batcher per leg, on the running loop."""
    metrics = Metrics(CollectorRegistry(), process=False)
    batchers = {pair: leg_batcher(leg, LIMITS, metrics) for pair, leg in legs.items()}
    for batcher in batchers.values():
        batcher.start()
    return batchers


@contextlib.asynccontextmanager
async def batchers_for(legs: Mapping[str, Leg]) -> AsyncIterator[dict[str, Batcher]]:
    """A started batcher per leg, stopped on exit."""
    batchers = await start_batchers(legs)
    try:
        yield batchers
    finally:
        for batcher in batchers.values():
            await batcher.stop()


def engine_leg(engine: Engine, pair: str, target_token: str | None = None) -> Leg:
    """One engine serving one direction."""
    tokens = {pair.split("-")[1]: target_token} if target_token else {}
    info = ModelInfo(path=engine.model_dir, name="test", pairs=(pair,), target_tokens=tokens)
    return Leg(pair, engine, info)


@contextlib.asynccontextmanager
async def route_translator(engine: Engine, pair: str = "en-uk") -> AsyncIterator[RouteTranslator]:
    """A translator over one engine for one direction, through a real batcher."""
    leg = engine_leg(engine, pair)
    async with batchers_for({pair: leg}) as batchers:
        yield RouteTranslator(Route(pair, (leg,)), batchers)


async def enforce_with_model(
    translator: RouteTranslator,
    source: str,
    hypotheses: Sequence[Hypothesis],
    entries: Sequence[CompiledEntry],
    enforcer: Enforcer | None = None,
) -> EnforcementResult:
    """Enforce one sentence with the model answering every decode and score it asks for."""
    src, tgt = translator.route.pair.split("-")
    steps = (enforcer or Enforcer()).enforce(source, src, tgt, hypotheses, entries, model=True)
    with ThreadPoolExecutor(1, thread_name_prefix="text") as executor:
        return await drive(steps, CallAnswerer(translator, BatchOptions(), None), executor)
