"""The peer benchmark's workload: distinct news-like texts, closed-loop callers, and the figures."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

SUBJECTS = ("Ukrainian troops", "Russian drones", "The president", "Air defence", "The governor")
SUBJECTS += ("Officials", "Rescuers", "The army", "Engineers", "Local residents")
VERBS = ("reported damage at", "attacked", "visited", "defended", "inspected")
VERBS += ("repaired", "left", "reached", "shelled", "cleared")
OBJECTS = (
    "the bridge",
    "the power plant",
    "the border village",
    "the city centre",
    "two districts",
)
OBJECTS += ("the railway station", "the port", "the airfield", "the water works", "the school")


@dataclass(frozen=True)
class Item:
    """One call: a service receives `text`, a library its `sentences` (it has no splitter)."""

    text: str
    sentences: tuple[str, ...]


def sentence(number: int) -> str:
    """A short news sentence; `number` makes it unique, so no cache on any side can help."""
    return (
        f"{SUBJECTS[number % 10]} {VERBS[(number // 10) % 10]} {OBJECTS[(number // 100) % 10]}"
        f" near kilometre {number}."
    )


def sentence_items(count: int, start: int) -> list[Item]:
    """`count` one-sentence calls, numbered from `start`."""
    return [Item(sentence(n), (sentence(n),)) for n in range(start, start + count)]


def article_items(
    count: int, start: int, paragraphs: int = 4, per_paragraph: int = 4
) -> list[Item]:
    """`count` articles of `paragraphs` paragraphs (blank-line separated) of `per_paragraph`."""
    items = []
    number = start
    for _ in range(count):
        blocks = []
        for _ in range(paragraphs):
            blocks.append([sentence(n) for n in range(number, number + per_paragraph)])
            number += per_paragraph
        text = "\n\n".join(" ".join(block) for block in blocks)
        items.append(Item(text, tuple(s for block in blocks for s in block)))
    return items


@dataclass(frozen=True)
class Level:
    """One workload: `clients` closed-loop callers sending `items` (sentences or articles)."""

    name: str
    clients: int
    items: list[Item]


def workloads(
    sentence_levels: list[tuple[int, int]], articles: int, article_clients: int
) -> list[Level]:
    """Distinct texts for every workload, so no cache anywhere sees a text twice."""
    levels = [
        Level(f"{clients} client{'s' * (clients > 1)}", clients, sentence_items(count, 10_000 * i))
        for i, (clients, count) in enumerate(sentence_levels, start=1)
    ]
    items = article_items(articles, 90_000)
    levels.append(Level(f"articles, {article_clients} clients", article_clients, items))
    return levels


@dataclass(frozen=True)
class Figures:
    """What one side did with one workload: sentences, wall time and per-call latencies."""

    sentences: int
    elapsed_s: float
    latencies_s: tuple[float, ...]

    @property
    def sent_s(self) -> float:
        return self.sentences / self.elapsed_s

    def latency_ms(self, share: float) -> float:
        """The `share` quantile of the call latencies, in ms (nearest rank)."""
        ordered = sorted(self.latencies_s)
        rank = min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))
        return 1000 * ordered[rank]

    def as_dict(self) -> dict[str, object]:
        return {
            "sentences": self.sentences,
            "elapsed_s": self.elapsed_s,
            "latencies_s": self.latencies_s,
        }


def figures_from(data: dict[str, object]) -> Figures:
    """The inverse of `Figures.as_dict` (figures come back from worker processes as JSON)."""
    latencies = data["latencies_s"]
    assert isinstance(latencies, list)
    return Figures(int(str(data["sentences"])), float(str(data["elapsed_s"])), tuple(latencies))


def run_callers(items: Sequence[Item], clients: int, call: Callable[[Item], None]) -> Figures:
    """`clients` threads, each sending the next item and waiting for its answer, until none is left.

    Every call must succeed: `call` raises on a failed one, and the first failure ends the run.
    """
    pending = list(reversed(items))
    latencies: list[float] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def caller() -> None:
        while not failures:
            with lock:
                if not pending:
                    return
                item = pending.pop()
            started = time.perf_counter()
            try:
                call(item)
            except BaseException as exc:
                failures.append(exc)
                return
            with lock:
                latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=caller) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"a call failed: {failures[0]!r}") from failures[0]
    return Figures(sum(len(i.sentences) for i in items), elapsed, tuple(latencies))


def run_rounds(items: Sequence[Item], clients: int, decode: Callable[[list[str]], None]) -> Figures:
    """A library behind a perfect batcher: `clients` calls at a time decoded as one batch.

    This is the most a library can give `clients` closed-loop callers: no queueing, no
    protocol, every waiting sentence in the same batch; each call's latency is its round's.
    """
    latencies: list[float] = []
    started = time.perf_counter()
    for first in range(0, len(items), clients):
        batch = items[first : first + clients]
        round_started = time.perf_counter()
        decode([s for item in batch for s in item.sentences])
        latencies += [time.perf_counter() - round_started] * len(batch)
    elapsed = time.perf_counter() - started
    return Figures(sum(len(i.sentences) for i in items), elapsed, tuple(latencies))
