"""Bytes that are not a request message: INVALID_ARGUMENT naming `request`, for every rpc, counted,
and only once the caller has passed the access gate; the server goes on answering."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import grpc
import pytest
import pytest_asyncio

from service.pb import translation_pb2 as pb
from tests.conftest import RunningServer, settings_for, start_server
from tests.test_access import TOKENS, bearer, token_file

SERVICE = pb.DESCRIPTOR.services_by_name["TranslationService"]
GOOD = pb.TranslateRequest(texts=["Drones attacked."], source_language="en", target_language="uk")
STRING = 9  # FieldDescriptor.TYPE_STRING


def broken(method: Any, how: str) -> bytes:
    """Bytes that are not a message of the rpc's request type."""
    if how == "bad utf-8":  # the first string field of the message, holding bytes that are not
        field = next(f for f in method.input_type.fields if f.type == STRING)
        return bytes([field.number << 3 | 2, 2]) + b"\xff\xfe"
    if how == "truncated":  # a length-delimited field 1 that claims more bytes than follow
        return b"\x0a\x05ab"
    return b"\x02\x05hello"  # field number 0


BROKEN = ("bad utf-8", "truncated", "field zero")


async def raw_call(channel: grpc.aio.Channel, method: Any, payload: bytes, **kwargs: Any) -> Any:
    path = f"/{SERVICE.full_name}/{method.name}"
    if method.client_streaming:
        call = channel.stream_stream(path)

        async def one() -> AsyncIterator[bytes]:
            yield payload

        return [reply async for reply in call(one(), timeout=20, **kwargs)]
    return await channel.unary_unary(path)(payload, timeout=20, **kwargs)


# A message without fields keeps bytes it does not know as unknown fields: only a cut one is
# broken for it.
CASES = [
    pytest.param(method, payload, id=f"{payload}-{method.name}")
    for method in SERVICE.methods
    for payload in BROKEN
    if payload == "truncated" or method.input_type.fields
]


@pytest.mark.parametrize(("method", "payload"), CASES)
async def test_a_message_that_does_not_parse_is_invalid_argument(
    server: RunningServer, method: Any, payload: str
) -> None:
    before = server.sample(
        "tlumach_requests_total",
        {
            "rpc": method.name,
            "pair": _pair(method),
            "detected": "false",
            "code": "INVALID_ARGUMENT",
        },
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await raw_call(server.channel, method, broken(method, payload))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert (caught.value.details() or "").startswith("request: ")
    after = server.sample(
        "tlumach_requests_total",
        {
            "rpc": method.name,
            "pair": _pair(method),
            "detected": "false",
            "code": "INVALID_ARGUMENT",
        },
    )
    assert after == before + 1
    pairs = await server.stub.ListLanguagePairs(pb.ListLanguagePairsRequest(), timeout=10)
    assert pairs.pairs, "an unrelated call still answers"


def _pair(method: Any) -> str:
    return "unresolved" if method.name.startswith("Translate") else "none"


async def test_a_broken_stream_message_ends_the_stream_after_the_items_before_it(
    server: RunningServer,
) -> None:
    path = f"/{SERVICE.full_name}/TranslateStream"
    good = pb.TranslateStreamRequest(item_id="1", request=GOOD).SerializeToString()
    call = server.channel.stream_stream(
        path, response_deserializer=pb.TranslateStreamResponse.FromString
    )

    async def messages() -> AsyncIterator[bytes]:
        yield good
        yield b"\x0a\x05ab"
        yield good

    answers: list[pb.TranslateStreamResponse] = []

    async def read() -> None:
        async for answer in call(messages(), timeout=30):
            answers.append(answer)

    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await read()
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert (caught.value.details() or "").startswith("request: stream message 2 does not parse")
    assert [(a.item_id, a.status_code) for a in answers] == [("1", 0)]


@pytest_asyncio.fixture(scope="module")
async def gated(
    models_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[RunningServer]:
    path = token_file(
        tmp_path_factory.mktemp("tokens") / "tokens.yaml",
        [{"id": "newsroom", "token": TOKENS["newsroom"]}],
    )
    running = await start_server(settings_for(models_dir, auth_tokens_file=path))
    yield running
    await running.channel.close()
    await running.app.stop(grace=1)


async def test_the_gate_comes_before_the_parse(gated: RunningServer) -> None:
    method = SERVICE.methods_by_name["Translate"]
    for metadata, expected in (
        ((), grpc.StatusCode.UNAUTHENTICATED),
        (bearer("newsroom"), grpc.StatusCode.INVALID_ARGUMENT),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await raw_call(gated.channel, method, broken(method, "bad utf-8"), metadata=metadata)
        assert caught.value.code() == expected
