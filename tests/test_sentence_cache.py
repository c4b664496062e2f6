"""The sentence cache: bounded LRU, and through a real server, hits only for equal inputs."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from prometheus_client import CollectorRegistry

from service.hypothesis import Hypothesis
from service.metrics import Metrics
from service.pb import translation_pb2 as pb
from service.translation.sentence_cache import Finished, SentenceCache
from tests.conftest import RunningServer, settings_for, start_server

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Drones attacked the city at night. Nobody was hurt."


def finished(text: str) -> Finished:
    return Finished((Hypothesis(text, -0.1, ()),))


def test_least_recently_used_sentences_go_first() -> None:
    metrics = Metrics(CollectorRegistry(), process=False)
    cache = SentenceCache(2, metrics)
    cache.put("a", finished("A"))
    cache.put("b", finished("B"))
    assert cache.get("a") == finished("A")  # a is now the most recent
    cache.put("c", finished("C"))
    assert cache.get("b") is None
    assert cache.get("a") == finished("A")
    assert cache.get("c") == finished("C")
    sample = metrics.registry.get_sample_value
    assert sample("tlumach_sentence_cache_lookups_total", {"result": "hit"}) == 3
    assert sample("tlumach_sentence_cache_lookups_total", {"result": "miss"}) == 1
    assert sample("tlumach_sentence_cache_evictions_total", {}) == 1
    assert sample("tlumach_sentence_cache_sentences", {}) == 2


def test_capacity_zero_turns_the_cache_off() -> None:
    cache = SentenceCache(0, Metrics(CollectorRegistry(), process=False))
    cache.put("a", finished("A"))
    assert cache.get("a") is None
    assert not cache.enabled


@pytest_asyncio.fixture
async def cached_server(models_dir: Path, tmp_path: Path) -> AsyncIterator[RunningServer]:
    glossaries = tmp_path / "glossaries"
    glossaries.mkdir()
    shutil.copy(ROOT / "tests" / "data" / "glossary-enforce.yaml", glossaries / "enforce.yaml")
    running = await start_server(
        settings_for(models_dir, glossaries_dir=glossaries, glossary_watch_interval_s=0)
    )
    yield running
    await running.channel.close()
    await running.app.stop(grace=1)


def _request(**fields: object) -> pb.TranslateRequest:
    return pb.TranslateRequest(texts=[TEXT], source_language="en", target_language="uk", **fields)


def _decoded(server: RunningServer) -> float:
    return server.sample("tlumach_batch_size_sentences_sum", {"pair": "en-uk"})


async def test_a_repeated_sentence_is_not_decoded_again(cached_server: RunningServer) -> None:
    first = await cached_server.stub.Translate(_request())
    decoded = _decoded(cached_server)
    again = await cached_server.stub.Translate(_request(request_id="another caller"))
    assert again.results[0].text == first.results[0].text
    assert _decoded(cached_server) == decoded, "both sentences came from the cache"
    hits = cached_server.sample("tlumach_sentence_cache_lookups_total", {"result": "hit"})
    assert hits >= 2


@pytest.mark.parametrize(
    "changed",
    [
        {"options": pb.TranslateOptions(beam_size=4)},
        {"options": pb.TranslateOptions(alternatives=1)},
        {"glossary_ids": ["enforce"]},
        {
            "inline_entries": [
                pb.InlineGlossaryEntry(
                    id="city",
                    kind="term",
                    terms={"en": pb.TermList(terms=["city"]), "uk": pb.TermList(terms=["місто"])},
                )
            ]
        },
    ],
    ids=["beam", "alternatives", "glossary", "inline-entries"],
)
async def test_other_options_or_glossaries_are_translated_anew(
    cached_server: RunningServer, changed: dict[str, object]
) -> None:
    await cached_server.stub.Translate(_request())
    decoded = _decoded(cached_server)
    await cached_server.stub.Translate(_request(**changed))
    assert _decoded(cached_server) > decoded


async def test_a_reloaded_glossary_is_not_served_from_the_cache(
    cached_server: RunningServer,
) -> None:
    await cached_server.stub.Translate(_request(glossary_ids=["enforce"]))
    decoded = _decoded(cached_server)
    await cached_server.stub.Translate(_request(glossary_ids=["enforce"]))
    assert _decoded(cached_server) == decoded
    await cached_server.app.reload_glossaries()  # a new revision, even of the same file
    await cached_server.stub.Translate(_request(glossary_ids=["enforce"]))
    assert _decoded(cached_server) > decoded
