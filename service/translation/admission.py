"""Admission at the door: refuse work that cannot be queued or cannot finish before its deadline.

The check costs a few microseconds and runs before any CPU is spent on the request (checking,
detecting, parsing), so an overloaded server answers RESOURCE_EXHAUSTED at once and its cores
stay on the work it accepted.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from service.errors import OverloadedError
from service.translation.batcher import Batcher

# Sentence ends as the segmenter will mostly find them: a cheap estimate of the decode work.
_SENTENCE_END = re.compile(r"(?:[.!?…]+[ \t]*)?\n|[.!?…]+(?=[ \t]|$)")
MAX_RETRY_AFTER_S = 30.0
MIN_RETRY_AFTER_S = 0.5
# Admit only work that the queue ahead would let finish in this share of the time left: the rest
# absorbs text work, glossary repairs, and error in the capacity estimate.
DEADLINE_SHARE = 0.5


def estimate_sentences(texts: Sequence[str]) -> int:
    """How many sentences the texts will be decoded as (at least one per non-empty text)."""
    return sum(max(1, len(_SENTENCE_END.findall(text))) for text in texts if text.strip())


class Admission:
    """Per target language, the sentences admitted and not finished, against what can be done.

    A request is refused when its target's pending sentences would exceed `max_pending`, or when
    the pending work, at the capacity the batchers measured while saturated, would not finish
    before the request's deadline.
    """

    def __init__(self, batchers: Mapping[str, Batcher], max_pending: int) -> None:
        self._batchers = batchers
        self._max_pending = max_pending
        self._pending: dict[str, int] = defaultdict(int)

    def pending(self, target: str) -> int:
        """Sentences admitted into `target` and not finished."""
        return self._pending[target]

    @contextlib.contextmanager
    def admit(
        self, source: str, target: str, sentences: int, deadline: float | None
    ) -> Iterator[None]:
        """Hold `sentences` of capacity for the enclosed work; raises OverloadedError."""
        self._check(source, target, sentences, deadline)
        self._pending[target] += sentences
        try:
            yield
        finally:
            self._pending[target] -= sentences

    def _check(self, source: str, target: str, sentences: int, deadline: float | None) -> None:
        pending = self._pending[target] + sentences
        rate = self._rate(source, target)
        if pending > self._max_pending:
            wait = pending / rate if rate else MIN_RETRY_AFTER_S
            raise OverloadedError(
                f"server at capacity for target {target}: {self._pending[target]} sentences "
                f"pending, the limit is {self._max_pending}; retry after {_bounded(wait):.1f}s",
                _bounded(wait),
            )
        if deadline is None or not rate:
            return
        remaining = deadline - time.monotonic()
        wait = pending / rate
        if wait > DEADLINE_SHARE * remaining:
            retry = _bounded(wait - DEADLINE_SHARE * max(remaining, 0.0))
            raise OverloadedError(
                f"server overloaded for target {target}: about {wait:.1f}s of work is pending, "
                f"more than the {max(remaining, 0.0):.1f}s left before the deadline; "
                f"retry after {retry:.1f}s",
                retry,
            )

    def _rate(self, source: str, target: str) -> float:
        """Sentences per second the directions into `target` decode while saturated."""
        lanes = [b for pair, b in self._batchers.items() if pair.endswith(f"-{target}")]
        direct = [b for b in lanes if source and b.pair == f"{source}-{target}"]
        return sum(b.throughput.rate or 0.0 for b in direct or lanes)


def _bounded(seconds: float) -> float:
    return min(MAX_RETRY_AFTER_S, max(MIN_RETRY_AFTER_S, seconds))
