"""SIGTERM drains in-flight work: a real `tlumach serve` process, real signals, nothing lost."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import grpc

from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from tests.support.serve_process import start_serve


async def test_sigterm_finishes_in_flight_requests_and_exits_zero(
    models_dir: Path, tmp_path: Path
) -> None:
    server = start_serve(
        models_dir, extra_args=("--inter-threads", "1"), log=tmp_path / "serve.log"
    )
    process, port = server.process, server.port
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
            server.kill()
