"""Memory and start-up with six OPUS-MT-sized int8 directions, lingua and the morphology loaded.

Six model folders (one per direction, each the OPUS-sized random model converted to int8, as
six separate OPUS-MT releases would be) and the shipped glossary; a real `tlumach serve` from
process start to health SERVING, then one call per direction (with the glossary, so the
morphology dictionaries and the detector are in use), then its resident memory.

    PYTHONPATH=. .venv/bin/python bench/startup.py
"""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import grpc
import yaml
from grpc_health.v1 import health_pb2, health_pb2_grpc

from bench.load import rss_mb
from bench.throughput import CACHE, model_dir
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from service.vocab import PAIRS
from tests.support.serve_process import start_serve

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = {
    "en": "Ukrainian troops advanced into the Kursk region.",
    "uk": "Українські війська просунулися в Курську область.",
    "ru": "Украинские войска продвинулись в Курскую область.",
}


def six_directions() -> Path:
    """A models folder with one OPUS-sized model folder per direction."""
    models = CACHE / "six-models"
    source = model_dir() / "en-uk"
    for pair in PAIRS:
        target = models / pair
        if (target / "model.yaml").exists():
            continue
        shutil.copytree(source, target, dirs_exist_ok=True)
        manifest = yaml.safe_load((source / "model.yaml").read_text(encoding="utf-8"))
        manifest.update(name=f"opus-sized-{pair}", pairs=[pair])
        (target / "model.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return models


async def until_serving(port: int, timeout_s: float = 120) -> None:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        health = health_pb2_grpc.HealthStub(channel)
        until = time.monotonic() + timeout_s
        while time.monotonic() < until:
            reply = await health.Check(health_pb2.HealthCheckRequest(service=""))
            if reply.status == health_pb2.HealthCheckResponse.SERVING:
                return
            await asyncio.sleep(0.05)
    raise TimeoutError("never SERVING")


async def one_call_per_direction(port: int, pid: int) -> list[tuple[str, float]]:
    """RSS after each direction's first call: shows which first use grows the process."""
    grown: list[tuple[str, float]] = []
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = pb_grpc.TranslationServiceStub(channel)
        for pair in PAIRS:
            source, target = pair.split("-")
            request = pb.TranslateRequest(
                texts=[SENTENCE[source]],
                target_language=target,  # source detected: lingua is used
                glossary_ids=["news-ua"],
            )
            await stub.Translate(request, timeout=120)
            grown.append((pair, rss_mb(pid)))
    return grown


def main() -> None:
    models = six_directions()
    started = time.monotonic()
    server = start_serve(
        models,
        glossaries_dir=ROOT / "glossaries",
        extra_args=["--log-level", "WARNING"],
        env_overrides={"TLUMACH_MAX_OUTPUT_TOKENS": "16", "TLUMACH_LANGUAGE_GUARD": "false"},
        log=CACHE / "startup.log",
    )
    try:
        asyncio.run(until_serving(server.port))
        serving_s = time.monotonic() - started
        at_start = rss_mb(server.process.pid)
        grown = asyncio.run(one_call_per_direction(server.port, server.process.pid))
        after_calls = rss_mb(server.process.pid)
    finally:
        server.stop()
    print("six OPUS-MT-sized int8 directions (6+6 layers, d512, 60k vocabulary), news-ua glossary")
    print("| start-up to SERVING s | RSS at SERVING MB | RSS after a call per direction MB |")
    print("|---|---|---|")
    print(f"| {serving_s:.1f} | {at_start:.0f} | {after_calls:.0f} |")
    print("\nRSS after the first call of each direction, in order: " + ", ".join(
        f"{pair} {mb:.0f} MB" for pair, mb in grown))  # fmt: skip


if __name__ == "__main__":
    main()
