"""gRPC statuses for domain errors: the code table and the standard rich details (RetryInfo)."""

from __future__ import annotations

import math

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from service import errors

STATUS_BY_ERROR: tuple[tuple[type[Exception], grpc.StatusCode], ...] = (
    (errors.InvalidArgumentError, grpc.StatusCode.INVALID_ARGUMENT),
    (errors.GlossaryError, grpc.StatusCode.INVALID_ARGUMENT),
    (errors.NotFoundError, grpc.StatusCode.NOT_FOUND),
    (errors.PairNotAvailableError, grpc.StatusCode.FAILED_PRECONDITION),
    (errors.RetryableError, grpc.StatusCode.RESOURCE_EXHAUSTED),
    (errors.DeadlineExceededError, grpc.StatusCode.DEADLINE_EXCEEDED),
    (errors.DrainingError, grpc.StatusCode.UNAVAILABLE),
)
CODES_BY_VALUE = {code.value[0]: code for code in grpc.StatusCode}
MAX_MESSAGE_CHARS = 1000
"""A status message travels in a header (twice, with the details) that clients cap at 8-16 KB; a
longer one would arrive as RESOURCE_EXHAUSTED 'metadata size exceeds hard limit' instead."""


def bounded(message: str) -> str:
    """`message` cut to MAX_MESSAGE_CHARS; it begins with the field, so the name survives."""
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    tail = f"... ({len(message)} characters)"
    return message[: MAX_MESSAGE_CHARS - len(tail)] + tail


def status_of(exc: Exception) -> grpc.StatusCode:
    """The gRPC status for a domain error; INTERNAL only for our own faults."""
    for kind, code in STATUS_BY_ERROR:
        if isinstance(exc, kind):
            return code
    return grpc.StatusCode.INTERNAL


def retry_after_of(exc: Exception) -> float | None:
    """Seconds the caller should wait before retrying, when the error says so."""
    return exc.retry_after_s if isinstance(exc, errors.RetryableError) else None


def rich_status(code: grpc.StatusCode, message: str, retry_after_s: float | None) -> grpc.Status:
    """A status with `google.rpc.RetryInfo` in its details when a retry delay is known.

    Clients read it with `grpc_status.rpc_status.from_call` (the `grpc-status-details-bin`
    trailer), which is what the standard gRPC libraries of every language understand.
    """
    details = []
    if retry_after_s is not None:
        packed = any_pb2.Any()
        packed.Pack(error_details_pb2.RetryInfo(retry_delay=_duration(retry_after_s)))
        details.append(packed)
    proto = status_pb2.Status(code=code.value[0], message=bounded(message), details=details)
    return rpc_status.to_status(proto)


def retry_delay_of_call(call: grpc.aio.AioRpcError | grpc.RpcError) -> float | None:
    """The RetryInfo delay a failed call carries, in seconds, or None."""
    try:
        proto = rpc_status.from_call(call)  # type: ignore[arg-type]
    except ValueError:  # details inconsistent with the status: ignore them
        return None
    if proto is None:
        return None
    for detail in proto.details:
        if detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            info = error_details_pb2.RetryInfo()
            detail.Unpack(info)
            return float(info.retry_delay.ToTimedelta().total_seconds())
    return None


def _duration(seconds: float) -> duration_pb2.Duration:
    whole = math.floor(seconds)
    return duration_pb2.Duration(seconds=whole, nanos=round((seconds - whole) * 1e9))
