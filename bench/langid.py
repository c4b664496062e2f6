"""Accuracy of language detection on short en/uk/ru news lines (tests/data/langid-news.tsv).

Run: PYTHONPATH=. .venv/bin/python bench/langid.py [--errors]
Compares lingua alone (same language set) with lingua plus alphabet evidence (LanguageDetector).
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable
from pathlib import Path

from lingua import LanguageDetectorBuilder

from service.text.langid import _LINGUA, LanguageDetector

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "langid-news.tsv"


def load(path: Path = DATA) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["language"], row["text"]) for row in csv.DictReader(handle, delimiter="\t")]


def lingua_only() -> Callable[[str], str]:
    lingua = LanguageDetectorBuilder.from_languages(*_LINGUA).build()

    def detect(text: str) -> str:
        found = lingua.detect_language_of(text)
        return _LINGUA[found] if found is not None else "other"

    return detect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="print every wrong answer")
    args = parser.parse_args()
    rows = load()
    detector = LanguageDetector()
    systems = {"lingua": lingua_only(), "tlumach": lambda text: detector.detect(text).language}
    print(
        f"{len(rows)} lines: "
        + ", ".join(f"{g} {sum(r[0] == g for r in rows)}" for g in ("en", "uk", "ru"))
    )
    for name, detect in systems.items():
        started = time.perf_counter()
        answers = [(gold, detect(text), text) for gold, text in rows]
        elapsed = (time.perf_counter() - started) / len(rows) * 1000
        per = {
            g: sum(a == g for gg, a, _ in answers if gg == g) / sum(gg == g for gg, _, _ in answers)
            for g in ("en", "uk", "ru")
        }
        accuracy = sum(gold == got for gold, got, _ in answers) / len(answers)
        detail = " ".join(f"{g} {v:.3f}" for g, v in per.items())
        print(f"{name:<8} accuracy {accuracy:.3f} ({detail}); {elapsed:.2f} ms/line")
        if args.errors:
            for gold, got, text in answers:
                if gold != got:
                    print(f"    {gold}->{got}  {text}")


if __name__ == "__main__":
    main()
