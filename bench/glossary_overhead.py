"""What glossary enforcement adds to a request when nothing needs repairing, measured end to end.

Sentences come from the demo corpus generator with names the demo model has seen, so the model
already writes most terms right. Each sentence is sent twice to a real `tlumach serve` (demo
models, shipped glossaries), once without and once with `glossary_ids=[news-ua]`, alternating, one
call at a time. Reported: latency of both for the sentences whose every term came back `kept`
(no repair needed), the added p50/p95, and how many needed repairs.

    PYTHONPATH=. python bench/glossary_overhead.py --sentences 200 [--rounds 3]

With `--rounds N` every sentence is sent N times over (the sentence cache is off, so each is
decoded and enforced again) and the rows pool all rounds: a p95 of 112 calls is the sixth
slowest, which one scheduler hiccup on a shared machine moves by a third.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import time
from pathlib import Path

import grpc

from models.demo import corpus
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from tests.support.serve_process import start_serve

ROOT = Path(__file__).resolve().parents[1]
CORPUS_SEED = 20250101


def sentences(count: int, seed: int) -> list[str]:
    """English sentences drawing only the real names the demo model saw in training."""
    train, _ = corpus.build_pools(CORPUS_SEED)
    real = dataclasses.replace(train, real_share=1.0)
    return [english for english, _, _ in corpus.generate(real, count, seed)]


async def measure(
    port: int, texts: list[str], target: str, rounds: int = 1
) -> list[tuple[float, float, str]]:
    """(bare seconds, with-glossary seconds, outcome: none | kept | repaired) per sentence."""
    rows = []
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = pb_grpc.TranslationServiceStub(channel)
        for text in texts[:5]:  # warm-up: first use builds the glossary's match indexes
            await stub.Translate(
                pb.TranslateRequest(texts=[text], target_language=target, glossary_ids=["news-ua"])
            )
        for text in [text for _ in range(rounds) for text in texts]:
            bare = pb.TranslateRequest(texts=[text], source_language="en", target_language=target)
            enforced = pb.TranslateRequest(
                texts=[text], source_language="en", target_language=target,
                glossary_ids=["news-ua"], options=pb.TranslateOptions(return_term_report=True),
            )  # fmt: skip
            started = time.perf_counter()
            await stub.Translate(bare)
            bare_s = time.perf_counter() - started
            started = time.perf_counter()
            response = await stub.Translate(enforced)
            enforced_s = time.perf_counter() - started
            terms = response.results[0].terms
            if not terms:
                outcome = "none"
            elif all(t.outcome == pb.TERM_OUTCOME_KEPT for t in terms):
                outcome = "kept"
            else:
                outcome = "repaired"
            rows.append((bare_s, enforced_s, outcome))
    return rows


def row(target: str, outcome: str, pairs: list[tuple[float, float]]) -> str:
    """One table row: latency without and with the glossary for one kind of sentence."""
    bare = [b for b, _ in pairs]
    enforced = [e for _, e in pairs]
    b50, b95 = statistics.median(bare), percentile(bare, 0.95)
    e50, e95 = statistics.median(enforced), percentile(enforced, 0.95)
    label = {"none": "no glossary term", "kept": "terms, all kept", "repaired": "terms, repaired"}
    return (
        f"| {target} | {len(pairs)} {label[outcome]} | {1000 * b50:.1f} / {1000 * b95:.1f} "
        f"| {1000 * e50:.1f} / {1000 * e95:.1f} | {100 * (e50 / b50 - 1):+.0f} % "
        f"| {100 * (e95 / b95 - 1):+.0f} % |"
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rounds", type=int, default=1, help="times each sentence is sent")
    args = parser.parse_args()
    texts = sentences(args.sentences, args.seed)
    # Each sentence goes twice (without and with the glossary): the cache would answer repeats.
    server = start_serve(
        ROOT / "models",
        glossaries_dir=ROOT / "glossaries",
        env_overrides={"TLUMACH_SENTENCE_CACHE_SIZE": "0"},
    )
    try:
        print(
            "| target | calls | bare p50 / p95 ms | with glossary p50 / p95 ms "
            "| added p50 | added p95 |"
        )
        print("|---|---|---|---|---|---|")
        for target in ("uk", "ru"):
            rows = asyncio.run(measure(server.port, texts, target, args.rounds))
            for outcome in ("none", "kept", "repaired"):
                chosen = [(b, e) for b, e, o in rows if o == outcome]
                if chosen:
                    print(row(target, outcome, chosen))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
