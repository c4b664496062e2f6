"""Per-caller quotas: token buckets of requests and characters that refill every minute."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from service.access.tokens import Quota
from service.errors import InvalidArgumentError, QuotaExceededError

MINUTE_S = 60.0


@dataclass
class _Bucket:
    """Up to `capacity` units, refilled at `capacity` per minute (so a minute's worth may burst)."""

    capacity: int
    level: float
    updated: float

    def refill(self, now: float, capacity: int) -> None:
        if capacity != self.capacity:  # the token file changed this caller's quota
            self.capacity = capacity
            self.level = min(self.level, capacity)
        self.level = min(self.capacity, self.level + (now - self.updated) * capacity / MINUTE_S)
        self.updated = now

    def wait_for(self, amount: int) -> float:
        """Seconds until `amount` units are there (0 when they are now)."""
        missing = amount - self.level
        return 0.0 if missing <= 0 else missing * MINUTE_S / self.capacity


class Quotas:
    """Request and character buckets per caller id; used from the event loop only."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[tuple[str, str], _Bucket] = {}

    def charge(self, caller_id: str, quota: Quota, characters: int, field: str = "texts") -> None:
        """Take one request and `characters` from the caller's buckets, or take nothing.

        Raises QuotaExceededError with the wait after which the same call would fit, or
        InvalidArgumentError naming `field` when it can never fit (more characters than a
        minute allows: waiting would not help).
        """
        limit = quota.characters_per_minute
        if limit and characters > limit:
            raise InvalidArgumentError(
                field, f"{characters} characters; this caller's quota is {limit} per minute"
            )
        now = self._clock()
        wanted = [
            ("requests", quota.requests_per_minute, 1),
            ("characters", limit, characters),
        ]
        buckets = [
            (name, capacity, amount, self._bucket(caller_id, name, capacity, now))
            for name, capacity, amount in wanted
            if capacity
        ]
        for name, capacity, amount, bucket in buckets:
            wait = bucket.wait_for(amount)
            if wait > 0:
                raise QuotaExceededError(name, capacity, wait)
        for _, _, amount, bucket in buckets:
            bucket.level -= amount

    def forget_except(self, caller_ids: set[str]) -> None:
        """Drop the buckets of callers no longer in the token file."""
        for key in [key for key in self._buckets if key[0] not in caller_ids]:
            del self._buckets[key]

    def _bucket(self, caller_id: str, name: str, capacity: int, now: float) -> _Bucket:
        bucket = self._buckets.get((caller_id, name))
        if bucket is None:
            bucket = self._buckets[(caller_id, name)] = _Bucket(capacity, capacity, now)
        else:
            bucket.refill(now, capacity)
        return bucket
