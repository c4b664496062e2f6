"""The request counter on a real server: a deadline that passes is DEADLINE_EXCEEDED whoever
noticed it first, a caller's cancel is CANCELLED, and requests carry the direction translated."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc
import pytest

from service.pb import translation_pb2 as pb
from tests.conftest import RunningServer

# Detection of 16 texts of 5,000 characters takes about half a second here, with no deadline
# check of its own: only gRPC's deadline or the caller's cancel ends it early.
SLOW_DETECTION = pb.DetectLanguageRequest(texts=["Drones attacked Kharkiv at night. " * 140] * 16)
SENTENCE = "Ukrainian troops advanced 2 km into the Kursk region."
UKRAINIAN = "Українські війська просунулися на 2 км у Курську область."


def count(server: RunningServer, rpc: str, pair: str, code: str, detected: str = "false") -> float:
    labels = {"rpc": rpc, "pair": pair, "detected": detected, "code": code}
    return server.sample("tlumach_requests_total", labels)


async def settled(server: RunningServer, rpc: str, pair: str, code: str, expected: float) -> None:
    """Wait (briefly) for the server's side of a call the client already saw end."""
    for _ in range(100):
        if count(server, rpc, pair, code) >= expected:
            return
        await asyncio.sleep(0.05)
    assert count(server, rpc, pair, code) >= expected, (rpc, pair, code)


async def test_a_deadline_that_passes_inside_grpc_counts_as_deadline_exceeded(
    server: RunningServer,
) -> None:
    before = count(server, "DetectLanguage", "none", "DEADLINE_EXCEEDED")
    cancelled = count(server, "DetectLanguage", "none", "CANCELLED")
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await server.stub.DetectLanguage(SLOW_DETECTION, timeout=0.1)
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    await settled(server, "DetectLanguage", "none", "DEADLINE_EXCEEDED", before + 1)
    assert count(server, "DetectLanguage", "none", "CANCELLED") == cancelled


async def test_a_caller_that_cancels_with_time_left_counts_as_cancelled(
    server: RunningServer,
) -> None:
    before = count(server, "DetectLanguage", "none", "CANCELLED")
    call = server.stub.DetectLanguage(SLOW_DETECTION, timeout=30)
    await asyncio.sleep(0.1)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    await settled(server, "DetectLanguage", "none", "CANCELLED", before + 1)


async def test_stream_items_cut_off_with_their_stream_are_counted(
    server: RunningServer,
) -> None:
    """Items in flight when the caller cancels the stream end with it, and each is counted.

    (No deadline: with one, admission may refuse the items at once, which is counted too but
    cuts nothing off.)
    """
    article = " ".join(f"Drones attacked {n} towns at night." for n in range(120))
    request = pb.TranslateRequest(texts=[article] * 2, source_language="en", target_language="uk")
    items = [pb.TranslateStreamRequest(item_id=str(n), request=request) for n in range(6)]

    def ended(code: str) -> float:
        return count(server, "TranslateStream", "en-uk", code)

    before = {code: ended(code) for code in ("CANCELLED", "OK", "DEADLINE_EXCEEDED")}

    async def messages() -> AsyncIterator[pb.TranslateStreamRequest]:
        for item in items:
            yield item
        await asyncio.Event().wait()  # keep the stream open: the caller cancels it

    call = server.stub.TranslateStream(messages())
    await asyncio.sleep(0.3)  # 1,440 sentences: far more than that of work
    call.cancel()
    for _ in range(100):
        if sum(ended(code) - before[code] for code in before) >= len(items):
            break
        await asyncio.sleep(0.05)
    assert ended("CANCELLED") - before["CANCELLED"] >= 1
    assert sum(ended(code) - before[code] for code in before) == len(items)


async def test_a_detected_source_is_counted_under_the_direction_it_resolved_to(
    server: RunningServer,
) -> None:
    before = count(server, "Translate", "en-uk", "OK", detected="true")
    request = pb.TranslateRequest(texts=[SENTENCE], target_language="uk")
    response = await server.stub.Translate(request, timeout=30)
    assert response.results[0].source_language == "en"
    assert count(server, "Translate", "en-uk", "OK", detected="true") == before + 1
    assert server.sample("tlumach_inflight_requests", {"pair": "en-uk"}) == 0


async def test_texts_that_go_several_ways_are_mixed(server: RunningServer) -> None:
    before = count(server, "Translate", "mixed", "OK", detected="true")
    request = pb.TranslateRequest(texts=[SENTENCE, UKRAINIAN], target_language="ru")
    response = await server.stub.Translate(request, timeout=60)
    assert [r.source_language for r in response.results] == ["en", "uk"]
    assert count(server, "Translate", "mixed", "OK", detected="true") == before + 1
    for pair in ("en-ru", "uk-ru"):
        assert server.sample("tlumach_inflight_requests", {"pair": pair}) == 0


async def test_a_request_refused_before_detection_is_unresolved(server: RunningServer) -> None:
    before = count(server, "Translate", "unresolved", "INVALID_ARGUMENT", detected="true")
    with pytest.raises(grpc.aio.AioRpcError):
        await server.stub.Translate(pb.TranslateRequest(texts=[], target_language="uk"))
    after = count(server, "Translate", "unresolved", "INVALID_ARGUMENT", detected="true")
    assert after == before + 1
