"""A direction's measured capacity: sentences per second its workers finish while work waits."""

from __future__ import annotations

# Weight of the newest observation: about the last 20 batches count.
_SMOOTHING = 0.1


class Throughput:
    """Running estimates of decoding capacity and of one batch's duration.

    Capacity is only learned from batches taken while more work was waiting: then the workers
    were saturated, and sentences finished per second of wall time is what the direction can
    do. Idle periods say nothing about capacity and are ignored.
    """

    def __init__(self) -> None:
        self._sentences: float | None = None
        self._interval: float | None = None
        self._last_finish: float | None = None
        self.batch_seconds = 0.0
        """Smoothed wall time of one batch (0 until a batch has finished)."""

    @property
    def rate(self) -> float | None:
        """Sentences per second while saturated, or None before any saturated batch."""
        if self._sentences is None or not self._interval:
            return None
        return self._sentences / self._interval

    def record(self, sentences: int, duration: float, finished: float, *, backlogged: bool) -> None:
        """One batch of `sentences` that took `duration` seconds and ended at `finished`."""
        self.batch_seconds = _smooth(self.batch_seconds or None, duration)
        previous, self._last_finish = self._last_finish, finished
        if not backlogged or previous is None:
            return
        # With several workers, batches finish interleaved: the time since the last finish of
        # any worker is what this batch's sentences cost the direction.
        interval = max(finished - previous, 1e-4)
        self._sentences = _smooth(self._sentences, float(sentences))
        self._interval = _smooth(self._interval, min(interval, duration))


def _smooth(current: float | None, observed: float) -> float:
    return observed if current is None else (1 - _SMOOTHING) * current + _SMOOTHING * observed
