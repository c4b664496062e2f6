"""Counts rpcs in progress so that shutdown can wait until the server has gone quiet."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator


class Activity:
    """In-progress rpc counter with a wait for a quiet period."""

    def __init__(self) -> None:
        self._active = 0
        self._last_change = time.monotonic()

    @contextlib.contextmanager
    def track(self) -> Iterator[None]:
        """Count the enclosed rpc as active."""
        self._active += 1
        self._last_change = time.monotonic()
        try:
            yield
        finally:
            self._active -= 1
            self._last_change = time.monotonic()

    async def wait_quiet(self, quiet_s: float, timeout_s: float) -> bool:
        """Wait until no rpc has been active for `quiet_s`; False if `timeout_s` passed first.

        gRPC cancels calls that reached the server but not yet a handler when it stops, so a
        drain must keep accepting until the calls sent before the stop have all arrived.
        """
        until = time.monotonic() + timeout_s
        while time.monotonic() < until:
            if self._active == 0 and time.monotonic() - self._last_change >= quiet_s:
                return True
            await asyncio.sleep(min(quiet_s / 2, 0.05))
        return False
