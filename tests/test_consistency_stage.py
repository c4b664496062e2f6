"""The consistency stage on given translations, its model calls answered by the demo model."""

from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import pytest_asyncio

from service.glossary.consistency.stage import Consistent, NameConsistency
from service.glossary.enforcement.enforcer import Enforcer
from service.glossary.enforcement.steps import drive
from service.glossary.model import Entry
from service.glossary.paradigms.compiler import Compiler
from service.model_store.engine import Engine
from service.model_store.registry import Route
from service.translation.batcher import BatchOptions
from service.translation.routes import CallAnswerer, RouteTranslator
from service.vocab import AUTO_CONSISTENCY
from tests.support.model_path import batchers_for, engine_leg

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "models" / "demo" / "tlumach-demo"
SOURCES = [
    "Stepan Horbatiuk visited Trostianets.",
    "Residents of Trostianets say they trust Horbatiuk.",
    "Journalists asked Horbatiuk about the situation in Trostianets.",
]
# A draft that writes both names three ways: a variant spelling, a nominative where the
# genitive is needed, the Russian spelling.
DRAFT = [
    "Степан Горбатюк відвідав Тростянець.",
    "Мешканці Тростянець кажуть, що довіряють Гарбатюку.",
    "Журналісти запитали Горбатюка про ситуацію в Тростянце.",
]
RIGHT = [
    "Степан Горбатюк відвідав Тростянець.",
    "Мешканці Тростянця кажуть, що довіряють Горбатюку.",
    "Журналісти запитали Горбатюка про ситуацію в Тростянці.",
]


@pytest.fixture(scope="module")
def compiler() -> Compiler:
    return Compiler()


@pytest_asyncio.fixture
async def translator() -> AsyncIterator[RouteTranslator]:
    leg = engine_leg(Engine(DEMO), "en-uk", ">>ukr<<")
    async with batchers_for({"en-uk": leg}) as batchers:
        yield RouteTranslator(Route("en-uk", (leg,)), batchers)


async def run(
    stage: NameConsistency,
    translator: RouteTranslator,
    texts: list[str],
    glossary: list[list] | None = None,  # type: ignore[type-arg]
) -> Consistent:
    steps = stage.run(SOURCES, texts, ("en", "uk"), glossary or [[] for _ in SOURCES])
    with ThreadPoolExecutor(1) as executor:
        return await drive(steps, CallAnswerer(translator, BatchOptions(), None), executor)


async def test_every_mention_follows_the_first_rendering_in_the_case_it_needs(
    compiler: Compiler, translator: RouteTranslator
) -> None:
    result = await run(NameConsistency(compiler), translator, list(DRAFT))
    assert result.texts == RIGHT
    reports = [r for found in result.reports for r in found]
    assert {r.outcome for r in reports} == {AUTO_CONSISTENCY}
    assert {r.glossary_id for r in reports} == {"auto"}
    anchors = [r for r in reports if r.method == "anchor"]
    assert {r.source_text for r in anchors} == {"Stepan Horbatiuk", "Trostianets"}
    repaired = {r.original_text: r.target_text for r in reports if r.original_text}
    assert repaired == {"Тростянець": "Тростянця", "Гарбатюку": "Горбатюку",
                        "Тростянце": "Тростянці"}  # fmt: skip


async def test_an_article_already_consistent_is_left_alone_and_unreported(
    compiler: Compiler, translator: RouteTranslator
) -> None:
    result = await run(NameConsistency(compiler), translator, list(RIGHT))
    assert result.texts == RIGHT
    assert result.reports == [(), (), ()]


async def test_a_name_in_a_glossary_is_never_the_stage_s(
    compiler: Compiler, translator: RouteTranslator
) -> None:
    entry = Entry(
        "trostianets", "place", {"en": ("Trostianets",), "uk": ("Тростянець",)},
        gender="masculine",
    )  # fmt: skip
    entries = [compiler.compile_entry(entry, "news")]
    enforcer = Enforcer()
    glossary = [enforcer.find_terms(s, "en", "uk", entries) for s in SOURCES]
    assert all(glossary)
    result = await run(NameConsistency(compiler), translator, list(DRAFT), glossary)
    reported = {r.source_text for found in result.reports for r in found}
    assert "Trostianets" not in reported
    # The glossary's own forms are never a repair target: what the draft wrote for the
    # glossary name is the glossary stage's business.
    assert "Тростянце" in result.texts[2]
    assert "Горбатюку" in result.texts[1]
