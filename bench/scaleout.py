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
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from prometheus_client.parser import text_string_to_metric_families

from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from tests.support.serve_process import ServeProcess, start_serve

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
    """One server process, what it had served when it was killed, and how it exited."""

    server: ServeProcess
    served_at_kill: float | None = None
    exit_code: int | None = None


@dataclass
class Tally:
    """What the load generator saw."""

    ok: int = 0
    failed: int = 0
    retries: int = 0
    latencies: list[float] = field(default_factory=list)


def start_replica(
    models_dir: Path, glossaries_dir: Path, log: Path, timeout_s: float = 120.0
) -> Replica:
    """One `tlumach serve` with its metrics endpoint on; returns once it serves."""
    server = start_serve(
        models_dir,
        glossaries_dir=glossaries_dir,
        metrics_port=0,
        extra_args=("--inter-threads", "1", "--log-level", "WARNING"),
        log=log,
        timeout_s=timeout_s,
    )
    return Replica(server)


def start_replicas(
    models_dir: Path, glossaries_dir: Path, logs: list[Path], timeout_s: float
) -> list[Replica]:
    """Start them side by side (each takes seconds to load its models): all of them or none."""
    with ThreadPoolExecutor(len(logs)) as pool:
        futures = [
            pool.submit(start_replica, models_dir, glossaries_dir, log, timeout_s) for log in logs
        ]
    started = [future.result() for future in futures if future.exception() is None]
    failure = next((e for future in futures if (e := future.exception()) is not None), None)
    if failure is not None:
        stop(started)
        raise failure
    return started


def served(replica: Replica) -> float:
    """Successful Translate calls the replica counted, from its own /metrics endpoint."""
    url = f"http://127.0.0.1:{replica.server.metrics_port}/metrics"
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
    target = "ipv4:" + ",".join(f"127.0.0.1:{r.server.port}" for r in replicas)
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
                    doomed.server.kill()
                await _call(stub, number, tally)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return tally


def stop(replicas: list[Replica]) -> None:
    """SIGTERM the live replicas side by side and record their exit codes (a drain exits 0)."""
    with ThreadPoolExecutor(max(1, len(replicas))) as pool:
        codes = list(pool.map(lambda replica: replica.server.stop(), replicas))
    for replica, code in zip(replicas, codes, strict=True):
        replica.exit_code = code


def summarize(
    replicas: list[Replica], tally: Tally, requests: int, victim: int
) -> dict[str, object]:
    """The JSON report, with `passed` saying whether the check holds."""
    shares = []
    for index, replica in enumerate(replicas):
        count = replica.served_at_kill if index == victim else served(replica)
        shares.append({"port": replica.server.port, "killed": index == victim, "served": count})
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
    logs = [scratch / f"replica-{i}.log" for i in range(args.replicas)]
    replicas = await asyncio.to_thread(
        start_replicas, models_dir, glossaries, logs, args.start_timeout
    )
    victim = args.replicas // 2 if args.kill else -1
    try:
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
