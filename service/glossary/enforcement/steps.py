"""Model calls as values: enforcement yields them, whoever drives it answers them.

Enforcement is plain synchronous code that, where it needs the model, yields a `Decode` or a
`Score` and receives the answer (`results = yield from decode(...)`). It never waits for a model
itself, so its CPU work can run in a worker thread while every model call goes through the
batcher on the event loop, with the request's deadline: no thread ever blocks on the loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from service.hypothesis import Alignment, Hypothesis

T = TypeVar("T")


@dataclass(frozen=True)
class Decode:
    """Translate `sources`, each forced to start with its prefix when one is given."""

    sources: tuple[str, ...]
    prefixes: tuple[str | None, ...]
    num_hypotheses: int = 1


@dataclass(frozen=True)
class Score:
    """Mean log-probability per token of each target given its source."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Align:
    """Where each target's words attend in its source (a forced decode of each pair)."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]


ModelCall = Decode | Score | Align
Reply = list[list[Hypothesis]] | list[float] | list[Alignment]
Steps = Generator[ModelCall, Reply, T]
"""A computation that may ask the model: yields calls, receives replies, returns a T."""


def decode(
    sources: Sequence[str],
    prefixes: Sequence[str | None] | None = None,
    num_hypotheses: int = 1,
) -> Steps[list[list[Hypothesis]]]:
    """Ask for translations (use as `results = yield from decode(...)`)."""
    wanted = tuple(prefixes) if prefixes is not None else (None,) * len(sources)
    reply = yield Decode(tuple(sources), wanted, num_hypotheses)
    return cast(list[list[Hypothesis]], reply)


def score(sources: Sequence[str], targets: Sequence[str]) -> Steps[list[float]]:
    """Ask for sentence scores (use as `values = yield from score(...)`)."""
    reply = yield Score(tuple(sources), tuple(targets))
    return cast(list[float], reply)


def align(sources: Sequence[str], targets: Sequence[str]) -> Steps[list[Alignment]]:
    """Ask where each target attends in its source (use as `found = yield from align(...)`)."""
    reply = yield Align(tuple(sources), tuple(targets))
    return cast(list[Alignment], reply)


@dataclass(frozen=True)
class Done(Generic[T]):
    """A computation's end: its value."""

    value: T


def advance(steps: Steps[T], reply: Reply | None = None) -> ModelCall | Done[T]:
    """Run `steps` up to its next model call (or its end), in whatever thread calls this.

    Without `reply` the computation starts; with one, it gets the answer to its last call.
    """
    try:
        return steps.send(reply) if reply is not None else next(steps)
    except StopIteration as stop:
        return Done(cast(T, stop.value))


async def drive(
    steps: Steps[T],
    answer: Callable[[ModelCall], Awaitable[Reply]],
    executor: Executor,
    *,
    pending: ModelCall | None = None,
) -> T:
    """Run `steps` in `executor`, answering each model call on the event loop.

    `pending` is the call a computation already begun with `advance` stopped at.
    A cancelled caller stops the computation between steps: nothing more is decoded for it.
    """
    loop = asyncio.get_running_loop()
    reply: Reply | None = await answer(pending) if pending is not None else None
    while True:
        step = await loop.run_in_executor(executor, advance, steps, reply)
        if isinstance(step, Done):
            return step.value
        reply = await answer(step)


def complete(steps: Steps[T]) -> T:
    """Run `steps` that need no model (drafts, or enforcement without one) to their end."""
    step = advance(steps)
    if not isinstance(step, Done):
        raise RuntimeError(f"no model to answer {type(step).__name__}")
    return step.value
