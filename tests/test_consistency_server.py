"""Name consistency and sentence scores through a real server on the demo models."""

from __future__ import annotations

import asyncio
import math
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from service.pb import translation_pb2 as pb
from tests.conftest import RunningServer, settings_for, start_server

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "models" / "demo" / "tlumach-demo"
# Unseen names: the demo model writes them a different way in nearly every sentence.
ARTICLE = (
    "Stepan Horbatiuk visited Trostianets. Residents of Trostianets say they trust Horbatiuk.\n\n"
    "Journalists asked Horbatiuk about the situation in Trostianets. Russian forces shelled "
    "Trostianets again."
)
PLAIN = "Ukrainian troops advanced 5 km into the Kursk region."


@pytest_asyncio.fixture
async def demo_server(tmp_path: Path) -> AsyncIterator[RunningServer]:
    models = tmp_path / "models"
    shutil.copytree(DEMO, models / "demo" / DEMO.name)
    running = await start_server(
        settings_for(models, glossaries_dir=ROOT / "glossaries", inter_threads=2)
    )
    yield running
    await running.channel.close()
    await running.app.stop(grace=1)


def request(text: str, *, off: bool = False, target: str = "uk") -> pb.TranslateRequest:
    options = pb.TranslateOptions(return_term_report=True, disable_auto_consistency=off)
    return pb.TranslateRequest(
        texts=[text], source_language="en", target_language=target, glossary_ids=["news-ua"],
        options=options,
    )  # fmt: skip


def auto(result: pb.TranslationResult) -> list[pb.TermReport]:
    return [t for t in result.terms if t.outcome == pb.TERM_OUTCOME_AUTO_CONSISTENCY]


async def test_the_stage_reports_its_names_and_switches_off(demo_server: RunningServer) -> None:
    stub = demo_server.stub
    [on] = (await stub.Translate(request(ARTICLE), timeout=60)).results
    [off] = (await stub.Translate(request(ARTICLE, off=True), timeout=60)).results
    assert auto(on), on.text
    assert not auto(off)
    assert on.text != off.text
    assert on.text.count("\n\n") == ARTICLE.count("\n\n")
    for report in auto(on):
        assert report.glossary_id == "auto"
        assert ARTICLE[report.source_start : report.source_end] == report.source_text
        assert report.target_text == "" or report.target_text in on.text
    anchors = [r for r in auto(on) if r.method == "anchor"]
    assert anchors
    counted = demo_server.sample(
        "tlumach_glossary_terms_total", {"pair": "en-uk", "outcome": "auto_consistency"}
    )
    assert counted == len(auto(on))


async def test_sentence_scores_describe_the_returned_sentences(
    demo_server: RunningServer,
) -> None:
    [result] = (await demo_server.stub.Translate(request(ARTICLE), timeout=60)).results
    scores = list(result.sentence_scores)
    assert len(scores) == 4
    spans = [ARTICLE[s.source_start : s.source_end] for s in scores]
    assert spans[0] == "Stepan Horbatiuk visited Trostianets."
    assert spans[2].startswith("Journalists asked")
    assert all(s.score <= 0.0 for s in scores)
    assert result.HasField("min_score")
    assert math.isclose(result.min_score, min(s.score for s in scores), rel_tol=1e-6)
    mean = sum(s.score for s in scores) / len(scores)
    assert math.isclose(result.mean_score, mean, rel_tol=1e-5)
    [empty] = (await demo_server.stub.Translate(request("   "), timeout=60)).results
    assert not empty.sentence_scores
    assert not empty.HasField("min_score")


async def test_many_concurrent_articles_through_the_stage_while_another_call_answers(
    demo_server: RunningServer,
) -> None:
    stub = demo_server.stub
    [alone] = (await stub.Translate(request(ARTICLE), timeout=60)).results
    before = demo_server.sample("tlumach_batches_total", {"pair": "en-uk", "op": "align"})
    calls = [
        asyncio.ensure_future(stub.Translate(request(ARTICLE), timeout=120)) for _ in range(24)
    ]
    await asyncio.sleep(0.05)
    started = time.monotonic()
    [plain] = (await stub.Translate(request(PLAIN, off=True), timeout=60)).results
    pairs = await stub.ListLanguagePairs(pb.ListLanguagePairsRequest(), timeout=10)
    answered = time.monotonic() - started
    results = [(await call).results[0] for call in calls]
    assert plain.text
    assert pairs.pairs
    assert answered < 30
    # Every concurrent article comes out as it does alone: the stage's work is per text.
    assert {r.text for r in results} == {alone.text}
    assert all(len(auto(r)) == len(auto(alone)) for r in results)
    after = demo_server.sample("tlumach_batches_total", {"pair": "en-uk", "op": "align"})
    assert after > before  # the alignments went through the batcher
