"""Dynamic batching: one bounded queue per direction, drained by worker tasks on own threads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from service.errors import DeadlineExceededError, DrainingError, QueueFullError
from service.hypothesis import Hypothesis
from service.metrics import Metrics
from service.translation.throughput import Throughput

logger = logging.getLogger(__name__)

DECODE = "decode"
PREFIX = "prefix"
SCORE = "score"
ALIGN = "align"


@dataclass(frozen=True)
class BatchOptions:
    """What every sentence of one engine batch must share: the operation and decoding options."""

    beam_size: int | None = None
    num_hypotheses: int = 1
    suppress: tuple[str, ...] = ()
    score: bool = False
    """Score each (source, target) pair instead of translating the source."""
    align: bool = False
    """Force each target and report where its pieces attend in the source (no decoding)."""


@dataclass(frozen=True)
class BatchLimits:
    """How big a batch may grow and how long the first sentence waits for company."""

    max_batch_size: int = 32
    max_batch_tokens: int = 2048
    max_delay_s: float = 0.005
    max_queue: int = 2048
    workers: int = 1


RunBatch = Callable[[Sequence[str], Sequence[str | None], BatchOptions], list[list[Hypothesis]]]
"""Blocking engine call for one batch: sources, their target prefixes (or, when scoring, their
targets) and the shared options; a score comes back as a one-hypothesis list holding the target."""
CountTokens = Callable[[str], int]


@dataclass(eq=False)
class _Item:
    text: str
    target: str | None
    options: BatchOptions
    tokens: int
    deadline: float | None
    future: asyncio.Future[list[Hypothesis]]
    enqueued: float = field(default_factory=time.monotonic)


class Batcher:
    """Collects sentences of concurrent requests for one direction into shared engine batches.

    Engine calls run on the batcher's own threads (one per worker), so no other use of a thread
    pool can starve decoding, and decoding never waits for anything but the engine.
    """

    def __init__(
        self,
        pair: str,
        run_batch: RunBatch,
        count_tokens: CountTokens,
        limits: BatchLimits,
        metrics: Metrics,
    ) -> None:
        self.pair = pair
        self._run_batch = run_batch
        self._count_tokens = count_tokens
        self._limits = limits
        self._metrics = metrics
        self._queue: deque[_Item] = deque()
        self._wakeup = asyncio.Event()
        self._workers: list[asyncio.Task[None]] = []
        self._executor: ThreadPoolExecutor | None = None
        self._closed = False
        self._decoding = 0
        """Workers decoding now; the others each get a share of the queue."""
        self.throughput = Throughput()
        self.last_progress = time.monotonic()
        """When a batch last finished, or the batcher last went from idle to busy."""
        metrics.queue_capacity.labels(pair).set(limits.max_queue)

    @property
    def depth(self) -> int:
        """Sentences waiting to be decoded."""
        return len(self._queue)

    @property
    def busy(self) -> bool:
        """True while sentences wait or a batch is being decoded."""
        return bool(self._queue) or self._decoding > 0

    def start(self) -> None:
        """Start the worker tasks on the running event loop, each with a thread of its own."""
        self._executor = ThreadPoolExecutor(
            max_workers=self._limits.workers, thread_name_prefix=f"decode-{self.pair}"
        )
        self._workers = [
            asyncio.create_task(self._work(), name=f"batcher-{self.pair}-{i}")
            for i in range(self._limits.workers)
        ]

    async def stop(self) -> None:
        """Stop the workers; sentences still queued fail with DrainingError."""
        self._closed = True
        for task in self._workers:
            task.cancel()
        for task in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        while self._queue:
            item = self._queue.popleft()
            if not item.future.done():
                item.future.set_exception(DrainingError("server is shutting down"))
        self._metrics.queue_depth.labels(self.pair).set(0)
        if self._executor is not None:
            self._executor.shutdown(wait=True)

    async def submit(
        self,
        texts: Sequence[str],
        options: BatchOptions = BatchOptions(),
        *,
        prefixes: Sequence[str | None] | None = None,
        deadline: float | None = None,
    ) -> list[list[Hypothesis]]:
        """Queue every sentence of one request and wait for all of them (in order).

        `prefixes` force the start of each translation; when `options.score` they are the
        targets to score, and each result is one hypothesis holding the target and its score.
        """
        if self._closed:
            raise DrainingError("server is shutting down")
        if len(self._queue) + len(texts) > self._limits.max_queue:
            raise QueueFullError(self.pair, self._limits.max_queue, self.retry_after_s())
        if deadline is not None and time.monotonic() >= deadline:
            raise DeadlineExceededError("deadline passed before decoding")
        loop = asyncio.get_running_loop()
        if not self.busy:
            self.last_progress = time.monotonic()
        items = [
            _Item(text, target, options, self._count_tokens(text), deadline, loop.create_future())
            for text, target in zip(texts, prefixes or [None] * len(texts), strict=True)
        ]
        self._queue.extend(items)
        self._metrics.queue_depth.labels(self.pair).set(len(self._queue))
        self._wakeup.set()
        try:
            return list(await asyncio.gather(*(item.future for item in items)))
        finally:
            # A cancelled caller's sentences are skipped by the workers before decoding.
            for item in items:
                item.future.cancel()

    def predicted_wait_s(self, extra: int = 0) -> float:
        """Seconds until the queue, and `extra` more sentences, would be decoded (0 if unknown)."""
        rate = self.throughput.rate
        return (len(self._queue) + extra) / rate if rate else 0.0

    def retry_after_s(self) -> float:
        """A retry hint for a refused caller: the time the queue needs to drain, within bounds."""
        return min(30.0, max(0.5, self.predicted_wait_s()))

    async def _work(self) -> None:
        while True:
            batch = await self._next_batch()
            if batch:
                await self._decode(batch)

    async def _next_batch(self) -> list[_Item]:
        while not self._queue:
            self._wakeup.clear()
            await self._wakeup.wait()
        # With every worker idle the engine waits for nothing: decode at once (no fixed wait).
        # While another batch is decoding, wait a little for company unless the batch is full
        # already; each arrival wakes us.
        until = time.monotonic() + self._limits.max_delay_s
        while self._decoding and len(self._queue) < self._limits.max_batch_size:
            remaining = until - time.monotonic()
            if remaining <= 0:
                break
            self._wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)
        return self._take_batch()

    def _take_batch(self) -> list[_Item]:
        """Pop up to the limits, keeping only live items with the first item's options."""
        batch: list[_Item] = []
        tokens = 0
        skipped: list[_Item] = []
        # An item whose deadline falls before this batch can be decoded is dropped, not decoded:
        # under overload the cores go to callers who are still waiting.
        ready_by = time.monotonic() + self.throughput.batch_seconds
        # Split the queue among the workers not decoding: two half batches side by side (one per
        # inter thread) finish sooner than one full batch next to an idle core.
        free = max(1, self._limits.workers - self._decoding)
        share = -(-len(self._queue) // free)
        limit = min(self._limits.max_batch_size, share)
        while self._queue and len(batch) < limit:
            item = self._queue.popleft()
            if item.future.done():
                continue
            if item.deadline is not None and ready_by > item.deadline:
                item.future.set_exception(DeadlineExceededError("deadline passed while queued"))
                continue
            if batch and (
                item.options != batch[0].options
                or tokens + item.tokens > self._limits.max_batch_tokens
            ):
                skipped.append(item)
                if item.options == batch[0].options:
                    break
                continue
            batch.append(item)
            tokens += item.tokens
        self._queue.extendleft(reversed(skipped))
        self._metrics.queue_depth.labels(self.pair).set(len(self._queue))
        if self._queue:
            self._wakeup.set()
        return batch

    async def _decode(self, batch: list[_Item]) -> None:
        started = time.monotonic()
        backlogged = bool(self._queue)
        for item in batch:
            self._metrics.stage_duration.labels("queue", self.pair).observe(started - item.enqueued)
        tokens = sum(item.tokens for item in batch)
        options = batch[0].options
        self._metrics.batches.labels(self.pair, _operation(batch)).inc()
        self._metrics.batch_size.labels(self.pair).observe(len(batch))
        self._metrics.batch_tokens.labels(self.pair).observe(tokens)
        self._decoding += 1
        try:
            results = await asyncio.get_running_loop().run_in_executor(
                self._executor,
                self._run_batch,
                [item.text for item in batch],
                [item.target for item in batch],
                options,
            )
        except Exception as exc:  # an engine failure fails this batch's callers, not the worker
            logger.exception("batch of %d failed for %s", len(batch), self.pair)
            for item in batch:
                if not item.future.done():
                    item.future.set_exception(exc)
            return
        finally:
            self._decoding -= 1
        finished = time.monotonic()
        self.last_progress = finished
        self.throughput.record(len(batch), finished - started, finished, backlogged=backlogged)
        self._metrics.stage_duration.labels("decode", self.pair).observe(finished - started)
        if not options.score:
            self._metrics.tokens.labels(self.pair).inc(tokens)
        for item, result in zip(batch, results, strict=True):
            if not item.future.done():
                item.future.set_result(result)


def _operation(batch: Sequence[_Item]) -> str:
    """The metric label of a batch: decode, prefix (some sentences forced) or score."""
    if batch[0].options.score:
        return SCORE
    if batch[0].options.align:
        return ALIGN
    return PREFIX if any(item.target for item in batch) else DECODE
