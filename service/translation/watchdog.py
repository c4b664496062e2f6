"""Liveness: notice a direction that has work but finishes no batch, so health can say so."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from service.translation.batcher import Batcher

logger = logging.getLogger(__name__)

OnChange = Callable[[frozenset[str]], Awaitable[None]]
"""Called with the pairs stalled now, each time that set changes."""


def stalled_pairs(batchers: Mapping[str, Batcher], stall_s: float, now: float) -> frozenset[str]:
    """Pairs with sentences waiting or decoding and no batch finished for `stall_s`."""
    return frozenset(
        pair
        for pair, batcher in batchers.items()
        if batcher.busy and now - batcher.last_progress > stall_s
    )


class Watchdog:
    """Checks the batchers a few times per stall period and reports changes of the stalled set.

    A wedged replica then answers NOT_SERVING, and an orchestrator's liveness probe restarts it
    instead of a load balancer sending it more traffic.
    """

    def __init__(
        self, batchers: Mapping[str, Batcher], stall_s: float, on_change: OnChange
    ) -> None:
        self._batchers = batchers
        self._stall_s = stall_s
        self._on_change = on_change
        self._stalled: frozenset[str] = frozenset()
        self._task: asyncio.Task[None] | None = None

    @property
    def stalled(self) -> frozenset[str]:
        """Pairs stalled at the last check."""
        return self._stalled

    def start(self) -> None:
        self._task = asyncio.create_task(self._watch(), name="watchdog")

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def check(self) -> None:
        """Compare the batchers with the stall limit once; report a change."""
        stalled = stalled_pairs(self._batchers, self._stall_s, time.monotonic())
        if stalled == self._stalled:
            return
        if stalled - self._stalled:
            logger.error(
                "no batch finished for %.0f s while work waits: %s; reporting NOT_SERVING",
                self._stall_s,
                ", ".join(sorted(stalled - self._stalled)),
            )
        if self._stalled - stalled:
            logger.warning("batches finish again: %s", ", ".join(sorted(self._stalled - stalled)))
        self._stalled = stalled
        await self._on_change(stalled)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(min(5.0, self._stall_s / 4))
            await self.check()
