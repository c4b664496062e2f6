"""The parts of bench/reliability.py that drive a real `tlumach serve`: the fuzz campaign at bench
size, SIGTERM with calls in flight, and access on (TLS, mutual TLS, tokens) for every rpc."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import yaml
from prometheus_client.parser import text_string_to_metric_families

from bench.load import CACHE, ROOT, article, demo_models, plain_request, rss_mb
from service.pb import translation_pb2 as pb
from tests.support import fuzz
from tests.support.certs import Authority, write_server_files
from tests.support.models import install_fixture_models
from tests.support.serve_process import ServeProcess, start_serve

SERVICE = pb.DESCRIPTOR.services_by_name["TranslationService"]
FAULTS = ("INTERNAL", "UNKNOWN", "DATA_LOSS")


def server_codes(metrics_port: int) -> Counter[str]:
    """`rpc code` -> count, from the server's own tlumach_requests_total."""
    with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10) as reply:
        body = reply.read().decode("utf-8")
    counts: Counter[str] = Counter()
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == "tlumach_requests_total":
                counts[f"{sample.labels['rpc']} {sample.labels['code']}"] += sample.value
    return counts


@dataclass
class FuzzRun:
    """One pytest run of fuzz tests against one server process."""

    tally: dict[str, int]
    server: Counter[str]
    alive: bool
    exit_code: int
    pytest_code: int
    seconds: float
    rss_mb: tuple[float, float]
    log: Path
    faults: list[str] = field(default_factory=list)

    def calls(self, prefix: str = "") -> int:
        """Fuzzed calls (stream items not counted apart), by rpc name prefix."""
        return sum(
            n
            for key, n in self.tally.items()
            if len(key.split()) == 2 and key.startswith(prefix) and "item" not in key
        )


def fuzz_server(log_name: str) -> ServeProcess:
    """`tlumach serve` on the fixture models (hostile outputs: runaway repetition, pivots), the
    shipped glossary, and the fuzz campaign's limits."""
    models = CACHE / "fuzz-models"
    if not (models / "en-uk" / "model.bin").exists():
        install_fixture_models(models)
    glossaries = CACHE / "fuzz-glossaries"
    glossaries.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "glossaries" / "news-ua.yaml", glossaries)
    limits = {
        "TLUMACH_MAX_TEXTS_PER_REQUEST": str(fuzz.MAX_TEXTS),
        "TLUMACH_MAX_TEXT_CHARS": str(fuzz.MAX_TEXT_CHARS),
        "TLUMACH_MAX_REQUEST_CHARS": str(fuzz.MAX_REQUEST_CHARS),
        "TLUMACH_INTER_THREADS": "1",
    }
    return start_serve(
        models, glossaries_dir=glossaries, metrics_port=0, env_overrides=limits,
        extra_args=["--log-level", "WARNING"], log=CACHE / log_name,
    )  # fmt: skip


def run_fuzz(tests: list[str], examples: int, log_name: str) -> FuzzRun:
    """The named fuzz tests with the long profile at `examples` each, aimed at a fresh server."""
    server = fuzz_server(log_name)
    report = CACHE / f"{log_name}.tally.json"
    report.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TLUMACH_")}
    env |= {
        "PYTHONPATH": str(ROOT),
        "TLUMACH_FUZZ_PROFILE": "long",
        "TLUMACH_FUZZ_EXAMPLES": str(examples),
        "TLUMACH_FUZZ_SERVER": f"127.0.0.1:{server.port}",
        "TLUMACH_FUZZ_REPORT": str(report),
    }
    started, rss_start = time.monotonic(), rss_mb(server.process.pid)
    selection = [f"tests/test_fuzz_rpcs.py::{name}" for name in tests]
    # --timeout 0: the long profile runs each test for many minutes, past the suite's limit.
    command = [sys.executable, "-m", "pytest", "-q", "--timeout", "0", "-p", "no:cacheprovider"]
    command += selection
    with (CACHE / f"{log_name}.pytest.log").open("wb") as out:
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    alive = server.process.poll() is None
    rss_end = rss_mb(server.process.pid) if alive else 0.0
    codes = server_codes(server.metrics_port) if alive else Counter()
    exit_code = server.stop()
    tally = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    faults = [key for key in codes if key.split()[-1] in FAULTS]
    return FuzzRun(
        tally, codes, alive, exit_code, done.returncode, seconds, (rss_start, rss_end),
        server.log, faults,
    )  # fmt: skip


@dataclass
class DrainRound:
    """One SIGTERM with calls in flight."""

    in_flight: int
    outcomes: Counter[str]
    exit_code: int
    drain_s: float


async def _inflight(metrics_port: int) -> float:
    def read() -> float:
        url = f"http://127.0.0.1:{metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as reply:
            body = reply.read().decode("utf-8")
        return sum(
            sample.value
            for family in text_string_to_metric_families(body)
            for sample in family.samples
            if sample.name == "tlumach_inflight_requests"
        )

    return await asyncio.to_thread(read)


async def drain_round(calls: int, sentences: int) -> DrainRound:
    """Start `calls` Translate calls, wait until the server has all of them in flight, SIGTERM it,
    and see every call through: a call that does not end OK is lost."""
    import random

    from service.pb import translation_pb2_grpc as pb_grpc

    server = start_serve(
        demo_models(), metrics_port=0, extra_args=["--log-level", "WARNING"],
        log=CACHE / "drain.log",
    )  # fmt: skip
    rng = random.Random(calls)
    outcomes: Counter[str] = Counter()
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        stub = pb_grpc.TranslationServiceStub(channel)

        async def one() -> None:
            try:
                await stub.Translate(plain_request(article(rng, sentences)), timeout=120)
                outcomes["OK"] += 1
            except grpc.aio.AioRpcError as exc:
                outcomes[exc.code().name] += 1

        tasks = [asyncio.create_task(one()) for _ in range(calls)]
        waited = time.monotonic()
        in_flight = 0.0
        while time.monotonic() - waited < 30:
            in_flight = await _inflight(server.metrics_port)
            if in_flight >= calls or all(task.done() for task in tasks):
                break
            await asyncio.sleep(0.01)
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        await asyncio.gather(*tasks)
    code = await asyncio.to_thread(server.process.wait, 60)
    return DrainRound(int(in_flight), outcomes, code, time.monotonic() - signalled)


async def deadline_burst(rpc: str, calls: int, waves: int) -> tuple[Counter[str], Counter[str]]:
    """Waves of `calls` with deadlines of 0.05-1.5 s at a fresh server (no capacity estimate yet,
    so admission lets them in): (codes the callers saw, codes the server counted)."""
    import random

    from service.pb import translation_pb2_grpc as pb_grpc

    server = start_serve(
        demo_models(), metrics_port=0, extra_args=["--log-level", "WARNING"],
        log=CACHE / "deadlines.log",
    )  # fmt: skip
    rng = random.Random(1)
    seen: Counter[str] = Counter()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            stub = pb_grpc.TranslationServiceStub(channel)

            async def one(index: int) -> None:
                deadline = rng.uniform(0.05, 1.5)
                try:
                    if rpc == "DetectLanguage":
                        texts = [article(rng, 60) for _ in range(8)]
                        await stub.DetectLanguage(
                            pb.DetectLanguageRequest(texts=texts), timeout=deadline
                        )
                    else:
                        request = plain_request(article(rng, 6))
                        request.source_language = "" if index % 2 else "en"
                        await stub.Translate(request, timeout=deadline)
                    seen["OK"] += 1
                except grpc.aio.AioRpcError as exc:
                    seen[exc.code().name] += 1

            for _ in range(waves):
                await asyncio.gather(*(one(i) for i in range(calls)))
        await asyncio.sleep(1)  # calls the server is still finishing
        counted = Counter(
            {k.split()[1]: n for k, n in server_codes(server.metrics_port).items()
             if k.startswith(f"{rpc} ")}
        )  # fmt: skip
    finally:
        server.stop()
    return seen, counted


TOKENS = {"full": "tok-bench-full-6d1f0c2a9b8e", "reader": "tok-bench-reader-1a7c3e5f9d2b"}


def _token_file(path: Path) -> Path:
    rows = [
        {"id": "full", "sha256": hashlib.sha256(TOKENS["full"].encode()).hexdigest()},
        {
            "id": "reader",
            "sha256": hashlib.sha256(TOKENS["reader"].encode()).hexdigest(),
            "rpcs": ["ListLanguagePairs"],
        },
    ]
    path.write_text(yaml.safe_dump({"tokens": rows}), encoding="utf-8")
    return path


def _request_for(method: Any) -> Any:
    """A valid request of each rpc, so that the control call with every credential succeeds."""
    requests: dict[str, Any] = {
        "Translate": plain_request("Drones attacked Kharkiv."),
        "TranslateStream": pb.TranslateStreamRequest(
            item_id="1", request=plain_request("Drones attacked Kharkiv.")
        ),
        "DetectLanguage": pb.DetectLanguageRequest(texts=["Дрони атакували Харків."]),
        "GetGlossary": pb.GetGlossaryRequest(glossary_id="news-ua"),
        "CheckGlossary": pb.CheckGlossaryRequest(
            content="en,uk\nKharkiv,Харків\n".encode(), format="csv"
        ),
    }
    return requests.get(method.name) or getattr(pb, method.input_type.name)()


async def _call(channel: grpc.aio.Channel, method: Any, metadata: Any) -> str:
    path = f"/{SERVICE.full_name}/{method.name}"
    request = _request_for(method)
    response = getattr(pb, method.output_type.name)
    try:
        if method.client_streaming:
            stream = channel.stream_stream(
                path, type(request).SerializeToString, response.FromString
            )
            replies = [r async for r in stream(iter([request]), metadata=metadata, timeout=20)]
            if any(reply.status_code for reply in replies):
                return "ITEM_FAILED"
        else:
            unary = channel.unary_unary(path, type(request).SerializeToString, response.FromString)
            await unary(request, metadata=metadata, timeout=20)
    except grpc.aio.AioRpcError as exc:
        if exc.code() == grpc.StatusCode.INTERNAL and "execute_batch" in (exc.details() or ""):
            # The server refused the stream before the client had sent its message; the asyncio
            # client then reports its failed write, not the server's status (grpc/grpc#36066).
            return "client write race (grpc#36066)"
        return exc.code().name
    return "OK"


async def access_matrix(attempts: int) -> dict[str, Counter[str]]:
    """Scenario -> outcomes over every rpc, `attempts` times each, on a server with mutual TLS
    and bearer tokens; `valid` (right certificate and token) is the control that must succeed."""
    folder = CACHE / "access-pki"
    server_ca, client_ca, stranger = (Authority.create(n) for n in ("server", "clients", "other"))
    files = write_server_files(folder, server_ca, client_ca)
    tokens = _token_file(folder / "tokens.yaml")
    server = start_serve(
        demo_models(), glossaries_dir=ROOT / "glossaries", metrics_port=0,
        extra_args=["--log-level", "WARNING", "--tls-cert-file", str(files.cert),
                    "--tls-key-file", str(files.key), "--tls-client-ca-file", str(files.client_ca),
                    "--auth-tokens-file", str(tokens)],
        log=CACHE / "access.log",
    )  # fmt: skip
    address = f"localhost:{server.port}"
    cert, key = client_ca.issue("newsroom", server=False)
    other_cert, other_key = stranger.issue("intruder", server=False)

    def tls(chain: bytes | None = None, private: bytes | None = None) -> grpc.aio.Channel:
        credentials = grpc.ssl_channel_credentials(server_ca.pem, private, chain)
        return grpc.aio.secure_channel(address, credentials)

    bearer = (("authorization", f"Bearer {TOKENS['full']}"),)
    scenarios: dict[str, tuple[Any, Any]] = {
        "plaintext, valid token": (lambda: grpc.aio.insecure_channel(address), bearer),
        "TLS without client certificate, valid token": (tls, bearer),
        "client certificate of another CA, valid token": (
            lambda: tls(other_cert, other_key), bearer
        ),
        "valid certificate, no token": (lambda: tls(cert, key), ()),
        "valid certificate, unknown token": (
            lambda: tls(cert, key), (("authorization", "Bearer tok-bench-guess-0000"),)
        ),
        "valid certificate, malformed header": (
            lambda: tls(cert, key), (("authorization", f"Basic {TOKENS['full']}"),)
        ),
        "valid certificate, token without the rpc": (
            lambda: tls(cert, key), (("authorization", f"Bearer {TOKENS['reader']}"),)
        ),
        "valid certificate and token (control)": (lambda: tls(cert, key), bearer),
    }  # fmt: skip
    found: dict[str, Counter[str]] = {}
    try:
        for name, (open_channel, metadata) in scenarios.items():
            found[name] = Counter()
            for method in SERVICE.methods:
                if name.endswith("without the rpc") and method.name == "ListLanguagePairs":
                    continue  # the one rpc that token may call
                for _ in range(attempts):
                    async with open_channel() as channel:
                        found[name][await _call(channel, method, metadata)] += 1
    finally:
        server.stop()
    return found
