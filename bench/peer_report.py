"""The peer benchmark's table, its conditions, and the checks that every side did the same work."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from bench.peer_load import Figures

LABELS = {
    "raw": "raw engine (CTranslate2 `translate_batch`, ideal batching)",
    "tlumach": "**Tlumach** (`tlumach serve`, gRPC)",
    "lt-default": "LibreTranslate 1.9.6, defaults",
    "lt-tuned": "LibreTranslate 1.9.6, tuned",
    "hf": "transformers `MarianMTModel.generate`, float32",
    "hf-int8": "transformers `generate`, dynamic int8",
}


@dataclass(frozen=True)
class Row:
    """One side's figures on one workload."""

    workload: str
    side: str
    figures: Figures
    raw_best: float
    """The raw engine's best sentences/s in the same workload's slot: the ratio's denominator."""


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def print_table(
    rows: list[Row],
    args: argparse.Namespace,
    sides: dict[str, Any],
) -> None:
    """Markdown: conditions, settings, the table (ratio: sentences/s over the raw engine's best)."""
    load = os.getloadavg()[0]
    print(
        f"model: 6+6 layers, d512, 60k vocab, random weights; beam {args.beam}; every sentence "
        f"decodes {args.output_tokens} tokens; {os.cpu_count()} cores, load average {load:.1f} "
        f"at the end; ctranslate2 {_version('ctranslate2')}, torch {_version('torch')}, "
        f"transformers {_version('transformers')}"
    )
    bests = sorted({row.raw_best for row in rows})
    print(
        f"raw engine's best per workload (2×1 translators, {args.best_sentences} sentences in one "
        f"call with the best of max_batch_size 16/32/64, or its ideal batching if faster): "
        + ", ".join(f"{b:.1f}" for b in bests)
        + " sentences/s"
    )
    for name, side in sides.items():
        settings = getattr(side, "settings", None)
        if settings is not None:
            print(f"{name}: {settings.describe()}")
    print()
    print("| workload | side | sentences/s | × raw best | p50 ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        f = row.figures
        ratio = f.sent_s / row.raw_best
        latency = f"{f.latency_ms(0.5):.0f} | {f.latency_ms(0.95):.0f}"
        print(f"| {row.workload} | {LABELS[row.side]} | {f.sent_s:.1f} | {ratio:.2f} | {latency} |")
    print()


def work_checks(sides: dict[str, Any], levels: list[Any]) -> list[str]:
    """Problems with what each side decoded, by its own count, and with LibreTranslate's network.

    Prints what every side decoded; returns the problems (none when each side that counts its
    sentences decoded exactly what it was sent plus its warm-up, and nothing tried the network).
    """
    sent = sum(len(item.sentences) for level in levels for item in level.items)
    print(f"sentences sent to each server side: {sent}")
    problems = []
    for name, side in sides.items():
        if hasattr(side, "sentences_decoded"):
            counted = side.sentences_decoded()
            if counted is None:
                print(f"{name}: has no batch-size metric to count its sentences by")
                continue
            decoded = counted - side.WARM_UP_SENTENCES
            print(f"{name}: decoded {decoded}, by its batch-size metric")
            if decoded != sent:
                problems.append(f"{name} decoded {decoded} sentences, {sent} were sent")
        elif hasattr(side, "server") and hasattr(side.server, "stats"):
            stats = side.server.stats()
            decoded = stats["sentences"] - side.WARM_UP_SENTENCES
            per = stats["output_tokens"] / max(1, stats["sentences"])
            tried = side.server.network_attempts()
            print(
                f"{name}: decoded {decoded}, {per:.1f} output tokens each, by its translate_batch "
                f"calls; network accesses tried: {len(tried)}"
            )
            if decoded != sent:
                problems.append(f"{name} decoded {decoded} sentences, {sent} were sent")
            problems += [f"{name} tried the network: {line}" for line in tried]
        elif hasattr(side, "output_tokens"):
            print(f"{name}: {side.output_tokens:.1f} output tokens per sentence")
    return problems
