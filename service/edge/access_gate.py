"""The one server interceptor that admits rpcs: bearer token, rpc permission, quotas (edge code)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeAlias, TypeVar, cast

import grpc

from service import errors
from service.access.quota import Quotas
from service.access.tokens import Caller, TokenTable
from service.caller import CALLER_ID
from service.edge.status import retry_after_of, rich_status, status_of
from service.metrics import Metrics
from service.pb import translation_pb2 as pb

SERVICE = pb.DESCRIPTOR.services_by_name["TranslationService"]
RPCS = frozenset(SERVICE.methods_by_name)
# Open by choice (README, "Access"): probes and load balancers must reach health without a secret,
# and reflection describes only the public API that proto/translation.proto already publishes.
# Neither reads glossaries nor translates anything.
OPEN_SERVICES = frozenset(
    {
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
    }
)
# One message each whatever went wrong (no header, a malformed one, an unknown token), so a
# caller learns nothing about which part failed.
UNAUTHENTICATED = "a valid bearer token is required (metadata 'authorization: Bearer <token>')"
PERMISSION_DENIED = "this caller may not call this rpc"
SCHEME = "bearer "

# A string: gRPC's runtime RpcMethodHandler is not subscriptable, only its type stub is.
Handler: TypeAlias = "grpc.RpcMethodHandler[Any, Any]"
Context = grpc.aio.ServicerContext[Any, Any]
TRequest = TypeVar("TRequest")
TResponse = TypeVar("TResponse")


def _texts_characters(request: Any) -> int:
    return sum(len(text) for text in request.texts)


# Characters an rpc charges to the caller's quota; other rpcs charge only the request.
CHARACTERS: dict[str, tuple[str, Callable[[Any], int]]] = {
    "Translate": ("texts", _texts_characters),
    "DetectLanguage": ("texts", _texts_characters),
    "CheckGlossary": ("content", lambda request: len(request.content)),
}


class AccessInterceptor(grpc.aio.ServerInterceptor):
    """Admits an rpc only with a known token allowed to call it, within that token's quota."""

    def __init__(self, tokens: Callable[[], TokenTable], quotas: Quotas, metrics: Metrics) -> None:
        self._tokens = tokens
        self._quotas = quotas
        self._metrics = metrics

    async def intercept_service(
        self,
        continuation: Callable[
            [grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[TRequest, TResponse] | None]
        ],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[TRequest, TResponse] | None:
        service, _, rpc = handler_call_details.method.lstrip("/").partition("/")
        if service in OPEN_SERVICES:
            return await continuation(handler_call_details)
        token = _bearer_token(handler_call_details.invocation_metadata)
        caller = None if token is None else self._tokens().match(token)
        label = rpc if service == SERVICE.full_name and rpc in RPCS else "unknown"
        handler = await continuation(handler_call_details)
        if caller is None:
            # Unknown methods too, so that a stranger cannot even probe which methods exist.
            return self._refuse(label, "unauthenticated", grpc.StatusCode.UNAUTHENTICATED, handler)
        if handler is None:
            return handler  # UNIMPLEMENTED, for a caller that holds a valid token
        if label == "unknown" or not caller.may_call(rpc):
            code = grpc.StatusCode.PERMISSION_DENIED
            return self._refuse(label, "permission_denied", code, handler)
        # gRPC runs the handler in this context: every log line of the rpc names the caller.
        CALLER_ID.set(caller.id)
        if rpc == "TranslateStream" and token is not None:
            return _stream_handler(handler, self._admit_items(token, caller, handler))
        if handler.request_streaming or handler.response_streaming:
            # Only TranslateStream streams today; a new streaming rpc is admitted by token and
            # rpc list, and charges its quota once it is counted here.
            return handler
        return _unary_handler(handler, self._admit_unary(caller, rpc, handler))

    def _refuse(
        self, rpc: str, reason: str, code: grpc.StatusCode, handler: Handler | None
    ) -> Handler:
        self._metrics.access_refusals.labels(rpc, reason).inc()
        message = UNAUTHENTICATED if code == grpc.StatusCode.UNAUTHENTICATED else PERMISSION_DENIED

        async def refuse(request_or_iterator: Any, context: Context) -> None:
            await context.abort(code, message)

        # The refusal has the method's shape, so a stream is refused before its first message is
        # read; with no deserializer a refused payload is never parsed.
        if handler is not None and handler.request_streaming and handler.response_streaming:
            return grpc.stream_stream_rpc_method_handler(refuse)
        if handler is not None and handler.request_streaming:
            return grpc.stream_unary_rpc_method_handler(refuse)
        if handler is not None and handler.response_streaming:
            return grpc.unary_stream_rpc_method_handler(refuse)
        return grpc.unary_unary_rpc_method_handler(refuse)

    def _charge(self, caller: Caller, rpc: str, characters: int, field: str) -> None:
        try:
            self._quotas.charge(caller.id, caller.quota, characters, field)
        except errors.QuotaExceededError:
            self._metrics.access_refusals.labels(rpc, "quota").inc()
            raise

    def _admit_unary(
        self, caller: Caller, rpc: str, handler: Handler
    ) -> Callable[[Any, Context], Awaitable[Any]]:
        field, count = CHARACTERS.get(rpc, ("", lambda request: 0))
        inner = cast(Callable[[Any, Context], Any], handler.unary_unary)

        async def admitted(request: Any, context: Context) -> Any:
            try:
                self._charge(caller, rpc, count(request), field)
            except errors.TlumachError as exc:
                await context.abort_with_status(
                    rich_status(status_of(exc), str(exc), retry_after_of(exc))
                )
            result = inner(request, context)
            return await result if inspect.isawaitable(result) else result

        return admitted

    def _admit_items(
        self, token: str, caller: Caller, handler: Handler
    ) -> Callable[[AsyncIterator[Any], Context], AsyncIterator[Any]]:
        inner = cast(
            Callable[[AsyncIterator[Any], Context], AsyncIterator[Any]], handler.stream_stream
        )

        async def admitted(items: AsyncIterator[Any], context: Context) -> AsyncIterator[Any]:
            outbox: asyncio.Queue[Any] = asyncio.Queue()

            async def charged() -> AsyncIterator[pb.TranslateStreamRequest]:
                async for item in items:
                    refusal = self._admit_item(token, item)
                    if refusal is None:
                        yield item
                    else:
                        outbox.put_nowait(refusal)

            async for response in _merged(inner(charged(), context), outbox):
                yield response

        return admitted

    def _admit_item(
        self, token: str, item: pb.TranslateStreamRequest
    ) -> pb.TranslateStreamResponse | None:
        """None to pass the item on, or its refusal.

        The token is matched again for every item, so a token removed by a reload stops working
        on the streams it opened too, and a changed quota applies to them at once.
        """
        rpc = "TranslateStream"
        caller = self._tokens().match(token)
        if caller is None or not caller.may_call(rpc):
            reason = "unauthenticated" if caller is None else "permission_denied"
            self._metrics.access_refusals.labels(rpc, reason).inc()
            code = (
                grpc.StatusCode.UNAUTHENTICATED
                if caller is None
                else grpc.StatusCode.PERMISSION_DENIED
            )
            message = UNAUTHENTICATED if caller is None else PERMISSION_DENIED
            return _refused_item(item.item_id, code, message, None)
        try:
            self._charge(caller, rpc, _texts_characters(item.request), "request.texts")
        except errors.TlumachError as exc:
            return _refused_item(item.item_id, status_of(exc), str(exc), retry_after_of(exc))
        return None


def _bearer_token(metadata: Any) -> str | None:
    """The token of the one `authorization: Bearer <token>` header, or None."""
    values = [value for key, value in metadata or () if key == "authorization"]
    if len(values) != 1 or not isinstance(values[0], str):
        return None
    value = values[0]
    if value[: len(SCHEME)].lower() != SCHEME:
        return None
    return value[len(SCHEME) :].strip() or None


def _refused_item(
    item_id: str, code: grpc.StatusCode, message: str, retry_after: float | None
) -> pb.TranslateStreamResponse:
    """A failed stream item, as the servicer writes one: the stream itself goes on."""
    response = pb.TranslateStreamResponse(
        item_id=item_id, status_code=code.value[0], error_message=message
    )
    if retry_after is not None:
        response.retry_delay.FromTimedelta(timedelta(seconds=retry_after))
    return response


async def _merged(responses: AsyncIterator[Any], outbox: asyncio.Queue[Any]) -> AsyncIterator[Any]:
    """The handler's responses and the refused items' answers, each as soon as it is there.

    Refusals are queued while the handler reads its requests, so all of them are in the queue
    before the handler can finish; the handler's end is the end of both.
    """
    done = object()

    async def pump() -> None:
        try:
            async for response in responses:
                outbox.put_nowait(response)
        except Exception as exc:  # an abort or a fault of the handler: raised in the rpc's task
            outbox.put_nowait(exc)
            return
        outbox.put_nowait(done)

    task = asyncio.create_task(pump(), name="access-stream-pump")
    try:
        while (response := await outbox.get()) is not done:
            if isinstance(response, Exception):
                raise response
            yield response
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def _unary_handler(handler: Handler, behavior: Callable[..., Any]) -> Handler:
    return grpc.unary_unary_rpc_method_handler(
        behavior,
        request_deserializer=handler.request_deserializer,
        response_serializer=handler.response_serializer,
    )


def _stream_handler(handler: Handler, behavior: Callable[..., Any]) -> Handler:
    return grpc.stream_stream_rpc_method_handler(
        behavior,
        request_deserializer=handler.request_deserializer,
        response_serializer=handler.response_serializer,
    )
