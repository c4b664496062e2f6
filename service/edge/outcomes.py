"""How a finished rpc is counted: its labels (the direction translated) and how it ended."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import grpc

from service.metrics import NO_PAIR, Metrics
from service.pb import translation_pb2 as pb
from service.translation.directions import Directions, requested_pair

DEADLINE_SLACK_S = 0.1
"""A call cancelled within this of its deadline ended because the deadline passed: the caller's
own timer fires first and cancels the call (the server computes the deadline from the call's
arrival, a little later), so the server sees a cancel with a few milliseconds left, more when
either side is busy. A caller that cancels by hand so close to its deadline gave up for time."""


@dataclass(frozen=True)
class Labels:
    """The metric labels of one rpc or stream item, known in full only once it has finished."""

    directions: Directions | None = None
    """Where a translation request's texts went; None for rpcs that translate nothing."""
    detected: bool = False
    """The caller left the source language empty, for the server to detect."""

    @classmethod
    def of(cls, request: pb.TranslateRequest, metrics: Metrics) -> Labels:
        """The labels of a translation request (its directions fill in as it runs)."""
        requested = requested_pair(request.source_language, request.target_language)
        return cls(Directions(requested, metrics.inflight), detected=not request.source_language)

    def pair(self) -> str:
        """The `pair` label: the direction translated, `mixed`, `unresolved`, or `none`."""
        return self.directions.label() if self.directions is not None else NO_PAIR


def ended_by_caller(context: grpc.aio.ServicerContext[Any, Any]) -> grpc.StatusCode:
    """The status of a call that gRPC cancelled under us: DEADLINE_EXCEEDED when its deadline
    had passed (the caller gave up waiting: the server was too slow), else CANCELLED (the caller
    went away with time left)."""
    remaining = context.time_remaining()
    if remaining is not None and remaining <= DEADLINE_SLACK_S:
        return grpc.StatusCode.DEADLINE_EXCEEDED
    return grpc.StatusCode.CANCELLED
