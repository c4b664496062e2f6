"""Requests that do not parse are answered INVALID_ARGUMENT, never UNKNOWN (edge code).

gRPC runs the generated deserializer before any handler: bytes that are not a valid message (a
corrupt wire format, a string field that is not UTF-8) raise DecodeError inside gRPC, which then
answers UNKNOWN, logs a traceback and bypasses the metrics. This interceptor wraps each method's
deserializer so that such a message becomes a marker, and answers for it with the rpc's name.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar, cast

import grpc
from google.protobuf.message import DecodeError

from service.metrics import NO_PAIR, UNRESOLVED, Metrics

Context = grpc.aio.ServicerContext[Any, Any]
TRequest = TypeVar("TRequest")
TResponse = TypeVar("TResponse")
# Translation rpcs carry a pair label; a request that does not parse names none.
_TRANSLATING = frozenset({"Translate", "TranslateStream"})
DRAIN_S = 2.0
DRAIN_MESSAGES = 1000


class Unparsable:
    """Stands for a request message that did not parse, with the parser's reason."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _guarded(deserializer: Callable[[bytes], Any]) -> Callable[[bytes], Any]:
    def parse(data: bytes) -> Any:
        try:
            return deserializer(data)
        except DecodeError as exc:
            # "Error parsing message with type 'X': String field had bad UTF-8" -> the reason.
            return Unparsable(str(exc).rsplit(": ", 1)[-1])

    return parse


async def _drain(requests: AsyncIterator[Any]) -> None:
    """Read what the caller still sends (briefly), so that it has finished sending when the
    refusal arrives: the asyncio client reports a status that lands during its own write as
    INTERNAL instead of ours (grpc/grpc#36066)."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(DRAIN_S):
            count = 0
            async for _ in requests:
                count += 1
                if count >= DRAIN_MESSAGES:
                    break


class MessageGuard(grpc.aio.ServerInterceptor):
    """Outermost interceptor: a request that does not parse is INVALID_ARGUMENT `request`."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    async def intercept_service(
        self,
        continuation: Callable[
            [grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[TRequest, TResponse] | None]
        ],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[TRequest, TResponse] | None:
        handler = await continuation(handler_call_details)
        # No deserializer: an access refusal, which never parses the payload at all.
        if handler is None or handler.request_deserializer is None:
            return handler
        rpc = handler_call_details.method.rsplit("/", 1)[-1]
        parse = _guarded(handler.request_deserializer)
        serialize = handler.response_serializer
        guarded: grpc.RpcMethodHandler[Any, Any]
        if handler.unary_unary is not None:
            unary = self._unary(rpc, handler.unary_unary)
            guarded = grpc.unary_unary_rpc_method_handler(unary, parse, serialize)
        elif handler.stream_stream is not None:
            inner = cast(Callable[..., AsyncIterator[Any]], handler.stream_stream)
            streams = self._streams(rpc, inner)
            guarded = grpc.stream_stream_rpc_method_handler(streams, parse, serialize)
        else:
            return handler  # no other shapes today: left as gRPC made them
        # A string: the runtime RpcMethodHandler is not subscriptable, only its type stub is.
        return cast("grpc.RpcMethodHandler[TRequest, TResponse]", guarded)

    async def _refuse(self, rpc: str, context: Context, bad: Unparsable, what: str) -> None:
        pair = UNRESOLVED if rpc in _TRANSLATING else NO_PAIR
        self._metrics.request_finished(rpc, pair, "INVALID_ARGUMENT", 0.0)
        await context.abort(
            grpc.StatusCode.INVALID_ARGUMENT, f"request: {what} does not parse ({bad.reason})"
        )

    def _unary(self, rpc: str, inner: Callable[..., Any]) -> Callable[[Any, Context], Any]:
        async def behavior(request: Any, context: Context) -> Any:
            if isinstance(request, Unparsable):
                await self._refuse(rpc, context, request, "the message")
            result = inner(request, context)
            return await result if inspect.isawaitable(result) else result

        return behavior

    def _streams(
        self, rpc: str, inner: Callable[..., AsyncIterator[Any]]
    ) -> Callable[[AsyncIterator[Any], Context], AsyncIterator[Any]]:
        async def behavior(requests: AsyncIterator[Any], context: Context) -> AsyncIterator[Any]:
            found: list[tuple[int, Unparsable]] = []

            async def parsed() -> AsyncIterator[Any]:
                """The messages up to the first that does not parse: the stream ends there."""
                number = 0
                async for message in requests:
                    number += 1
                    if isinstance(message, Unparsable):
                        found.append((number, message))
                        return
                    yield message

            async for response in inner(parsed(), context):
                yield response
            if found:  # the items before it were answered; then the stream is refused
                number, bad = found[0]
                await _drain(requests)
                await self._refuse(rpc, context, bad, f"stream message {number}")

        return behavior
