"""How the batch client backs off and retries."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter; `max_attempts` counts the first try."""

    max_attempts: int = 6
    initial_backoff_s: float = 0.2
    max_backoff_s: float = 10.0
    replica_cooldown_s: float = 2.0
    """How long a replica that answered UNAVAILABLE is left alone before it is tried again."""

    def delay(self, attempt: int, hint_s: float | None) -> float:
        """Seconds to wait before attempt `attempt + 1`; a server hint is a floor."""
        ceiling = min(self.max_backoff_s, self.initial_backoff_s * 2**attempt)
        return max(hint_s or 0.0, random.uniform(0, ceiling))  # noqa: S311 (jitter, not crypto)
