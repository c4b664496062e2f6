"""Admission at the door and the liveness watchdog, on real batchers and a real server."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from prometheus_client import CollectorRegistry

from service.edge.status import retry_delay_of_call
from service.errors import OverloadedError
from service.hypothesis import Hypothesis
from service.metrics import Metrics
from service.pb import translation_pb2 as pb
from service.translation.admission import Admission, estimate_sentences
from service.translation.batcher import Batcher, BatchLimits, BatchOptions
from service.translation.watchdog import Watchdog
from tests.conftest import settings_for, start_server


def test_sentences_are_estimated_from_their_ends() -> None:
    assert estimate_sentences(["One. Two! Three?", "", "No end", "A\nB\n", "C.\nD...\n"]) == 8


def test_admission_holds_capacity_until_the_work_ends() -> None:
    admission = Admission({}, max_pending=10)
    with admission.admit("en", "uk", 8, None):
        assert admission.pending("uk") == 8
        with pytest.raises(OverloadedError) as caught, admission.admit("", "uk", 3, None):
            pass
        assert "limit is 10" in str(caught.value)
        assert caught.value.retry_after_s > 0
        with admission.admit("en", "ru", 3, None):  # other targets have their own budget
            pass
    assert admission.pending("uk") == 0


def _saturated_batcher(pair: str, rate: float) -> Batcher:
    """A batcher whose measured capacity is `rate` sentences per second."""
    batcher = Batcher(
        pair, lambda t, p, o: [], len, BatchLimits(), Metrics(CollectorRegistry(), process=False)
    )
    finished = 0.0
    for _ in range(50):
        finished += 1.0
        batcher.throughput.record(int(rate), 1.0, finished, backlogged=True)
    return batcher


def test_work_that_cannot_finish_before_its_deadline_is_refused() -> None:
    admission = Admission({"en-uk": _saturated_batcher("en-uk", 100)}, max_pending=10_000)
    with admission.admit("en", "uk", 300, None):  # three seconds of work pending
        soon = time.monotonic() + 1.0
        with pytest.raises(OverloadedError) as caught, admission.admit("en", "uk", 10, soon):
            pass
        assert 1.5 < caught.value.retry_after_s < 3.5
        with admission.admit("en", "uk", 10, time.monotonic() + 10.0):
            pass
        with admission.admit("en", "uk", 10, None):
            pass


async def test_overload_is_refused_before_any_work_is_done(models_dir: Path) -> None:
    running = await start_server(settings_for(models_dir, max_queue_sentences=4))
    try:
        encoded = running.sample(
            "tlumach_stage_duration_seconds_count", {"stage": "encode", "pair": "en-uk"}
        )
        text = " ".join(f"Sentence number {n} is here." for n in range(6))
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await running.stub.Translate(pb.TranslateRequest(texts=[text], target_language="uk"))
        assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        delay = retry_delay_of_call(caught.value)
        assert delay is not None
        assert delay > 0
        after = running.sample(
            "tlumach_stage_duration_seconds_count", {"stage": "encode", "pair": "en-uk"}
        )
        assert after == encoded, "a refused request must not be parsed or detected"
        small = pb.TranslateRequest(texts=["Talks go on."], target_language="uk")
        assert (await running.stub.Translate(small)).results[0].text
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)


async def test_watchdog_reports_a_direction_that_finishes_no_batch() -> None:
    release = threading.Event()

    def wedged(
        texts: Sequence[str], targets: Sequence[str | None], options: BatchOptions
    ) -> list[list[Hypothesis]]:
        release.wait(10)  # an engine call that does not come back
        return [[Hypothesis(text, 0.0, ())] for text in texts]

    metrics = Metrics(CollectorRegistry(), process=False)
    batcher = Batcher("en-uk", wedged, len, BatchLimits(max_delay_s=0.0), metrics)
    batcher.start()
    changes: list[frozenset[str]] = []

    async def record(stalled: frozenset[str]) -> None:
        changes.append(stalled)

    watchdog = Watchdog({"en-uk": batcher}, 0.2, record)
    call = asyncio.ensure_future(batcher.submit(["Stuck."]))
    await asyncio.sleep(0.4)
    await watchdog.check()
    assert watchdog.stalled == {"en-uk"}
    release.set()
    await call
    await watchdog.check()
    assert changes == [frozenset({"en-uk"}), frozenset()]
    await batcher.stop()


async def test_a_stalled_direction_turns_health_not_serving(models_dir: Path) -> None:
    running = await start_server(settings_for(models_dir))
    health = health_pb2_grpc.HealthStub(running.channel)

    async def status(service: str) -> int:
        request = health_pb2.HealthCheckRequest(service=service)
        return int((await health.Check(request)).status)

    serving = health_pb2.HealthCheckResponse.SERVING
    try:
        await running.app.report_stalled(frozenset({"en-uk"}))
        assert await status("") != serving
        assert await status("tlumach.v1.TranslationService/en-uk") != serving
        assert await status("tlumach.v1.TranslationService/uk-en") == serving
        await running.app.report_stalled(frozenset())
        assert await status("") == serving
        assert await status("tlumach.v1.TranslationService/en-uk") == serving
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)
