"""What access control adds to a call: an open server beside one with mutual TLS, tokens and quotas.

Two real `tlumach serve` processes with the demo models run side by side: one plaintext with no
tokens, one with mutual TLS (certificates made here) and a bearer-token file whose token has a
quota large enough never to refuse (so the accounting runs on every call). Calls alternate
between the two, one at a time, on one long-lived channel each:

- ListLanguagePairs: no model work, so the gate (token digest, compare, quota) and TLS framing
  are most of what differs;
- Translate of one sentence: what a caller sees;
- a new connection and its first ListLanguagePairs: the TLS handshake.

    PYTHONPATH=. python bench/access_overhead.py --calls 300 --connections 50
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import grpc
import yaml

from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from tests.support.certs import Authority, write_server_files
from tests.support.serve_process import ServeProcess, start_serve

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-token-3c59dc048e8850243be8079a5c74d079"
SENTENCES = [
    "Ukrainian troops advanced 2 km into the Kursk region.",
    "The president said that the talks will continue next week.",
    "Drones attacked the city at night; nobody was hurt.",
]
Call = Callable[[], Awaitable[object]]


def start_guarded(folder: Path) -> tuple[ServeProcess, Callable[[], grpc.aio.Channel]]:
    """The mutual-TLS + token server and a factory of channels that pass its gate."""
    server_ca, client_ca = Authority.create("bench-server"), Authority.create("bench-clients")
    files = write_server_files(folder / "tls", server_ca, client_ca)
    digest = hashlib.sha256(TOKEN.encode()).hexdigest()
    tokens = folder / "tokens.yaml"
    entry = {"id": "bench", "sha256": digest, "requests_per_minute": 10**9}
    entry["characters_per_minute"] = 10**11
    tokens.write_text(yaml.safe_dump({"tokens": [entry]}), encoding="utf-8")
    serve = start_serve(
        ROOT / "models",
        glossaries_dir=folder / "none",
        env_overrides={
            "TLUMACH_TLS_CERT_FILE": str(files.cert),
            "TLUMACH_TLS_KEY_FILE": str(files.key),
            "TLUMACH_TLS_CLIENT_CA_FILE": str(files.client_ca),
            "TLUMACH_AUTH_TOKENS_FILE": str(tokens),
        },
    )
    cert, key = client_ca.issue("bench-client", server=False)
    credentials = grpc.ssl_channel_credentials(server_ca.pem, key, cert)

    def channel() -> grpc.aio.Channel:
        return grpc.aio.secure_channel(
            f"127.0.0.1:{serve.port}",
            credentials,
            options=[("grpc.ssl_target_name_override", "localhost")],
        )

    return serve, channel


async def timed(call: Call) -> float:
    started = time.perf_counter()
    await call()
    return time.perf_counter() - started


async def measure(
    open_port: int, guarded: Callable[[], grpc.aio.Channel], calls: int, connections: int
) -> dict[str, tuple[list[float], list[float]]]:
    """Seconds per call, (open, guarded), for each kind of call, alternating between servers."""
    metadata = (("authorization", f"Bearer {TOKEN}"),)
    results: dict[str, tuple[list[float], list[float]]] = {}
    async with (
        grpc.aio.insecure_channel(f"127.0.0.1:{open_port}") as plain,
        guarded() as secure,
    ):
        stubs = (pb_grpc.TranslationServiceStub(plain), pb_grpc.TranslationServiceStub(secure))
        metas: tuple[tuple[tuple[str, str], ...], ...] = ((), metadata)

        def lister(side: int) -> Call:
            return lambda: stubs[side].ListLanguagePairs(
                pb.ListLanguagePairsRequest(), metadata=metas[side], timeout=30
            )

        def translator(side: int, n: int) -> Call:
            request = pb.TranslateRequest(
                texts=[SENTENCES[n % len(SENTENCES)]], source_language="en", target_language="uk"
            )
            return lambda: stubs[side].Translate(request, metadata=metas[side], timeout=30)

        for side in (0, 1):  # warm-up: first calls load lazily built state
            for n in range(10):
                await lister(side)()
                await translator(side, n)()
        kinds: dict[str, Callable[[int, int], Call]] = {
            "ListLanguagePairs": lambda side, n: lister(side),
            "Translate, 1 sentence": translator,
        }
        for name, make in kinds.items():
            open_s, guarded_s = [], []
            for n in range(calls):
                open_s.append(await timed(make(0, n)))
                guarded_s.append(await timed(make(1, n)))
            results[name] = (open_s, guarded_s)

    async def first_call(side: int) -> float:
        # Channels connect lazily: the first call's time includes the handshake.
        plain_target = f"127.0.0.1:{open_port}"
        channel = grpc.aio.insecure_channel(plain_target) if side == 0 else guarded()
        async with channel:
            stub = pb_grpc.TranslationServiceStub(channel)
            return await timed(
                lambda: stub.ListLanguagePairs(
                    pb.ListLanguagePairsRequest(), metadata=metadata if side else (), timeout=30
                )
            )

    open_s, guarded_s = [], []
    for _ in range(connections):
        open_s.append(await first_call(0))
        guarded_s.append(await first_call(1))
    results["new connection + ListLanguagePairs"] = (open_s, guarded_s)
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tlumach-access-bench-") as tmp:
        plain = start_serve(ROOT / "models", glossaries_dir=Path(tmp) / "none")
        secure, guarded = start_guarded(Path(tmp))
        try:
            results = asyncio.run(measure(plain.port, guarded, args.calls, args.connections))
        finally:
            plain.stop()
            secure.stop()
    print("| call | n | open p50 / p95 ms | mTLS + token p50 / p95 ms | ratio p50 | ratio p95 |")
    print("|---|---|---|---|---|---|")
    for name, (open_s, guarded_s) in results.items():
        o50, o95 = statistics.median(open_s), percentile(open_s, 0.95)
        g50, g95 = statistics.median(guarded_s), percentile(guarded_s, 0.95)
        print(
            f"| {name} | {len(open_s)} | {1000 * o50:.2f} / {1000 * o95:.2f} "
            f"| {1000 * g50:.2f} / {1000 * g95:.2f} | {g50 / o50:.2f} | {g95 / o95:.2f} |"
        )


if __name__ == "__main__":
    main()
