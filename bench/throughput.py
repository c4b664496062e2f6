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
    models: Path, beam: int, inter: int, intra: int, out_tokens: int, guard: str, cache: int = 0
) -> ServeProcess:
    """A real `tlumach serve` process on a free port."""
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
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=256)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--beam", type=int, default=2)
    parser.add_argument("--output-tokens", type=int, default=32, help="decoded tokens per sentence")
    parser.add_argument(
        "--guard", choices=("true", "false"), default="false", help="target-language guard"
    )
    parser.add_argument("--threads", default="2x1,1x2", help="inter x intra settings to compare")
    args = parser.parse_args()
    models = model_dir()
    texts = sentences(args.sentences)
    print(
        f"model: 6+6 layers, d512, 8 heads, ffn 2048, 60k vocab, int8; beam {args.beam}; "
        f"{args.sentences} sentences; {args.clients} concurrent clients"
    )
    print(
        "| threads (inter×intra) | raw engine sent/s | service sent/s | ratio "
        "| service p50 ms | service p95 ms | output tokens |"
    )
    print("|---|---|---|---|---|---|---|")
    for setting in args.threads.split(","):
        inter, intra = (int(x) for x in setting.split("x"))
        raw = raw_engine(models, texts, args.beam, inter, intra, args.output_tokens)
        server = start_server(models, args.beam, inter, intra, args.output_tokens, args.guard)
        try:
            served = asyncio.run(service_run(server.port, texts, args.clients))
        finally:
            server.stop()
        print(
            f"| {inter}×{intra} | {raw['sent_s']:.1f} | {served['sent_s']:.1f} | "
            f"{served['sent_s'] / raw['sent_s']:.2f} | {served['p50_ms']:.0f} | "
            f"{served['p95_ms']:.0f} | {raw['out_tokens']:.0f} |"
        )


if __name__ == "__main__":
    main()
