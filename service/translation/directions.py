"""The directions a request resolves to, as the pipeline finds them: the request's metric label.

A caller may leave the source empty; each text is then detected and may go its own way. The
request counter, the latency histogram and the in-flight gauge are labelled with the direction
the texts were translated in (the one the engine metrics and the dashboard's filter use), not
the one asked for.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator

from prometheus_client import Gauge

from service.metrics import MIXED, UNRESOLVED
from service.vocab import LANGUAGES


def requested_pair(source: str, target: str) -> str:
    """The direction a request names before any detection: known only when both are given."""
    if source in LANGUAGES and target in LANGUAGES and source != target:
        return f"{source}-{target}"
    return UNRESOLVED


class Directions:
    """The directions one request's texts are translated in, with the in-flight gauge.

    A request counts once in the gauge of each direction it is translating in, for as long as
    one of its texts is. Used from the event loop only.
    """

    def __init__(self, requested: str, inflight: Gauge | None = None) -> None:
        self._requested = requested
        self._inflight = inflight
        self._active: Counter[str] = Counter()
        self._seen: set[str] = set()

    @contextlib.contextmanager
    def translating(self, pair: str) -> Iterator[None]:
        """Hold `pair` as one of the request's directions while the enclosed text is translated."""
        self._seen.add(pair)
        if not self._active[pair] and self._inflight is not None:
            self._inflight.labels(pair).inc()
        self._active[pair] += 1
        try:
            yield
        finally:
            self._active[pair] -= 1
            if not self._active[pair] and self._inflight is not None:
                self._inflight.labels(pair).dec()

    def label(self) -> str:
        """The one direction, `mixed` for several; before any (refused early, or nothing to
        translate) the requested direction, or `unresolved` when the source was to be detected."""
        if len(self._seen) == 1:
            return next(iter(self._seen))
        if self._seen:
            return MIXED
        return self._requested
