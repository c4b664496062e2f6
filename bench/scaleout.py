"""Scale-out check: replicas behind gRPC client-side round robin, one killed mid-run, none lost.

    PYTHONPATH=. .venv/bin/python bench/scaleout.py --requests 600 --concurrency 8

Starts `--replicas` `python -m service serve` processes on 127.0.0.1, drives Translate calls
through one channel with the `round_robin` policy over all their addresses (what a client of the
headless Kubernetes Service does with `dns:///`), kills one replica once `--kill-at` of the
requests are done, and retries calls that fail with UNAVAILABLE. Prints a JSON summary and exits
non-zero unless every request succeeded and every replica took a share of the work.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from prometheus_client.parser import text_string_to_metric_families

from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc

SENTENCES = (
    "Ukrainian troops advanced 2 km into the Kursk region.",
    "The president said that the talks will continue next week.",
    "Drones attacked the city at night; nobody was hurt.",
)
# Retries inside gRPC cover calls that never reached a server; the loop in `_call` covers calls
# that died with the killed replica.
SERVICE_CONFIG = json.dumps(
    {
        "loadBalancingConfig": [{"round_robin": {}}],
        "methodConfig": [
            {
                "name": [{"service": "tlumach.v1.TranslationService"}],
                "retryPolicy": {
                    "maxAttempts": 4,
                    "initialBackoff": "0.05s",
                    "maxBackoff": "0.5s",
                    "backoffMultiplier": 2,
                    "retryableStatusCodes": ["UNAVAILABLE"],
                },
            }
        ],
    }
)
RETRY_ATTEMPTS = 8


@dataclass
class Replica:
    """One server process with its ports."""

    process: subprocess.Popen[bytes]
    port: int
    metrics_port: int
    served_at_kill: float | None = None
    exit_code: int | None = None


@dataclass
class Tally:
    """What the load generator saw."""

    ok: int = 0
    failed: int = 0
    retries: int = 0
    latencies: list[float] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_replica(models_dir: Path, glossaries_dir: Path, log: Path) -> Replica:
    """Launch one `tlumach serve` process on free ports (not yet waited for)."""
    port, metrics_port = _free_port(), _free_port()
    command = [
        sys.executable, "-m", "service", "serve", "--host", "127.0.0.1",
        "--port", str(port), "--metrics-port", str(metrics_port),
        "--models-dir", str(models_dir), "--glossaries-dir", str(glossaries_dir),
        "--inter-threads", "1", "--log-level", "WARNING",
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("TLUMACH_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
    return Replica(process, port, metrics_port)


async def wait_serving(replica: Replica, limit_s: float) -> None:
    """Poll grpc.health.v1 until the replica answers SERVING."""
    deadline = time.monotonic() + limit_s
    async with grpc.aio.insecure_channel(f"127.0.0.1:{replica.port}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            if replica.process.poll() is not None:
                raise RuntimeError(f"replica on port {replica.port} exited at start")
            try:
                reply = await stub.Check(health_pb2.HealthCheckRequest(), timeout=1)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.aio.AioRpcError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError(f"replica on port {replica.port} not SERVING after {limit_s:.0f} s")


def served(replica: Replica) -> float:
    """Successful Translate calls the replica counted, from its own /metrics endpoint."""
    url = f"http://127.0.0.1:{replica.metrics_port}/metrics"
    with urllib.request.urlopen(url, timeout=5) as reply:
        body = reply.read().decode("utf-8")
    return sum(
        sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
        if sample.name == "tlumach_requests_total"
        and sample.labels.get("rpc") == "Translate"
        and sample.labels.get("code") == "OK"
    )


async def _call(stub: pb_grpc.TranslationServiceStub, number: int, tally: Tally) -> None:
    texts = [SENTENCES[(number + i) % len(SENTENCES)] for i in range(1 + number % 3)]
    request = pb.TranslateRequest(
        texts=texts, source_language="en", target_language="uk", request_id=f"scaleout-{number}"
    )
    started = time.monotonic()
    for attempt in range(RETRY_ATTEMPTS):
        try:
            response = await stub.Translate(request, timeout=30)
        except grpc.aio.AioRpcError as exc:
            if exc.code() != grpc.StatusCode.UNAVAILABLE or attempt == RETRY_ATTEMPTS - 1:
                tally.failed += 1
                return
            tally.retries += 1
            await asyncio.sleep(0.05 * 2**attempt)
            continue
        assert len(response.results) == len(texts)
        tally.ok += 1
        tally.latencies.append(time.monotonic() - started)
        return


async def drive(
    replicas: list[Replica], requests: int, concurrency: int, kill_at: float, victim: int
) -> Tally:
    """Send `requests` calls, `concurrency` at a time; SIGKILL `victim` after `kill_at` of them."""
    target = "ipv4:" + ",".join(f"127.0.0.1:{r.port}" for r in replicas)
    options = [("grpc.service_config", SERVICE_CONFIG), ("grpc.enable_retries", 1)]
    tally = Tally()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(requests):
        queue.put_nowait(number)
    kill_after = int(requests * kill_at)

    async with grpc.aio.insecure_channel(target, options=options) as channel:
        stub = pb_grpc.TranslationServiceStub(channel)

        async def worker() -> None:
            while not queue.empty():
                number = queue.get_nowait()
                if number == kill_after and victim >= 0:
                    doomed = replicas[victim]
                    doomed.served_at_kill = await asyncio.to_thread(served, doomed)
                    doomed.process.send_signal(signal.SIGKILL)
                await _call(stub, number, tally)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return tally


def stop(replicas: list[Replica]) -> None:
    """SIGTERM the live replicas and record their exit codes (graceful drain exits 0)."""
    for replica in replicas:
        if replica.process.poll() is None:
            replica.process.send_signal(signal.SIGTERM)
    for replica in replicas:
        try:
            replica.exit_code = replica.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            replica.process.kill()
            replica.exit_code = replica.process.wait()


def summarize(
    replicas: list[Replica], tally: Tally, requests: int, victim: int
) -> dict[str, object]:
    """The JSON report, with `passed` saying whether the check holds."""
    shares = []
    for index, replica in enumerate(replicas):
        count = replica.served_at_kill if index == victim else served(replica)
        shares.append({"port": replica.port, "killed": index == victim, "served": count})
    latencies = sorted(tally.latencies) or [0.0]
    report: dict[str, object] = {
        "requests": requests,
        "ok": tally.ok,
        "failed": tally.failed,
        "retried_after_unavailable": tally.retries,
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1),
        "p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)], 1),
        "replicas": shares,
    }
    report["passed"] = (
        tally.ok == requests
        and tally.failed == 0
        and all((share["served"] or 0) > 0 for share in shares)
    )
    return report


def _models_dir(given: Path | None, scratch: Path) -> Path:
    if given is not None:
        return given
    from tests.support.models import install_fixture_models  # builds the tiny OPUS-MT fixture

    return install_fixture_models(scratch / "models", pairs=("en-uk",))


async def run(args: argparse.Namespace, scratch: Path) -> dict[str, object]:
    """Start the replicas, drive the load, stop them and report."""
    models_dir = _models_dir(args.models_dir, scratch)
    glossaries = scratch / "glossaries"
    glossaries.mkdir(exist_ok=True)
    replicas = [
        start_replica(models_dir, glossaries, scratch / f"replica-{i}.log")
        for i in range(args.replicas)
    ]
    victim = args.replicas // 2 if args.kill else -1
    try:
        await asyncio.gather(*(wait_serving(r, args.start_timeout) for r in replicas))
        started = time.monotonic()
        tally = await drive(replicas, args.requests, args.concurrency, args.kill_at, victim)
        elapsed = time.monotonic() - started
        report = summarize(replicas, tally, args.requests, victim)
    finally:
        stop(replicas)
    report["seconds"] = round(elapsed, 2)
    report["survivors_exit_codes"] = [r.exit_code for i, r in enumerate(replicas) if i != victim]
    report["passed"] = report["passed"] and all(c == 0 for c in report["survivors_exit_codes"])
    return report


def main(argv: list[str] | None = None) -> int:
    """Run the check; print the report as JSON; exit 0 only when it passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--kill-at", type=float, default=0.4, help="fraction done before the kill")
    parser.add_argument("--no-kill", dest="kill", action="store_false")
    parser.add_argument("--models-dir", type=Path, help="converted models (default: tiny fixture)")
    parser.add_argument("--start-timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tlumach-scaleout-") as scratch:
        report = asyncio.run(run(args, Path(scratch)))
    print(json.dumps(report, indent=2))
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
