"""The request path stays live under concurrent glossary load: repairs go through the batcher."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import pytest_asyncio

from service.pb import translation_pb2 as pb
from tests.conftest import RunningServer, settings_for, start_server

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "models" / "demo" / "tlumach-demo"
# On the demo model this sentence loses both names: enforcement re-decodes with Житомир forced as
# a target prefix and scores candidate forms (checked by the batch counters below).
GLOSSARY_SENTENCE = "Russian drones attacked Hostomel and Zhytomyr overnight."
PLAIN_SENTENCE = "Президент заявив, що переговори продовжаться наступного тижня."


def place(entry_id: str, en: str, uk: str, ru: str) -> pb.InlineGlossaryEntry:
    terms = {"en": [en], "uk": [uk], "ru": [ru]}
    return pb.InlineGlossaryEntry(
        id=entry_id,
        kind="place",
        gender="masculine",
        terms={lang: pb.TermList(terms=t) for lang, t in terms.items()},
    )


ENTRIES = [
    place("hostomel", "Hostomel", "Гостомель", "Гостомель"),
    place("zhytomyr", "Zhytomyr", "Житомир", "Житомир"),
]


@pytest.fixture
def smallest_default_executor() -> Iterator[None]:
    """The event loop's default executor at 2 threads, as on a 2-core machine, for one test."""
    loop = asyncio.get_event_loop_policy().get_event_loop()
    small = ThreadPoolExecutor(max_workers=2, thread_name_prefix="default")
    loop.set_default_executor(small)
    yield
    loop.set_default_executor(ThreadPoolExecutor(thread_name_prefix="default"))
    small.shutdown(wait=False)


@pytest_asyncio.fixture
async def demo_server(
    tmp_path: Path, smallest_default_executor: None
) -> AsyncIterator[RunningServer]:
    models = tmp_path / "models"
    shutil.copytree(DEMO, models / "demo" / DEMO.name)
    running = await start_server(
        settings_for(models, glossaries_dir=ROOT / "glossaries", inter_threads=2)
    )
    yield running
    await running.channel.close()
    await running.app.stop(grace=1)


def glossary_request() -> pb.TranslateRequest:
    return pb.TranslateRequest(
        texts=[GLOSSARY_SENTENCE],
        source_language="en",
        target_language="uk",
        glossary_ids=["news-ua"],
        inline_entries=ENTRIES,
        options=pb.TranslateOptions(return_term_report=True),
    )


async def plain_call(server: RunningServer) -> str:
    request = pb.TranslateRequest(
        texts=[PLAIN_SENTENCE], source_language="uk", target_language="en"
    )
    response = await server.stub.Translate(request, timeout=30)
    return response.results[0].text


async def test_many_glossary_repairs_never_wedge_the_server(demo_server: RunningServer) -> None:
    before = {
        op: demo_server.sample("tlumach_batches_total", {"pair": "en-uk", "op": op})
        for op in ("prefix", "score")
    }
    calls = [
        asyncio.ensure_future(demo_server.stub.Translate(glossary_request(), timeout=60))
        for _ in range(64)
    ]
    await asyncio.sleep(0.2)  # the glossary calls are queued and repairing now
    during = await plain_call(demo_server)
    responses = await asyncio.gather(*calls)
    after = await plain_call(demo_server)
    assert during
    assert after == during
    for response in responses:
        [result] = response.results
        assert result.text
        assert {t.entry_id for t in result.terms} == {"hostomel", "zhytomyr"}
    for op, count in before.items():
        grown = demo_server.sample("tlumach_batches_total", {"pair": "en-uk", "op": op}) - count
        assert grown > 0, f"the glossary calls must have needed {op} batches"
