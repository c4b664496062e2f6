"""SIGTERM drains in-flight work: a real `tlumach serve` process, real signals, nothing lost."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import grpc

from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc

ROOT = Path(__file__).resolve().parents[1]


def start_serve(models_dir: Path, *extra: str) -> tuple[subprocess.Popen[str], int]:
    """Start `python -m service serve` and return it with the port it announced."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "service",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--metrics-port",
            "-1",
            "--models-dir",
            str(models_dir),
            "--inter-threads",
            "1",
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("tlumach serving on port "):
            return process, int(line.rsplit(" ", 1)[1])
    raise AssertionError(f"server exited with {process.wait()} before serving")


async def test_sigterm_finishes_in_flight_requests_and_exits_zero(models_dir: Path) -> None:
    process, port = start_serve(models_dir)
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = pb_grpc.TranslationServiceStub(channel)
            article = " ".join(f"Drones attacked {n} towns at night." for n in range(120))
            calls = [
                asyncio.ensure_future(
                    stub.Translate(
                        pb.TranslateRequest(
                            texts=[article], source_language="en", target_language="uk"
                        ),
                        timeout=60,
                    )
                )
                for _ in range(16)
            ]
            await asyncio.sleep(0.2)
            assert not all(call.done() for call in calls), "work must still be in flight"
            process.send_signal(signal.SIGTERM)
            responses = await asyncio.gather(*calls)
        assert all(r.results[0].text.count(" ") >= 119 for r in responses)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
