"""Throughput benchmark: the service under N concurrent clients against the raw engine, one run.

Both sides use the same converted model of OPUS-MT's real dimensions (6+6 layers, d_model 512,
8 heads, ffn 2048, 60k vocabulary, random weights) and the same sentences. Random weights almost
never emit </s>, so every sentence decodes to the same length limit on both sides: a fair race.

    PYTHONPATH=. python bench/throughput.py --sentences 256 --clients 16
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

import ctranslate2
import grpc
import sentencepiece as spm

from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from tests.support.models import install_fixture_models
from tests.support.opus_fixture import OPUS_SIZE
from tests.support.serve_process import ServeProcess, start_serve

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache"
WORDS = ("troops", "drones", "region", "city", "president")
WORDS += ("talks", "week", "night", "border", "attack")


def sentences(count: int) -> list[str]:
    """Deterministic news-like sentences of similar length."""
    return [
        f"The {WORDS[i % 10]} of {WORDS[(i * 3) % 10]} {WORDS[(i * 7) % 10]} at {i}."
        for i in range(count)
    ]


def model_dir() -> Path:
    """The OPUS-sized fixture model, built once and cached."""
    models = CACHE / "models"
    if not (models / "en-uk" / "model.yaml").exists():
        install_fixture_models(models, pairs=("en-uk",), dims=OPUS_SIZE)
    return models


def raw_engine(
    models: Path, texts: list[str], beam: int, inter: int, intra: int, out_tokens: int
) -> dict[str, float]:
    """Sentences/s of plain translate_batch, batches dispatched to `inter` workers."""
    translator = ctranslate2.Translator(
        str(models / "en-uk"), compute_type="int8", inter_threads=inter, intra_threads=intra
    )
    tokenizer = spm.SentencePieceProcessor(model_file=str(models / "en-uk" / "source.spm"))
    tokens = [tokenizer.encode(t, out_type=str) for t in texts]
    limit = out_tokens
    translator.translate_batch(tokens[:4], beam_size=beam, max_decoding_length=limit)  # warm-up
    started = time.perf_counter()
    results = translator.translate_batch(
        tokens, beam_size=beam, max_batch_size=16, max_decoding_length=limit
    )
    elapsed = time.perf_counter() - started
    out_len = statistics.mean(len(r.hypotheses[0]) for r in results)
    return {"sent_s": len(texts) / elapsed, "out_tokens": out_len}


async def service_run(port: int, texts: list[str], clients: int) -> dict[str, float]:
    """Sentences/s and latency percentiles of `clients` callers sending one sentence each."""
    latencies: list[float] = []
    queue = list(enumerate(texts))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = pb_grpc.TranslationServiceStub(channel)
        await stub.Translate(_request(texts[0]))  # warm-up

        async def client() -> None:
            while queue:
                _, text = queue.pop()
                started = time.perf_counter()
                await stub.Translate(_request(text))
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "sent_s": len(texts) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)],
    }


def _request(text: str) -> pb.TranslateRequest:
    return pb.TranslateRequest(texts=[text], source_language="en", target_language="uk")


def start_server(
    models: Path,
    beam: int,
    inter: int,
    intra: int,
    out_tokens: int,
    guard: str,
    cache: int = 0,
    malloc_arenas: int | None = None,
) -> ServeProcess:
    """A real `tlumach serve` process on a free port (`malloc_arenas` None: its default)."""
    arenas = {} if malloc_arenas is None else {"TLUMACH_MALLOC_ARENA_MAX": str(malloc_arenas)}
    threads = ["--inter-threads", str(inter), "--intra-threads", str(intra)]
    return start_serve(
        models,
        extra_args=["--beam-size", str(beam), *threads, "--log-level", "WARNING"],
        log=CACHE / f"serve-{inter}x{intra}.log",
        # The cache is off unless asked for: these benches measure decoding, not repeats.
        # Random weights write no language, so the target-language guard would re-decode every
        # sentence; a real model trips it rarely. Its check cost is measured with it on.
        env_overrides={
            "TLUMACH_SENTENCE_CACHE_SIZE": str(cache),
            "TLUMACH_MAX_OUTPUT_TOKENS": str(out_tokens),
            "TLUMACH_LANGUAGE_GUARD": guard,
            **arenas,
        },
    )


def raw_rate(
    translator: ctranslate2.Translator,
    tokens: list[list[str]],
    beam: int,
    out_tokens: int,
    in_flight: int,
) -> float:
    """Sentences/s of the raw engine with at most `in_flight` sentences at hand, as the service
    has with that many callers: each chunk in one `translate_batch`, in one batch or split in
    two for the two inter threads, whichever is faster (its best configuration)."""
    best = 0.0
    for batch_size in sorted({in_flight, -(-in_flight // 2)}):
        started = time.perf_counter()
        for start in range(0, len(tokens), in_flight):
            translator.translate_batch(
                tokens[start : start + in_flight],
                beam_size=beam,
                max_batch_size=batch_size,
                max_decoding_length=out_tokens,
            )
        best = max(best, len(tokens) / (time.perf_counter() - started))
    return best


async def paced_latency(port: int, texts: list[str], rate: float, seconds: float) -> list[float]:
    """Latencies of single-sentence calls arriving open-loop at `rate` per second."""
    from bench.load import open_loop, plain_request, timed_translate

    def make_call(index: int):  # type: ignore[no-untyped-def]
        request = plain_request(texts[index % len(texts)])
        return lambda stub: timed_translate(stub, request, 60.0)

    record = await open_loop(port, rate, seconds, make_call)
    return sorted(o.latency_s for o in record.outcomes if o.code == "OK")


def main() -> None:
    """Rounds that alternate the raw engine and the service, so drifting load hits both."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=256)
    parser.add_argument("--clients", default="4,16,32", help="concurrent callers to measure")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--beam", type=int, default=2)
    parser.add_argument("--output-tokens", type=int, default=32, help="decoded tokens per sentence")
    parser.add_argument("--paced-seconds", type=float, default=30, help="0 skips the 70%% run")
    parser.add_argument(
        "--malloc-arenas", type=int, default=None, help="the server's malloc_arena_max (0: glibc's)"
    )
    args = parser.parse_args()
    models = model_dir()
    texts = sentences(args.sentences)
    counts = [int(c) for c in args.clients.split(",")]
    translator = ctranslate2.Translator(
        str(models / "en-uk"), compute_type="int8", inter_threads=2, intra_threads=1
    )
    tokenizer = spm.SentencePieceProcessor(model_file=str(models / "en-uk" / "source.spm"))
    tokens = [tokenizer.encode(t, out_type=str) for t in texts]
    translator.translate_batch(tokens[:4], beam_size=args.beam, max_decoding_length=8)
    raw: dict[int, list[float]] = {c: [] for c in counts}
    served: dict[int, list[dict[str, float]]] = {c: [] for c in counts}
    server = start_server(
        models, args.beam, 2, 1, args.output_tokens, "false", malloc_arenas=args.malloc_arenas
    )
    try:
        for _ in range(args.rounds):
            for clients in counts:
                raw[clients].append(
                    raw_rate(translator, tokens, args.beam, args.output_tokens, clients)
                )
                served[clients].append(asyncio.run(service_run(server.port, texts, clients)))
        paced: list[float] = []
        if args.paced_seconds > 0:
            capacity = statistics.median(r["sent_s"] for r in served[max(counts)])
            paced = asyncio.run(
                paced_latency(server.port, texts, 0.7 * capacity, args.paced_seconds)
            )
    finally:
        server.stop()
    report(args, counts, raw, served, paced)


def report(
    args: argparse.Namespace,
    counts: list[int],
    raw: dict[int, list[float]],
    served: dict[int, list[dict[str, float]]],
    paced: list[float],
) -> None:
    print(
        f"model: 6+6 layers, d512, 8 heads, ffn 2048, 60k vocab, int8; beam {args.beam}; "
        f"{args.sentences} sentences of {args.output_tokens} output tokens; 2 inter threads × "
        f"1; medians of {args.rounds} alternating rounds; raw engine: as many sentences at "
        "hand as the service has callers, its best batch split"
    )
    print("| callers | raw engine sent/s | service sent/s | ratio (median of rounds) "
          "| service p50 ms | service p95 ms |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for clients in counts:
        rates = [r["sent_s"] for r in served[clients]]
        ratios = [s / r for s, r in zip(rates, raw[clients], strict=True)]
        print(
            f"| {clients} | {statistics.median(raw[clients]):.1f} "
            f"| {statistics.median(rates):.1f} | {statistics.median(ratios):.2f} "
            f"| {statistics.median(r['p50_ms'] for r in served[clients]):.0f} "
            f"| {statistics.median(r['p95_ms'] for r in served[clients]):.0f} |"
        )
    if paced:
        p50, p99 = statistics.median(paced), paced[int(len(paced) * 0.99)]
        print(
            f"\nat 70 % of the service's capacity, single-sentence calls arriving open-loop: "
            f"p50 {1000 * p50:.0f} ms, p99 {1000 * p99:.0f} ms (p99 / p50 = {p99 / p50:.2f})"
        )


if __name__ == "__main__":
    main()
