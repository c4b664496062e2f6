"""Sentence-boundary precision/recall/F1 per splitter and language on the hand-marked gold file.

Run: PYTHONPATH=. .venv/bin/python bench/segmentation.py [--errors] [--gold FILE]
The rules in service/text/segment.py were tuned on segmentation-gold.jsonl;
segmentation-heldout.jsonl was written before looking at any output and checks that the tuning
generalises.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

import pysbd
import razdel

from service.text.segment import sentence_splitter, split_text
from tests.support.gold import GOLD, EndFinder, errors, load_gold, score

LANGUAGES = ("en", "uk", "ru")


def pysbd_raw(text: str, language: str) -> Iterable[int]:
    # pysbd has no Ukrainian rules; Russian is the nearest it has.
    code = {"uk": "ru"}.get(language, language)
    segmenter = pysbd.Segmenter(language=code, clean=False, char_span=True)
    return [span.start + len(span.sent.rstrip()) for span in segmenter.segment(text)]


def razdel_raw(text: str, language: str) -> Iterable[int]:
    return [s.stop for s in razdel.sentenize(text)]


def tlumach(backend: str = "") -> EndFinder:
    """split_text (lines, bullets, prefix abbreviations) on top of one library."""

    def find(text: str, language: str) -> Iterable[int]:
        splitter = sentence_splitter(language, backend)
        ends, cursor = [], 0
        for piece in split_text(text, language, splitter=splitter):
            cursor += len(piece.text)
            if piece.translate:
                ends.append(cursor)
        return ends

    return find


SYSTEMS: dict[str, EndFinder] = {
    "pysbd": pysbd_raw,
    "razdel": razdel_raw,
    "tlumach(pysbd)": tlumach("pysbd"),
    "tlumach(razdel)": tlumach("razdel"),
    "tlumach": tlumach(),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list every miss and false cut")
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold JSONL file")
    args = parser.parse_args()
    gold = load_gold(args.gold)
    print(f"{len(gold)} paragraphs, {sum(len(p.sentences) for p in gold)} sentences")
    print(f"{'system':<16} {'lang':<4} {'P':>6} {'R':>6} {'F1':>6}")
    for name, system in SYSTEMS.items():
        for language in (*LANGUAGES, "all"):
            subset = [p for p in gold if language in ("all", p.language)]
            s = score(system, subset)
            print(f"{name:<16} {language:<4} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}")
        if args.errors:
            for line in errors(system, gold):
                print("    ", line)


if __name__ == "__main__":
    main()
