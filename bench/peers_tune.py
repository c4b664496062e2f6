"""Finds LibreTranslate's best settings for bench/peers.py: every candidate, the same workloads.

Every candidate decodes with beam 2 (as in bench/peers.py); the knobs are waitress threads,
CTranslate2 translators × threads per translator, argostranslate's batch size in tokens, and its
sentence splitter (MiniSBD, the default, or spaCy). The score is the geometric mean of
sentences/s over 8 clients sending sentences and 2 clients sending articles.

    PYTHONPATH=. .venv/bin/python bench/peers_tune.py
"""

from __future__ import annotations

import argparse
import math

from bench import libretranslate_side as lt
from bench.peer_load import Level, article_items, sentence_items
from bench.peers import LibreTranslateSide, lt_settings
from bench.throughput import CACHE, model_dir

CANDIDATES = (
    "",  # LibreTranslate's defaults: 4 threads, 1 translator × all cores, batch 32 tokens, MiniSBD
    "intra=1",
    "inter=2,intra=1",
    "threads=8,inter=2,intra=1",
    "threads=8,inter=2,intra=1,batch=256",
    "threads=8,inter=2,intra=1,batch=1024",
    "threads=32,inter=2,intra=1,batch=1024",
    "threads=8,inter=1,intra=2,batch=1024",
    "threads=8,inter=2,intra=1,batch=1024,splitter=SPACY",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=32)
    parser.add_argument("--articles", type=int, default=4)
    parser.add_argument("--output-tokens", type=int, default=32)
    args = parser.parse_args()
    python = lt.ensure_venv(CACHE)
    models = model_dir()
    levels = [
        Level("8 clients", 8, sentence_items(args.sentences, 500_000)),
        Level("articles, 2 clients", 2, article_items(args.articles, 600_000)),
    ]
    print("| settings | 8 clients sent/s | articles sent/s | geometric mean |")
    print("|---|---|---|---|")
    for number, text in enumerate(CANDIDATES):
        settings = lt_settings("beam=2," + text, f"candidate {number}")
        home = lt.home_for(python, CACHE, models / "en-uk", settings.splitter)
        side = LibreTranslateSide(settings, python, home, args.output_tokens)
        try:
            rates = [side.measure(level).sent_s for level in levels]
        finally:
            side.stop()
        score = math.sqrt(rates[0] * rates[1])
        print(
            f"| {settings.describe()} | {rates[0]:.2f} | {rates[1]:.2f} | {score:.2f} |", flush=True
        )


if __name__ == "__main__":
    main()
