"""Single-sentence overhead: one service call against one raw engine call on the same model.

The raw side is what a user of CTranslate2 writes: SentencePiece encode, `translate_batch` of one
sentence, decode, in this process. The service side is a real `tlumach serve` process (gRPC on
loopback, the whole pipeline). Calls alternate, so drifting load on a shared machine hits both.

    PYTHONPATH=. .venv/bin/python bench/overhead.py --calls 300 [--model demo|opus]
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

from bench.load import SENTENCES, demo_models
from bench.throughput import model_dir
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from tests.support.serve_process import start_serve

ROOT = Path(__file__).resolve().parents[1]


class RawEngine:
    """CTranslate2 and SentencePiece used directly, as the service's engine is configured."""

    def __init__(self, model: Path, target_token: str | None, beam: int, out_tokens: int) -> None:
        self._translator = ctranslate2.Translator(
            str(model), compute_type="int8", inter_threads=2, intra_threads=1
        )
        self._source = spm.SentencePieceProcessor(model_file=str(model / "source.spm"))
        self._target = spm.SentencePieceProcessor(model_file=str(model / "target.spm"))
        self._token = target_token
        self._beam = beam
        self._out = out_tokens

    def translate(self, text: str) -> str:
        pieces = self._source.encode(text, out_type=str)
        if self._token:
            pieces = [self._token, *pieces]
        [result] = self._translator.translate_batch(
            [pieces], beam_size=self._beam, max_decoding_length=self._out
        )
        return str(self._target.decode(result.hypotheses[0]))


async def run(args: argparse.Namespace) -> tuple[list[float], list[float]]:
    if args.model == "demo":
        models, token = demo_models(), ">>ukr<<"
        model = models / "demo" / "tlumach-demo"
    else:
        models, token = model_dir(), None
        model = models / "en-uk"
    raw = RawEngine(model, token, args.beam, args.output_tokens)
    server = start_serve(
        models,
        extra_args=["--log-level", "WARNING", "--beam-size", str(args.beam)],
        env_overrides={
            "TLUMACH_SENTENCE_CACHE_SIZE": "0",  # the sentences repeat: decode every one
            "TLUMACH_MAX_OUTPUT_TOKENS": str(args.output_tokens),
            "TLUMACH_LANGUAGE_GUARD": args.guard,
        },
        log=ROOT / "bench" / ".cache" / "overhead.log",
    )
    raw_s: list[float] = []
    service_s: list[float] = []
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            stub = pb_grpc.TranslationServiceStub(channel)
            for index in range(args.calls + 10):
                text = SENTENCES[index % len(SENTENCES)]
                request = pb.TranslateRequest(
                    texts=[text], source_language="en", target_language="uk"
                )
                started = time.perf_counter()
                raw.translate(text)
                raw_took = time.perf_counter() - started
                started = time.perf_counter()
                await stub.Translate(request)
                service_took = time.perf_counter() - started
                if index >= 10:  # the first calls warm both sides up
                    raw_s.append(raw_took)
                    service_s.append(service_took)
    finally:
        server.stop()
    return raw_s, service_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--model", choices=("demo", "opus"), default="demo")
    parser.add_argument("--beam", type=int, default=2)
    parser.add_argument("--output-tokens", type=int, default=256)
    parser.add_argument("--guard", choices=("true", "false"), default="true")
    args = parser.parse_args()
    raw, service = asyncio.run(run(args))
    raw.sort()
    service.sort()
    p50_raw, p50_service = statistics.median(raw), statistics.median(service)
    print(f"model {args.model}, beam {args.beam}, guard {args.guard}, {args.calls} calls each")
    print("| side | p50 ms | p95 ms |")
    print("|---|---|---|")
    for name, values in (("raw engine", raw), ("service", service)):
        print(
            f"| {name} | {1000 * statistics.median(values):.2f} "
            f"| {1000 * values[int(len(values) * 0.95)]:.2f} |"
        )
    print(f"\nservice overhead p50: {1000 * (p50_service - p50_raw):.2f} ms")


if __name__ == "__main__":
    main()
