"""Access on a real server: TLS, mutual TLS, bearer tokens on every rpc, permissions and quotas."""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import os
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
import pytest_asyncio
import yaml
from grpc_health.v1 import health_pb2, health_pb2_grpc

from service.edge.status import retry_delay_of_call
from service.logfmt import configure_logging
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from tests.conftest import RunningServer, settings_for, start_server
from tests.support.certs import Authority, write_server_files

HEALTHCHECK = Path(__file__).resolve().parents[1] / "deploy" / "healthcheck.py"
SERVICE = pb.DESCRIPTOR.services_by_name["TranslationService"]
SENTENCE = "Drones attacked the city at night."
TOKENS = {
    "newsroom": "tok-newsroom-2f9c1e5a7b3d4e6f8a0b1c2d3e4f5a6b",
    "reader": "tok-reader-9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b",
    "metered": "tok-metered-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d",
    "spare": "tok-spare-0f1e2d3c4b5a69788796a5b4c3d2e1f0",
}


def token_file(path: Path, entries: list[dict[str, Any]]) -> Path:
    """A token file holding the SHA-256 of each entry's `token` (the token itself never)."""
    rows = []
    for entry in entries:
        row = {k: v for k, v in entry.items() if k != "token"}
        row["sha256"] = hashlib.sha256(entry["token"].encode()).hexdigest()
        rows.append(row)
    path.write_text(yaml.safe_dump({"tokens": rows}), encoding="utf-8")
    return path


def bearer(name: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {TOKENS[name]}"),)


def request_for(method: Any) -> Any:
    """A well-formed (if not always meaningful) request message for any rpc of the service."""
    message = getattr(pb, method.input_type.name)()
    if method.name == "Translate":
        message.texts.append(SENTENCE)
        message.source_language, message.target_language = "en", "uk"
    if method.name == "DetectLanguage":
        message.texts.append(SENTENCE)
    if method.name == "GetGlossary":
        message.glossary_id = "none"
    if method.name == "TranslateStream":
        message.item_id = "1"
        message.request.texts.append(SENTENCE)
        message.request.source_language, message.request.target_language = "en", "uk"
    return message


async def call_rpc(
    channel: grpc.aio.Channel, method: Any, metadata: tuple[tuple[str, str], ...] = ()
) -> Any:
    """Call one rpc of the service by its descriptor; streams send one item and read all."""
    path = f"/{SERVICE.full_name}/{method.name}"
    response_type = getattr(pb, method.output_type.name)
    request = request_for(method)
    if method.client_streaming:
        call = channel.stream_stream(
            path, type(request).SerializeToString, response_type.FromString
        )

        async def items() -> AsyncIterator[Any]:
            yield request

        return [reply async for reply in call(items(), metadata=metadata, timeout=20)]
    unary = channel.unary_unary(path, type(request).SerializeToString, response_type.FromString)
    return await unary(request, metadata=metadata, timeout=20)


async def code_of(channel: grpc.aio.Channel, method: Any, metadata: Any = ()) -> grpc.StatusCode:
    try:
        await call_rpc(channel, method, metadata)
    except grpc.aio.AioRpcError as exc:
        return exc.code()
    return grpc.StatusCode.OK


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("pki")
    server_ca, client_ca, stranger = (Authority.create(n) for n in ("server", "clients", "other"))
    files = write_server_files(folder, server_ca, client_ca)
    return {"server_ca": server_ca, "client_ca": client_ca, "stranger": stranger, "files": files}


@pytest_asyncio.fixture(scope="module")
async def guarded(
    models_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[RunningServer]:
    """A plaintext server with bearer tokens: full, read-only, metered."""
    path = token_file(
        tmp_path_factory.mktemp("tokens") / "tokens.yaml",
        [
            {"id": "newsroom", "token": TOKENS["newsroom"]},
            {"id": "reader", "token": TOKENS["reader"], "rpcs": ["ListLanguagePairs"]},
            {
                "id": "metered",
                "token": TOKENS["metered"],
                "requests_per_minute": 3,
                "characters_per_minute": 200,
            },
        ],
    )
    running = await start_server(settings_for(models_dir, auth_tokens_file=path))
    yield running
    await running.channel.close()
    await running.app.stop(grace=1)


@pytest.mark.parametrize("method", list(SERVICE.methods), ids=lambda m: m.name)
async def test_no_rpc_succeeds_without_a_valid_token(guarded: RunningServer, method: Any) -> None:
    wrong = [
        (),
        (("authorization", "Bearer"),),
        (("authorization", f"Bearer {TOKENS['newsroom']}x"),),
        (("authorization", f"Bearer {TOKENS['spare']}"),),
        (("authorization", f"Basic {TOKENS['newsroom']}"),),
        (("authorization", TOKENS["newsroom"]),),
        (("x-api-key", TOKENS["newsroom"]),),
        (("authorization", f"Bearer {TOKENS['newsroom']}"), ("authorization", "Bearer other")),
    ]
    messages = set()
    for metadata in wrong:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call_rpc(guarded.channel, method, metadata)
        assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED, metadata
        messages.add(caught.value.details())
    assert len(messages) == 1, "the refusal must not say which part failed"
    # The same rpc with the token gets past the gate (it may still be a caller error).
    code = await code_of(guarded.channel, method, bearer("newsroom"))
    assert code not in {grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED}
    assert code != grpc.StatusCode.INTERNAL


async def test_health_and_reflection_stay_open(guarded: RunningServer) -> None:
    health = health_pb2_grpc.HealthStub(guarded.channel)
    reply = await health.Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
    listed = await health.List(health_pb2.HealthListRequest(), timeout=5)
    assert "" in listed.statuses


async def test_unknown_methods_hide_behind_the_gate(guarded: RunningServer) -> None:
    unknown = guarded.channel.unary_unary(f"/{SERVICE.full_name}/DropTables")
    for metadata, expected in (
        ((), grpc.StatusCode.UNAUTHENTICATED),
        (bearer("newsroom"), grpc.StatusCode.UNIMPLEMENTED),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await unknown(b"", metadata=metadata, timeout=5)
        assert caught.value.code() == expected


async def test_a_token_calls_only_the_rpcs_it_is_given(guarded: RunningServer) -> None:
    pairs = await guarded.stub.ListLanguagePairs(
        pb.ListLanguagePairsRequest(), metadata=bearer("reader"), timeout=5
    )
    assert pairs.pairs
    before = guarded.sample(
        "tlumach_access_refusals_total", {"rpc": "Translate", "reason": "permission_denied"}
    )
    for method in SERVICE.methods:
        if method.name != "ListLanguagePairs":
            code = await code_of(guarded.channel, method, bearer("reader"))
            assert code == grpc.StatusCode.PERMISSION_DENIED, method.name
    after = guarded.sample(
        "tlumach_access_refusals_total", {"rpc": "Translate", "reason": "permission_denied"}
    )
    assert after == before + 1


async def test_request_and_character_quotas_answer_with_retry_info(
    guarded: RunningServer,
) -> None:
    stub, metered = guarded.stub, bearer("metered")
    request = pb.TranslateRequest(texts=["Hi."], source_language="en", target_language="uk")
    too_long = pb.TranslateRequest(texts=["x" * 201], source_language="en", target_language="uk")
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Translate(too_long, metadata=metered, timeout=10)
    # More than a minute's allowance can never fit: a caller error naming the field and limit.
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "texts" in (caught.value.details() or "")
    assert "200 per minute" in (caught.value.details() or "")
    for _ in range(3):
        await stub.Translate(request, metadata=metered, timeout=10)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.Translate(request, metadata=metered, timeout=10)
    assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "requests" in (caught.value.details() or "")
    delay = retry_delay_of_call(caught.value)
    assert delay is not None
    assert 0 < delay <= 20
    # Another caller's quota is its own.
    await stub.Translate(request, metadata=bearer("newsroom"), timeout=10)
    assert (
        guarded.sample("tlumach_access_refusals_total", {"rpc": "Translate", "reason": "quota"})
        >= 1
    )


async def test_stream_items_are_admitted_one_by_one(models_dir: Path, tmp_path: Path) -> None:
    path = token_file(
        tmp_path / "tokens.yaml",
        [{"id": "streamer", "token": TOKENS["spare"], "characters_per_minute": 120}],
    )
    running = await start_server(settings_for(models_dir, auth_tokens_file=path))
    try:
        text = "x" * 50  # two fit in a minute's 120 characters, the third must wait
        items = [
            pb.TranslateStreamRequest(
                item_id=str(n),
                request=pb.TranslateRequest(
                    texts=[text], source_language="en", target_language="uk"
                ),
            )
            for n in range(3)
        ]

        async def send() -> AsyncIterator[pb.TranslateStreamRequest]:
            for item in items:
                yield item

        metadata = (("authorization", f"Bearer {TOKENS['spare']}"),)
        call = running.stub.TranslateStream(send(), metadata=metadata, timeout=30)
        replies = {reply.item_id: reply async for reply in call}
        assert await call.code() == grpc.StatusCode.OK
        assert [replies[str(n)].status_code for n in range(2)] == [0, 0]
        refused = replies["2"]
        assert refused.status_code == grpc.StatusCode.RESOURCE_EXHAUSTED.value[0]
        assert "characters" in refused.error_message
        assert refused.HasField("retry_delay")
        assert 0 < refused.retry_delay.ToTimedelta().total_seconds() <= 30
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)


async def test_many_concurrent_callers_pass_the_gate_and_others_still_answer(
    guarded: RunningServer,
) -> None:
    newsroom = bearer("newsroom")

    async def translate(n: int) -> str:
        request = pb.TranslateRequest(
            texts=[f"The talks will continue in {n} weeks."],
            source_language="en",
            target_language="uk",
        )
        reply = await guarded.stub.Translate(request, metadata=newsroom, timeout=60)
        return reply.results[0].text

    async def stream(n: int) -> list[int]:
        async def items() -> AsyncIterator[pb.TranslateStreamRequest]:
            for k in range(4):
                yield pb.TranslateStreamRequest(
                    item_id=f"{n}-{k}",
                    request=pb.TranslateRequest(
                        texts=[f"Item {k} of stream {n}."],
                        source_language="en",
                        target_language="uk",
                    ),
                )

        call = guarded.stub.TranslateStream(items(), metadata=newsroom, timeout=60)
        return [reply.status_code async for reply in call]

    async def stranger() -> grpc.StatusCode:
        return await code_of(guarded.channel, SERVICE.methods_by_name["Translate"])

    work = asyncio.gather(
        *(translate(n) for n in range(40)),
        *(stream(n) for n in range(10)),
        *(stranger() for _ in range(20)),
    )
    pairs = await guarded.stub.ListLanguagePairs(
        pb.ListLanguagePairsRequest(), metadata=bearer("reader"), timeout=10
    )
    assert pairs.pairs, "an unrelated call answers while the gate is busy"
    results = await work
    assert all(isinstance(text, str) and text for text in results[:40])
    assert all(codes == [0, 0, 0, 0] for codes in results[40:50])
    assert set(results[50:]) == {grpc.StatusCode.UNAUTHENTICATED}


@pytest.fixture
def text_log() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("text", "INFO", stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_logs_name_the_caller_by_its_id_and_never_show_a_token(
    guarded: RunningServer, text_log: io.StringIO
) -> None:
    request = pb.TranslateRequest(texts=["Hi."], source_language="en", target_language="uk")
    await guarded.stub.Translate(request, metadata=bearer("newsroom"), timeout=10)
    await code_of(guarded.channel, SERVICE.methods_by_name["Translate"], bearer("spare"))
    out = text_log.getvalue()
    finished = [line for line in out.splitlines() if "rpc finished" in line and "Translate" in line]
    assert finished
    assert finished[-1].endswith("caller=newsroom")
    assert all(token not in out for token in TOKENS.values())


# ---- TLS and mutual TLS -------------------------------------------------------------------------


async def _served(channel: grpc.aio.Channel) -> grpc.StatusCode:
    try:
        await pb_grpc.TranslationServiceStub(channel).ListLanguagePairs(
            pb.ListLanguagePairsRequest(), timeout=5
        )
    except grpc.aio.AioRpcError as exc:
        return exc.code()
    finally:
        await channel.close()
    return grpc.StatusCode.OK


def _tls_channel(port: int, roots: bytes, client: tuple[bytes, bytes] | None = None) -> Any:
    cert, key = client if client else (None, None)
    credentials = grpc.ssl_channel_credentials(roots, key, cert)
    return grpc.aio.secure_channel(
        f"127.0.0.1:{port}", credentials, options=[("grpc.ssl_target_name_override", "localhost")]
    )


async def test_tls_serves_only_tls_clients_that_trust_its_ca(
    models_dir: Path, pki: dict[str, Any]
) -> None:
    files = pki["files"]
    running = await start_server(
        settings_for(models_dir, tls_cert_file=files.cert, tls_key_file=files.key)
    )
    try:
        port = running.port
        assert await _served(_tls_channel(port, pki["server_ca"].pem)) == grpc.StatusCode.OK
        assert await _served(grpc.aio.insecure_channel(f"127.0.0.1:{port}")) == (
            grpc.StatusCode.UNAVAILABLE
        )
        assert await _served(_tls_channel(port, pki["stranger"].pem)) == (
            grpc.StatusCode.UNAVAILABLE
        )
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)


async def test_mutual_tls_needs_a_certificate_from_the_client_ca(
    models_dir: Path, pki: dict[str, Any]
) -> None:
    files = pki["files"]
    settings = settings_for(
        models_dir,
        tls_cert_file=files.cert,
        tls_key_file=files.key,
        tls_client_ca_file=files.client_ca,
        health_port=0,
    )
    running = await start_server(settings)
    try:
        port, roots = running.port, pki["server_ca"].pem
        good = pki["client_ca"].issue("desk-1", server=False)
        forged = pki["stranger"].issue("desk-1", server=False)
        assert await _served(_tls_channel(port, roots, good)) == grpc.StatusCode.OK
        assert await _served(_tls_channel(port, roots)) == grpc.StatusCode.UNAVAILABLE
        assert await _served(_tls_channel(port, roots, forged)) == grpc.StatusCode.UNAVAILABLE
        # Probes that speak no TLS use the health-only port; so does the image's health check.
        async with grpc.aio.insecure_channel(f"127.0.0.1:{running.app.health_port}") as plain:
            reply = await health_pb2_grpc.HealthStub(plain).Check(
                health_pb2.HealthCheckRequest(), timeout=5
            )
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
        environ = {"TLUMACH_PORT": str(port), "TLUMACH_HEALTH_PORT": str(running.app.health_port)}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(HEALTHCHECK),
            env={**os.environ, **environ},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await asyncio.wait_for(process.communicate(), timeout=30)
        assert (process.returncode, out.decode().strip()) == (0, "SERVING")
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)


async def test_many_tls_handshakes_at_once_while_certificates_are_replaced(
    models_dir: Path, pki: dict[str, Any], tmp_path: Path
) -> None:
    """gRPC asks for certificates on its own threads; reloads race with handshakes here."""
    files = write_server_files(tmp_path, pki["server_ca"], pki["client_ca"])
    running = await start_server(
        settings_for(models_dir, tls_cert_file=files.cert, tls_key_file=files.key)
    )
    try:
        assert running.app.access is not None

        async def reload_often() -> None:
            for _ in range(10):
                write_server_files(tmp_path, pki["server_ca"], pki["client_ca"])
                await running.app.reload_access()

        codes, _ = await asyncio.gather(
            asyncio.gather(
                *(_served(_tls_channel(running.port, pki["server_ca"].pem)) for _ in range(40))
            ),
            reload_often(),
        )
        assert set(codes) == {grpc.StatusCode.OK}
        assert (
            running.sample("tlumach_access_reloads_total", {"part": "tls", "outcome": "ok"}) == 10
        )
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)


async def test_changed_access_files_are_picked_up_without_a_signal(
    models_dir: Path, tmp_path: Path
) -> None:
    """A Kubernetes Secret update swaps the files in place; the file watch reloads them."""
    path = token_file(tmp_path / "tokens.yaml", [{"id": "a", "token": TOKENS["newsroom"]}])
    settings = settings_for(models_dir, auth_tokens_file=path, glossary_watch_interval_s=0.1)
    running = await start_server(settings)
    try:
        translate = SERVICE.methods_by_name["ListLanguagePairs"]
        assert await code_of(running.channel, translate, bearer("spare")) == (
            grpc.StatusCode.UNAUTHENTICATED
        )
        replacement = token_file(tmp_path / "next.yaml", [{"id": "b", "token": TOKENS["spare"]}])
        replacement.replace(path)  # atomic, as the kubelet's symlink swap is
        for _ in range(100):
            if await code_of(running.channel, translate, bearer("spare")) == grpc.StatusCode.OK:
                break
            await asyncio.sleep(0.05)
        assert await code_of(running.channel, translate, bearer("spare")) == grpc.StatusCode.OK
        assert await code_of(running.channel, translate, bearer("newsroom")) == (
            grpc.StatusCode.UNAUTHENTICATED
        )
        reloads = {"part": "tokens", "outcome": "ok"}
        await asyncio.sleep(0.5)  # unchanged files are not read again
        assert running.sample("tlumach_access_reloads_total", reloads) == 1
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)


async def test_token_reloads_in_a_thread_while_many_calls_pass_the_gate(
    models_dir: Path, tmp_path: Path
) -> None:
    """Token files are read off the event loop; calls keep passing while they are swapped."""
    entries = [{"id": "desk", "token": TOKENS["newsroom"], "requests_per_minute": 10_000}]
    path = token_file(tmp_path / "tokens.yaml", entries)
    running = await start_server(settings_for(models_dir, auth_tokens_file=path))
    desk = bearer("newsroom")
    try:

        async def translate(n: int) -> str:
            request = pb.TranslateRequest(
                texts=[f"Talks resume in {n} days."], source_language="en", target_language="uk"
            )
            reply = await running.stub.Translate(request, metadata=desk, timeout=60)
            return reply.results[0].text

        async def reload_often() -> None:
            for n in range(10):
                token_file(path, [*entries, {"id": f"extra-{n}", "token": f"t-{n}"}])
                await running.app.reload_access()

        work = asyncio.gather(*(translate(n) for n in range(40)), reload_often())
        pairs = await running.stub.ListLanguagePairs(
            pb.ListLanguagePairsRequest(), metadata=desk, timeout=10
        )
        assert pairs.pairs, "an unrelated call answers during the reloads"
        *texts, _ = await work
        assert all(texts)
        reloads = {"part": "tokens", "outcome": "ok"}
        assert running.sample("tlumach_access_reloads_total", reloads) == 10
        assert running.app.access is not None
        assert len(running.app.access.tokens) == 2
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)
