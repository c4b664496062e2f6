"""The library sides of the peer benchmark, each in its own process: raw engine, transformers.

A process per side keeps their thread pools and memory apart (PyTorch's OpenMP threads spin on
after a call). The orchestrator (bench/peers.py) writes the workload to a JSON file and reads one
JSON object back from stdout:

    python bench/peer_libs.py raw --model bench/.cache/models/en-uk --work WORK.json
    python bench/peer_libs.py hf --model bench/.cache/hf/en-uk --work WORK.json [--int8]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.peer_load import Item, run_rounds

Decoder = Callable[[list[str]], list[int]]
"""Decodes sentences, returns the number of output tokens of each."""


def raw_decoder(model: Path, beam: int, out_tokens: int, inter: int, intra: int) -> Decoder:
    """CTranslate2 `translate_batch` with SentencePiece on both ends, nothing else."""
    import ctranslate2
    import sentencepiece as spm

    translator = ctranslate2.Translator(
        str(model), compute_type="int8", inter_threads=inter, intra_threads=intra
    )
    source = spm.SentencePieceProcessor(model_file=str(model / "source.spm"))
    target = spm.SentencePieceProcessor(model_file=str(model / "target.spm"))

    def decode(sentences: list[str], max_batch: int = 0) -> list[int]:
        # Split over the `inter` translators so every one of them works on each round.
        batch = max_batch or math.ceil(len(sentences) / inter)
        results = translator.translate_batch(
            [source.encode(s, out_type=str) for s in sentences],
            beam_size=beam,
            max_batch_size=batch,
            max_decoding_length=out_tokens,
        )
        target.decode([r.hypotheses[0] for r in results])
        return [len(r.hypotheses[0]) for r in results]

    decode(["Warm-up."] * 4)
    return decode


def hf_decoder(model: Path, beam: int, out_tokens: int, threads: int, int8: bool) -> Decoder:
    """`MarianMTModel.generate` as its documentation shows it, on `threads` PyTorch threads."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    torch.set_num_threads(threads)
    tokenizer = MarianTokenizer.from_pretrained(str(model))
    network = MarianMTModel.from_pretrained(str(model), torch_dtype=torch.float32).eval()
    if int8:
        # PyTorch's dynamic int8 quantization of every Linear layer: the CPU speed-up it offers.
        network = torch.ao.quantization.quantize_dynamic(network, {torch.nn.Linear}, torch.qint8)

    def decode(sentences: list[str]) -> list[int]:
        batch = tokenizer(sentences, return_tensors="pt", padding=True)
        with torch.inference_mode():
            output = network.generate(
                **batch, num_beams=beam, do_sample=False, max_new_tokens=out_tokens
            )
        tokenizer.batch_decode(output, skip_special_tokens=True)
        return [output.shape[1] - 1] * len(sentences)  # generated steps (start token excluded)

    decode(["Warm-up."] * 4)
    return decode


def best_offline(decode: Callable[..., list[int]], sentences: list[str]) -> dict[str, float]:
    """The raw engine's best batch size: all sentences in one call, batches of 16, 32 or 64."""
    best: dict[str, float] = {}
    for max_batch in (16, 32, 64):
        started = time.perf_counter()
        decode(sentences, max_batch)
        rate = len(sentences) / (time.perf_counter() - started)
        if rate > best.get("sent_s", 0.0):
            best = {"sent_s": rate, "max_batch_size": max_batch}
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("side", choices=("raw", "hf"))
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True, help="workload JSON from peers.py")
    parser.add_argument("--beam", type=int, default=2)
    parser.add_argument("--output-tokens", type=int, default=32)
    parser.add_argument("--inter", type=int, default=2)
    parser.add_argument("--intra", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2, help="PyTorch threads (hf)")
    parser.add_argument("--int8", action="store_true", help="dynamic int8 quantization (hf)")
    args = parser.parse_args()
    work = json.loads(args.work.read_text(encoding="utf-8"))
    if args.side == "raw":
        decode = raw_decoder(args.model, args.beam, args.output_tokens, args.inter, args.intra)
    else:
        decode = hf_decoder(args.model, args.beam, args.output_tokens, args.threads, args.int8)
    report: dict[str, object] = {"levels": {}}
    if args.side == "raw" and work.get("best"):
        report["best"] = best_offline(decode, work["best"])
    lengths: list[int] = []
    for level in work["levels"]:
        items = [Item(i["text"], tuple(i["sentences"])) for i in level["items"]]

        def timed(sentences: list[str]) -> None:
            lengths.extend(decode(sentences))

        figures = run_rounds(items, level["clients"], timed)
        report["levels"][level["name"]] = figures.as_dict()  # type: ignore[index]
    report["output_tokens"] = statistics.mean(lengths) if lengths else 0.0
    print(json.dumps(report))


if __name__ == "__main__":
    main()
