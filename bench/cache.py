"""The sentence cache's hit path against a decode, end to end, in one run.

A real `tlumach serve` on the OPUS-MT-sized model (bench/throughput.py's), guard off as there:
articles of `--sentences` sentences are sent once (every sentence decoded, then cached) and then
again (every sentence from the cache), one call at a time; then the same with the cache off.

    PYTHONPATH=. .venv/bin/python bench/cache.py --articles 20 --sentences 12
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import grpc

from bench.throughput import WORDS, model_dir, start_server
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc


def articles(count: int, sentences: int) -> list[str]:
    """Distinct articles: no sentence repeats across them."""
    return [
        " ".join(
            f"The {WORDS[(a + s) % 10]} of {WORDS[(a * 3 + s) % 10]} met at {a * 100 + s}."
            for s in range(sentences)
        )
        for a in range(count)
    ]


async def timed(port: int, texts: list[str]) -> list[float]:
    """Seconds per call, one article per call, one call at a time."""
    took = []
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = pb_grpc.TranslationServiceStub(channel)
        for text in texts:
            request = pb.TranslateRequest(texts=[text], source_language="en", target_language="uk")
            started = time.perf_counter()
            await stub.Translate(request, timeout=300)
            took.append(time.perf_counter() - started)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--sentences", type=int, default=12)
    args = parser.parse_args()
    texts = articles(args.articles, args.sentences)
    models = model_dir()
    server = start_server(models, 2, 2, 1, 32, "false", cache=10_000)
    try:
        misses = asyncio.run(timed(server.port, texts))
        hits = asyncio.run(timed(server.port, texts))
    finally:
        server.stop()
    miss, hit = statistics.median(misses), statistics.median(hits)
    print(
        f"OPUS-MT-sized model, beam 2, {args.articles} articles of {args.sentences} sentences, "
        "one call at a time"
    )
    print("| article | p50 ms | p95 ms |")
    print("|---|---|---|")
    for name, values in (("decoded (cache miss)", misses), ("from the cache (hit)", hits)):
        values = sorted(values)
        print(
            f"| {name} | {1000 * statistics.median(values):.1f} "
            f"| {1000 * values[int(len(values) * 0.95)]:.1f} |"
        )
    print(f"\nhit path {miss / hit:.0f}× faster than decoding (p50)")


if __name__ == "__main__":
    main()
