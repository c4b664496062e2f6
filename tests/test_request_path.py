"""The request path stays live under concurrent glossary load: repairs go through the batcher."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from prometheus_client import CollectorRegistry

from service.errors import DeadlineExceededError
from service.glossary.enforcement.enforcer import Enforcer
from service.glossary.enforcement.report import EnforcementResult
from service.glossary.enforcement.steps import drive
from service.hypothesis import Hypothesis
from service.metrics import Metrics
from service.model_store.engine import Engine
from service.model_store.registry import Leg, Route
from service.pb import translation_pb2 as pb
from service.translation.batcher import Batcher, BatchLimits, BatchOptions
from service.translation.routes import CallAnswerer, RouteTranslator, leg_runner
from tests.conftest import RunningServer, settings_for, start_server
from tests.support.enforce_glossary import draft, entries, term_engine
from tests.support.model_path import engine_leg

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "models" / "demo" / "tlumach-demo"
# On the demo model this sentence loses both names: enforcement re-decodes with Житомир forced as
# a target prefix, and the edited sentence is scored again for its result (checked by the batch
# counters below).
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


@pytest_asyncio.fixture
async def smallest_default_executor() -> AsyncIterator[None]:
    """The event loop's default executor at 2 threads, as on a 2-core machine, for one test."""
    loop = asyncio.get_running_loop()
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
        # The cache off: each of the identical calls must do its own repairs.
        settings_for(
            models, glossaries_dir=ROOT / "glossaries", inter_threads=2, sentence_cache_size=0
        )
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


# --- Repairs of a call that gave up are never decoded -------------------------------------


@pytest.fixture(scope="module")
def term_model(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return term_engine(tmp_path_factory.mktemp("terms-model"))


@dataclass
class _Occupied:
    """A one-worker batcher over a real engine whose worker is busy until `release`."""

    batcher: Batcher
    metrics: Metrics
    gate: threading.Event
    occupier: asyncio.Future[list[list[Hypothesis]]]

    def release(self) -> None:
        self.gate.set()


async def _occupied_batcher(leg: Leg) -> _Occupied:
    metrics = Metrics(CollectorRegistry(), process=False)
    gate = threading.Event()
    engine_call = leg_runner(leg)

    def run_batch(
        texts: Sequence[str], targets: Sequence[str | None], options: BatchOptions
    ) -> list[list[Hypothesis]]:
        gate.wait(10)  # the first batch holds the worker: later items wait in the queue
        return engine_call(texts, targets, options)

    batcher = Batcher("en-uk", run_batch, leg.engine.count_tokens, BatchLimits(), metrics)
    batcher.start()
    occupier = asyncio.ensure_future(batcher.submit(["The worker is busy."]))
    await asyncio.sleep(0.05)
    return _Occupied(batcher, metrics, gate, occupier)


async def _queued_repair(
    engine: Engine, deadline: float | None
) -> tuple[asyncio.Task[EnforcementResult], _Occupied]:
    """Enforcement of a sentence whose term is missing: its first model call is a re-decode
    with the term forced, which waits in the queue behind a batch that does not finish."""
    leg = engine_leg(engine, "en-uk")
    occupied = await _occupied_batcher(leg)
    batcher = occupied.batcher
    translator = RouteTranslator(Route("en-uk", (leg,)), {"en-uk": batcher})
    steps = Enforcer().enforce(
        "Residents of Sudzha left.", "en", "uk", draft("Жителі пішли."), entries(), model=True
    )
    answer = CallAnswerer(translator, BatchOptions(), deadline)
    executor = ThreadPoolExecutor(1)
    task = asyncio.ensure_future(drive(steps, answer, executor))
    await asyncio.sleep(0.1)
    assert batcher.depth > 0, "the re-decode should be queued now"
    return task, occupied


def _batches(metrics: Metrics, op: str) -> float:
    value = metrics.registry.get_sample_value("tlumach_batches_total", {"pair": "en-uk", "op": op})
    return value or 0.0


async def test_repair_of_a_cancelled_call_is_never_decoded(term_model: Engine) -> None:
    task, occupied = await _queued_repair(term_model, deadline=None)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    occupied.release()
    await occupied.occupier
    await asyncio.sleep(0.3)  # time for the worker to take a live item, were there one
    await occupied.batcher.stop()
    assert _batches(occupied.metrics, "decode") == 1  # the batch that held the worker
    assert _batches(occupied.metrics, "prefix") == 0
    assert _batches(occupied.metrics, "score") == 0


async def test_repair_of_an_expired_call_is_never_decoded(term_model: Engine) -> None:
    task, occupied = await _queued_repair(term_model, time.monotonic() + 0.2)
    await asyncio.sleep(0.3)
    occupied.release()
    with pytest.raises(DeadlineExceededError):
        await task
    await occupied.occupier
    await occupied.batcher.stop()
    assert _batches(occupied.metrics, "prefix") == 0
    assert _batches(occupied.metrics, "score") == 0


# --- The guard re-decodes what was sent, before enforcement ---------------------------------

LONG = (
    "Ukrainian troops advanced into the Kursk region, the president said that talks will "
    "continue next week, drones attacked the city at night and nobody was hurt in Sudzha."
)


@pytest_asyncio.fixture(scope="module")
async def small_input_server(models_dir: Path) -> AsyncIterator[RunningServer]:
    """Fixture models (random weights: their output fails the language guard), parts of at
    most 8 tokens, outputs of at most 16: the engine then refuses any input over 16 tokens."""
    running = await start_server(
        settings_for(
            models_dir,
            max_input_tokens=8,
            max_output_tokens=16,
            glossaries_dir=ROOT / "tests" / "data",
        )
    )
    yield running
    await running.channel.close()
    await running.app.stop(grace=1)


async def test_guard_re_decodes_the_parts_of_a_split_sentence(
    small_input_server: RunningServer,
) -> None:
    server = small_input_server
    fired = server.sample(
        "tlumach_language_guard_events_total", {"pair": "en-uk", "action": "fired"}
    )
    request = pb.TranslateRequest(texts=[LONG], source_language="en", target_language="uk")
    # The engine refuses inputs over 16 tokens here: a re-joined sentence (~40) would fail.
    [result] = (await server.stub.Translate(request, timeout=60)).results
    assert result.text
    now = server.sample("tlumach_language_guard_events_total", {"pair": "en-uk", "action": "fired"})
    assert now > fired, "random weights write no language: the guard must have fired"
    # One warning per sentence of the text, not per part the model saw.
    assert sum("may not be in uk" in w for w in result.warnings) == 1


async def test_term_report_describes_the_text_returned(
    small_input_server: RunningServer,
) -> None:
    request = pb.TranslateRequest(
        texts=[LONG],
        source_language="en",
        target_language="uk",
        glossary_ids=["glossary-enforce"],
        options=pb.TranslateOptions(return_term_report=True),
    )
    [result] = (await small_input_server.stub.Translate(request, timeout=60)).results
    assert {t.entry_id for t in result.terms} == {"kursk", "sudzha"}
    for term in result.terms:
        assert LONG[term.source_start : term.source_end] == term.source_text
        if term.outcome != pb.TERM_OUTCOME_FAILED:
            assert term.target_text in result.text


async def test_term_offsets_point_into_the_text_sent(server: RunningServer) -> None:
    text = (
        "Зеле\u200bнський\x07 said: see https://example.com/a?b=1 and @handle.\n\n"
        "Drones\u00ad hit Odesa at night, and Odesa answered."
    )
    entry = pb.InlineGlossaryEntry(
        id="odesa",
        kind="place",
        gender="feminine",
        terms={lang: pb.TermList(terms=[t]) for lang, t in
               {"en": "Odesa", "uk": "Одеса", "ru": "Одесса"}.items()},
    )  # fmt: skip
    response = await server.stub.Translate(
        pb.TranslateRequest(
            texts=[text],
            source_language="en",
            target_language="uk",
            inline_entries=[entry],
            options=pb.TranslateOptions(return_term_report=True),
        )
    )
    spans = [(t.source_start, t.source_end) for t in response.results[0].terms]
    first = text.index("Odesa")
    second = text.index("Odesa", first + 1)
    assert spans == [(first, first + 5), (second, second + 5)]
