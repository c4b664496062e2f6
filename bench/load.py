"""Load generation for the overload and soak benches: a real server, open-loop callers, RSS.

Callers arrive at a fixed rate whatever the server does (open loop), so an overloaded server
cannot slow its own load down; each call carries a deadline, and every outcome is recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import shutil
import statistics
import time
import urllib.request
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from prometheus_client.parser import text_string_to_metric_families

from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from tests.support.serve_process import ServeProcess, start_serve

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
DEMO = ROOT / "models" / "demo" / "tlumach-demo"
# Sentences the demo model was trained on the kind of: it translates them fast and well.
SENTENCES = (
    "Ukrainian troops advanced 2 km into the Kursk region.",
    "Russian drones attacked Sudzha overnight.",
    "Iryna Vereshchuk met Rustem Umerov in Kharkiv.",
    "The president said that the talks will continue next week.",
    "Air defence shot down 12 drones over the Belgorod region.",
    "Oleksandr Syrskyi said the situation in Pokrovsk remains difficult.",
)


def demo_models() -> Path:
    """A models folder holding only the bundled demo model."""
    models = CACHE / "demo-models"
    if not (models / "demo" / DEMO.name / "model.bin").exists():
        shutil.copytree(DEMO, models / "demo" / DEMO.name, dirs_exist_ok=True)
    return models


def start_demo_server(log_name: str, extra: list[str] | None = None) -> ServeProcess:
    """A real `tlumach serve` on the demo models and the shipped glossaries, with metrics."""
    return start_serve(
        demo_models(),
        glossaries_dir=ROOT / "glossaries",
        metrics_port=0,
        # The callers repeat a few sentences: with the cache on, nothing would be decoded.
        env_overrides={"TLUMACH_SENTENCE_CACHE_SIZE": "0"},
        extra_args=["--log-level", "WARNING", *(extra or [])],
        log=CACHE / log_name,
    )


def article(rng: random.Random, sentences: int) -> str:
    """A text of `sentences` sentences drawn from the demo set."""
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (Linux /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


@dataclass
class Outcome:
    """What one call did: status, seconds it took, sentences it asked for."""

    code: str
    latency_s: float
    sentences: int
    retry_info: bool = False
    index: int = -1
    """Which call of the run it was (set by `open_loop`)."""


@dataclass
class Record:
    """Every outcome of a run, and the server's memory over time."""

    outcomes: list[Outcome] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    offered: int = 0
    """Calls started (the load the callers offered)."""

    def codes(self) -> Counter[str]:
        return Counter(outcome.code for outcome in self.outcomes)

    def latencies(self, code: str) -> list[float]:
        return sorted(o.latency_s for o in self.outcomes if o.code == code)

    def good_sentences(self) -> int:
        return sum(o.sentences for o in self.outcomes if o.code == "OK")


def server_quantile(metrics_port: int, rpc: str, code: str, share: float) -> float:
    """Upper bucket bound of the `share` quantile of the server's own request durations."""
    with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10) as reply:
        body = reply.read().decode("utf-8")
    buckets: dict[float, float] = {}
    for family in text_string_to_metric_families(body):
        if family.name != "tlumach_request_duration_seconds":
            continue
        for sample in family.samples:
            labels = sample.labels
            if (
                sample.name.endswith("_bucket")
                and labels.get("rpc") == rpc
                and labels.get("code") == code
            ):
                bound = float(labels["le"])
                buckets[bound] = buckets.get(bound, 0.0) + sample.value
    if not buckets:
        return 0.0
    total = buckets[float("inf")]
    return next(b for b in sorted(buckets) if buckets[b] >= share * total)


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile of sorted `values` (0 when empty)."""
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(len(values) * share))]


async def watch_memory(pid: int, record: Record, stop: asyncio.Event) -> None:
    """Sample the server's RSS every second until `stop`."""
    while not stop.is_set():
        record.rss_mb.append(rss_mb(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


Call = Callable[[pb_grpc.TranslationServiceStub], Awaitable[Outcome]]


async def timed_translate(
    stub: pb_grpc.TranslationServiceStub, request: pb.TranslateRequest, deadline_s: float
) -> Outcome:
    """One Translate call with a deadline, as an outcome (never raises for a status)."""
    from service.edge.status import retry_delay_of_call

    sentences = sum(max(1, text.count(".")) for text in request.texts)
    started = time.perf_counter()
    try:
        await stub.Translate(request, timeout=deadline_s)
    except grpc.aio.AioRpcError as exc:
        elapsed = time.perf_counter() - started
        hint = retry_delay_of_call(exc) is not None
        return Outcome(exc.code().name, elapsed, sentences, hint)
    return Outcome("OK", time.perf_counter() - started, sentences)


async def open_loop(
    port: int, rate_per_s: float, duration_s: float, make_call: Callable[[int], Call]
) -> Record:
    """Start calls at `rate_per_s` (Poisson arrivals) for `duration_s`; wait for all of them."""
    record = Record()
    rng = random.Random(7)
    # Several channels: one HTTP/2 connection caps concurrent streams and serialises framing.
    channels = [grpc.aio.insecure_channel(f"127.0.0.1:{port}") for _ in range(8)]
    stubs = [pb_grpc.TranslationServiceStub(channel) for channel in channels]
    tasks: list[asyncio.Task[None]] = []

    async def run(index: int, call: Call) -> None:
        outcome = await call(stubs[index % len(stubs)])
        outcome.index = index
        record.outcomes.append(outcome)

    started = time.perf_counter()
    next_at = started
    index = 0
    while next_at - started < duration_s:
        delay = next_at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(run(index, make_call(index))))
        index += 1
        next_at += rng.expovariate(rate_per_s)
    record.offered = index
    await asyncio.gather(*tasks)
    for channel in channels:
        await channel.close()
    return record


async def capacity(port: int, callers: int, seconds: float, sentences: int) -> float:
    """Sentences per second the server completes with `callers` always waiting (closed loop)."""
    rng = random.Random(3)
    done = 0
    until = time.perf_counter() + seconds
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = pb_grpc.TranslationServiceStub(channel)
        await stub.Translate(_request(article(rng, 1)))  # warm-up

        async def caller() -> None:
            nonlocal done
            while time.perf_counter() < until:
                await stub.Translate(_request(article(rng, sentences)), timeout=60)
                done += sentences

        started = time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(callers)))
        elapsed = time.perf_counter() - started
    return done / elapsed


def _request(text: str) -> pb.TranslateRequest:
    return pb.TranslateRequest(texts=[text], source_language="en", target_language="uk")


def plain_request(text: str) -> pb.TranslateRequest:
    """A Translate request en→uk without glossaries."""
    return _request(text)


def summary_ms(values: list[float]) -> str:
    """p50 / p99 / max of latencies in seconds, as milliseconds."""
    if not values:
        return "-"
    return (
        f"{1000 * statistics.median(values):.1f} / {1000 * percentile(values, 0.99):.1f} / "
        f"{1000 * values[-1]:.1f}"
    )
