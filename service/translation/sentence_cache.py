"""Finished sentence translations, kept for the next request that sends the same sentence."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from service.glossary.enforcement.report import TermReport
from service.hypothesis import Hypothesis
from service.metrics import Metrics


@dataclass(frozen=True)
class Finished:
    """One sentence as the pipeline finished it: guarded, enforced, reported."""

    hypotheses: tuple[Hypothesis, ...]
    """Best first; the best holds the enforced text."""
    reports: tuple[TermReport, ...] = ()
    """Its glossary terms, offsets into the sentence."""
    warnings: tuple[str, ...] = ()
    wrong_language: bool = False
    """The target-language guard fired and re-decoding did not fix it."""


class SentenceCache:
    """A bounded LRU of finished sentences, keyed by everything the result depends on.

    The key (built by the pipeline) holds the route and its models' versions, the decoding
    options, the glossaries' revisions and the inline entries' digest, and the sentence: two
    requests share an entry only when they would have computed the same result. Capacity 0
    turns the cache off. Safe to use from several threads.
    """

    def __init__(self, capacity: int, metrics: Metrics) -> None:
        self._capacity = capacity
        self._metrics = metrics
        self._entries: OrderedDict[Hashable, Finished] = OrderedDict()
        self._lock = threading.Lock()
        metrics.cache_capacity.set(capacity)

    @property
    def enabled(self) -> bool:
        """False when the capacity is 0."""
        return self._capacity > 0

    def get(self, key: Hashable) -> Finished | None:
        """The cached sentence, refreshed as most recently used; None on a miss."""
        if not self.enabled:
            return None
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
        self._metrics.cache_lookups.labels("hit" if found is not None else "miss").inc()
        return found

    def put(self, key: Hashable, finished: Finished) -> None:
        """Keep `finished`; the least recently used entry goes when the cache is full."""
        if not self.enabled:
            return
        evicted = 0
        with self._lock:
            self._entries[key] = finished
            self._entries.move_to_end(key)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)
                evicted += 1
            size = len(self._entries)
        if evicted:
            self._metrics.cache_evictions.inc(evicted)
        self._metrics.cache_size.set(size)
