"""The real metrics endpoint after real traffic: promtool-clean, bounded labels, no user text."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import grpc
import pytest
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families

from bench.scaleout import Replica, served, start_replica, stop
from service.metrics import GUARD_ACTIONS, MIXED, NO_PAIR, REQUEST_BUCKETS, STAGES, UNRESOLVED
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from service.vocab import PAIRS, TERM_OUTCOMES

ROOT = Path(__file__).resolve().parents[1]
HEALTHCHECK = ROOT / "deploy" / "healthcheck.py"
# Words that appear only in the requests below: the scrape must never contain them.
SECRET_WORDS = ("Zaporizhzhia", "Kherson")
TEXTS = [
    "Ukrainian troops advanced 2 km into the Kursk region.",
    "Drones attacked Zaporizhzhia at night; nobody was hurt.",
    "The president said that the talks in Kherson will continue next week.",
]
RPCS = {method.name for method in pb.DESCRIPTOR.services_by_name["TranslationService"].methods}
ALLOWED_LABELS: dict[str, set[str]] = {
    "rpc": RPCS,
    "code": {code.name for code in grpc.StatusCode},
    "pair": {*PAIRS, MIXED, UNRESOLVED, NO_PAIR},
    "detected": {"true", "false"},
    "stage": set(STAGES),
    "outcome": set(TERM_OUTCOMES),
    "action": set(GUARD_ACTIONS),
    "compute_type": {
        "int8",
        "int8_float32",
        "int16",
        "float32",
        "float16",
        "bfloat16",
        "int8_float16",
        "int8_bfloat16",
        "default",
        "auto",
    },
    "demo": {"true", "false", "True", "False"},
}


@pytest.fixture(scope="module")
def replica(models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    """`tlumach serve` as production runs it: its own process, default registry, real ports."""
    scratch = tmp_path_factory.mktemp("metrics-endpoint")
    (scratch / "glossaries").mkdir()
    running = start_replica(models_dir, scratch / "glossaries", scratch / "server.log")
    yield running
    stop([running])
    assert running.exit_code == 0, (scratch / "server.log").read_text(encoding="utf-8")


@pytest_asyncio.fixture
async def stub(replica: Replica) -> AsyncIterator[pb_grpc.TranslationServiceStub]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{replica.server.port}") as channel:
        yield pb_grpc.TranslationServiceStub(channel)


async def _traffic(stub: pb_grpc.TranslationServiceStub) -> None:
    for target in ("uk", "ru"):
        request = pb.TranslateRequest(texts=TEXTS, source_language="en", target_language=target)
        response = await stub.Translate(request)
        assert len(response.results) == len(TEXTS)
    with pytest.raises(grpc.aio.AioRpcError) as failed:
        await stub.Translate(
            pb.TranslateRequest(texts=["Kherson"], source_language="en", target_language="xx")
        )
    assert failed.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    # The source left to detection: counted under the direction it resolved to.
    detected = await stub.Translate(pb.TranslateRequest(texts=TEXTS[:1], target_language="uk"))
    assert detected.results[0].source_language == "en"


def _scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as reply:
        body: bytes = reply.read()
    return body.decode("utf-8")


async def test_scrape_after_traffic_passes_promtool_and_counts_it(
    replica: Replica, stub: pb_grpc.TranslationServiceStub
) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed here (.ci/tools.sh installs it)")
    before = await asyncio.to_thread(served, replica)
    await _traffic(stub)
    body = await asyncio.to_thread(_scrape, replica.server.metrics_port)

    checked = await asyncio.to_thread(
        subprocess.run,
        [promtool, "check", "metrics"],
        input=body,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }

    def value(name: str, **labels: str) -> float:
        return samples.get((name, tuple(sorted(labels.items()))), 0.0)

    ok = {"rpc": "Translate", "code": "OK", "detected": "false"}
    assert value("tlumach_requests_total", pair="en-uk", **ok) >= 1
    assert await asyncio.to_thread(served, replica) == before + 3
    assert value("tlumach_requests_total", pair="en-ru", **ok) >= 1
    refused = {"rpc": "Translate", "code": "INVALID_ARGUMENT", "detected": "false"}
    assert value("tlumach_requests_total", pair=UNRESOLVED, **refused) >= 1
    assert value("tlumach_requests_total", pair="en-uk", **(ok | {"detected": "true"})) >= 1
    assert value("tlumach_request_duration_seconds_count", pair="en-uk", **ok) >= 1
    assert value("tlumach_translated_characters_total", pair="en-uk") >= sum(map(len, TEXTS))
    assert value("tlumach_translated_tokens_total", pair="en-uk") > 0
    assert value("tlumach_batch_size_sentences_count", pair="en-uk") >= 1
    assert value("tlumach_batch_tokens_count", pair="en-uk") >= 1
    for stage in ("queue", "decode"):
        assert value("tlumach_stage_duration_seconds_count", stage=stage, pair="en-uk") >= 1
    for pair in ("en-uk", "uk-en", "en-ru"):
        assert value("tlumach_pair_serving", pair=pair) == 1
        assert value("tlumach_queue_capacity_sentences", pair=pair) > 0
    assert any(name == "tlumach_model_info" and v == 1 for (name, _), v in samples.items())
    assert any(name == "tlumach_build_info" and v == 1 for (name, _), v in samples.items())
    assert value("process_cpu_seconds_total") > 0
    assert value("process_resident_memory_bytes") > 0

    # The documented buckets are the exported ones.
    les = {
        dict(labels)["le"]
        for (name, labels) in samples
        if name == "tlumach_request_duration_seconds_bucket"
    }
    assert les == {repr(float(b)) for b in REQUEST_BUCKETS} | {"+Inf"}

    for word in SECRET_WORDS:
        assert word not in body
    for (name, labels), _ in samples.items():
        for label, label_value in labels:
            if label in ALLOWED_LABELS:
                assert label_value in ALLOWED_LABELS[label], f"{name}: {label}={label_value!r}"


async def _healthcheck(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(HEALTHCHECK),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    return process.returncode or 0, out.decode()


async def test_container_healthcheck_speaks_grpc_health(
    replica: Replica, stub: pb_grpc.TranslationServiceStub
) -> None:
    address = f"127.0.0.1:{replica.server.port}"
    code, out = await _healthcheck("--address", address)
    assert (code, out.strip()) == (0, "SERVING")
    pair = "tlumach.v1.TranslationService/en-uk"
    code, out = await _healthcheck("--address", address, "--service", pair)
    assert (code, out.strip()) == (0, "SERVING")
    code, out = await _healthcheck("--address", address, "--service", "no-such-service")
    assert code == 1
    assert "NOT_FOUND" in out


async def test_container_healthcheck_fails_when_nothing_listens() -> None:
    code, out = await _healthcheck("--address", "127.0.0.1:1", "--timeout", "1")
    assert code == 1
    assert "unhealthy" in out
