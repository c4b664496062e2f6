"""Boundary precision/recall of a sentence splitter against the hand-marked gold file."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "data" / "segmentation-gold.jsonl"

# Takes (text, language) and returns the end offsets of the sentences it found.
EndFinder = Callable[[str, str], Iterable[int]]


@dataclass(frozen=True)
class GoldParagraph:
    language: str
    text: str
    sentences: tuple[str, ...]

    def boundaries(self) -> set[int]:
        """End offsets of every sentence but the last: the places a splitter must cut."""
        ends, cursor = [], 0
        for sentence in self.sentences:
            start = self.text.index(sentence, cursor)
            cursor = start + len(sentence)
            ends.append(cursor)
        return set(ends[:-1])


@dataclass(frozen=True)
class Score:
    true_positive: int
    predicted: int
    expected: int

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path = GOLD) -> list[GoldParagraph]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [GoldParagraph(r["language"], r["text"], tuple(r["sentences"])) for r in records]


def score(find_ends: EndFinder, paragraphs: Iterable[GoldParagraph]) -> Score:
    tp = predicted = expected = 0
    for paragraph in paragraphs:
        last = len(paragraph.text.rstrip())
        found = {end for end in find_ends(paragraph.text, paragraph.language) if end < last}
        gold = paragraph.boundaries()
        tp += len(found & gold)
        predicted += len(found)
        expected += len(gold)
    return Score(tp, predicted, expected)


def errors(find_ends: EndFinder, paragraphs: Iterable[GoldParagraph]) -> list[str]:
    """Human-readable misses and false cuts, to see what a splitter gets wrong."""
    out = []
    for paragraph in paragraphs:
        last = len(paragraph.text.rstrip())
        found = {end for end in find_ends(paragraph.text, paragraph.language) if end < last}
        gold = paragraph.boundaries()
        around = paragraph.text
        for end in sorted(found - gold):
            out.append(f"false cut  {around[max(0, end - 30) : end]}|{around[end : end + 20]}")
        for end in sorted(gold - found):
            out.append(f"missed     {around[max(0, end - 30) : end]}|{around[end : end + 20]}")
    return out
