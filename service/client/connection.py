"""Batch client: streams translation items to every replica of the service, with retries."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass

import grpc

from service.client.records import BatchRequest, SegmentResult, TermRecord, TranslationFailedError
from service.client.retry import RetryPolicy
from service.edge.enums import OUTCOME_FROM_PB, TEXT_FORMAT_TO_PB
from service.edge.status import CODES_BY_VALUE, retry_delay_of_call
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc

logger = logging.getLogger(__name__)

RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED})
# Statuses that say the request itself is wrong: never retried, even when a whole stream ends so.
CALLER_ERRORS = frozenset(
    {
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.FAILED_PRECONDITION,
        grpc.StatusCode.UNAUTHENTICATED,
        grpc.StatusCode.PERMISSION_DENIED,
        grpc.StatusCode.UNIMPLEMENTED,
    }
)


@dataclass(frozen=True)
class ClientAccess:
    """How the client reaches a server that checks callers: TLS, a client certificate, a token."""

    tls: bool = False
    root_certificates: bytes | None = None
    """PEM CA bundle that signed the server's certificate (None: gRPC's default roots)."""
    certificate_chain: bytes | None = None
    private_key: bytes | None = None
    """The client's certificate and key, for servers that require mutual TLS."""
    token: str = ""
    """Bearer token sent with every call (empty: none)."""

    def channel(self, address: str, server_name: str = "") -> grpc.aio.Channel:
        """A channel to `address`; with TLS the certificate must name `server_name` if given."""
        if not self.tls:
            return grpc.aio.insecure_channel(address)
        credentials = grpc.ssl_channel_credentials(
            self.root_certificates, self.private_key, self.certificate_chain
        )
        # Addresses come resolved (ipv4:10.0.0.7:50051); the certificate names the host.
        options = [("grpc.ssl_target_name_override", server_name)] if server_name else []
        return grpc.aio.secure_channel(address, credentials, options=options)

    @property
    def metadata(self) -> tuple[tuple[str, str], ...]:
        """Call metadata: the bearer token, when there is one."""
        return (("authorization", f"Bearer {self.token}"),) if self.token else ()


class StreamBrokenError(Exception):
    """The stream to one replica ended; every item in flight on it must go elsewhere."""

    def __init__(self, code: grpc.StatusCode, details: str, hint_s: float | None = None) -> None:
        super().__init__(f"{code.name}: {details}")
        self.code = code
        self.details = details
        self.hint_s = hint_s


class Replica:
    """One address: a channel and one long-lived TranslateStream with a bounded window of items."""

    def __init__(
        self,
        address: str,
        window: int,
        access: ClientAccess | None = None,
        server_name: str = "",
    ) -> None:
        self.address = address
        self._access = access or ClientAccess()
        self._channel = self._access.channel(address, server_name)
        self._stub = pb_grpc.TranslationServiceStub(self._channel)  # type: ignore[no-untyped-call]
        self._window = asyncio.Semaphore(window)
        self._call: (
            grpc.aio.StreamStreamCall[pb.TranslateStreamRequest, pb.TranslateStreamResponse] | None
        ) = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[str, asyncio.Future[pb.TranslateStreamResponse]] = {}
        self._write_lock = asyncio.Lock()
        self.down_until = 0.0
        self.failures = 0
        self.in_flight = 0

    @property
    def healthy(self) -> bool:
        """False while the replica is cooling down after a failure."""
        return time.monotonic() >= self.down_until

    def mark_down(self, cooldown_s: float) -> None:
        """Leave this replica alone for a while, longer after each consecutive failure."""
        self.failures += 1
        self.down_until = time.monotonic() + cooldown_s * min(2 ** (self.failures - 1), 16)
        logger.warning("replica %s unavailable; retrying its items elsewhere", self.address)

    async def submit(
        self, item_id: str, request: pb.TranslateRequest, deadline_s: float
    ) -> pb.TranslateStreamResponse:
        """Send one item and wait for its result; raises StreamBrokenError or TimeoutError."""
        self.in_flight += 1
        try:
            async with self._window:
                future = asyncio.get_running_loop().create_future()
                call = self._ensure_stream()
                self._pending[item_id] = future
                try:
                    await self._write(
                        call, pb.TranslateStreamRequest(item_id=item_id, request=request)
                    )
                    return await asyncio.wait_for(asyncio.shield(future), deadline_s)
                finally:
                    self._pending.pop(item_id, None)
        finally:
            self.in_flight -= 1

    def _ensure_stream(
        self,
    ) -> grpc.aio.StreamStreamCall[pb.TranslateStreamRequest, pb.TranslateStreamResponse]:
        if self._call is None:
            self._call = self._stub.TranslateStream(metadata=self._access.metadata)
            self._reader = asyncio.create_task(self._read(self._call))
        return self._call

    async def _write(
        self,
        call: grpc.aio.StreamStreamCall[pb.TranslateStreamRequest, pb.TranslateStreamResponse],
        message: pb.TranslateStreamRequest,
    ) -> None:
        try:
            async with self._write_lock:
                await call.write(message)
        except grpc.aio.AioRpcError as exc:
            raise _broken(exc) from None
        except asyncio.InvalidStateError:
            # The call already ended; its reader fails this item's future with the real status.
            pass

    async def _read(
        self,
        call: grpc.aio.StreamStreamCall[pb.TranslateStreamRequest, pb.TranslateStreamResponse],
    ) -> None:
        error = StreamBrokenError(grpc.StatusCode.UNAVAILABLE, "stream ended by the server")
        try:
            async for response in call:
                future = self._pending.get(response.item_id)
                if future is not None and not future.done():
                    future.set_result(response)
        except grpc.aio.AioRpcError as exc:
            error = _broken(exc)
        finally:
            if self._call is call:
                self._call = None
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(error)

    async def list_pairs(self, timeout_s: float) -> pb.ListLanguagePairsResponse:
        """The replica's ListLanguagePairs answer (also proves it is reachable)."""
        response: pb.ListLanguagePairsResponse = await self._stub.ListLanguagePairs(
            pb.ListLanguagePairsRequest(), timeout=timeout_s, metadata=self._access.metadata
        )
        return response

    async def close(self) -> None:
        """Half-close the stream, let in-flight results arrive, then close the channel."""
        call, reader = self._call, self._reader
        if call is not None and reader is not None:
            try:
                async with self._write_lock:
                    await call.done_writing()
                await asyncio.wait_for(reader, 5.0)
            except (grpc.aio.AioRpcError, asyncio.InvalidStateError, TimeoutError):
                call.cancel()
        await self._channel.close()


def _broken(exc: grpc.aio.AioRpcError) -> StreamBrokenError:
    return StreamBrokenError(exc.code(), exc.details() or "", retry_delay_of_call(exc))


class TranslationClient:
    """Translates batches over every replica (a `service.client.records.Translator`).

    Items go round-robin to replicas that are up and have room in their window; an item whose
    replica fails with UNAVAILABLE is sent to another one, and that replica rests for a while.
    UNAVAILABLE and RESOURCE_EXHAUSTED are retried with backoff (never a caller's mistake such as
    INVALID_ARGUMENT, NOT_FOUND or FAILED_PRECONDITION, which would fail again).
    """

    def __init__(
        self,
        addresses: list[str],
        *,
        window: int = 8,
        deadline_s: float = 300.0,
        retry: RetryPolicy | None = None,
        access: ClientAccess | None = None,
        server_names: Mapping[str, str] | None = None,
    ) -> None:
        if not addresses:
            raise ValueError("at least one server address is needed")
        names = server_names or {}
        self._replicas = [
            Replica(address, window, access, names.get(address, "")) for address in addresses
        ]
        self._window = window
        self._deadline_s = deadline_s
        self._retry = retry or RetryPolicy()
        self._turn = itertools.count()
        self._ids = itertools.count()
        self.retries = 0

    @property
    def addresses(self) -> list[str]:
        """Every replica address, in the order given."""
        return [replica.address for replica in self._replicas]

    async def served_pairs(self, timeout_s: float = 10.0) -> set[tuple[str, str]] | None:
        """Pairs served now by any reachable replica; marks unreachable ones down.

        None when the token may not list pairs. Raises TranslationFailedError when no replica
        answers or the server refuses the credentials (every replica would).
        """
        pairs: set[tuple[str, str]] = set()
        reached = 0
        for replica in self._replicas:
            try:
                response = await replica.list_pairs(timeout_s)
            except grpc.aio.AioRpcError as exc:
                if exc.code() == grpc.StatusCode.UNAUTHENTICATED:
                    raise TranslationFailedError(exc.code().name, exc.details() or "") from None
                if exc.code() == grpc.StatusCode.PERMISSION_DENIED:
                    return None
                logger.warning("replica %s: %s", replica.address, exc.code().name)
                replica.mark_down(self._retry.replica_cooldown_s)
                continue
            reached += 1
            pairs |= {(p.source_language, p.target_language) for p in response.pairs if p.serving}
        if not reached:
            raise TranslationFailedError("UNAVAILABLE", f"no server answered at {self.addresses}")
        return pairs

    async def translate(self, batch: BatchRequest) -> list[SegmentResult]:
        """Translations of `batch.texts` in order; raises TranslationFailedError for good."""
        request = _request(batch)
        attempt = 0
        while True:
            replica = await self._pick()
            try:
                response = await replica.submit(str(next(self._ids)), request, self._deadline_s)
            except StreamBrokenError as exc:
                code, message, hint = exc.code, exc.details, exc.hint_s
                if code not in CALLER_ERRORS:
                    # The whole stream broke (a replica died: gRPC says UNAVAILABLE, or INTERNAL
                    # "Internal error from Core"); the item itself is fine to send elsewhere.
                    code = grpc.StatusCode.UNAVAILABLE
            except TimeoutError:
                raise TranslationFailedError(
                    "DEADLINE_EXCEEDED", f"no result within {self._deadline_s:g}s (--deadline)"
                ) from None
            else:
                code = CODES_BY_VALUE.get(response.status_code, grpc.StatusCode.UNKNOWN)
                if code == grpc.StatusCode.OK:
                    replica.failures = 0
                    return _results(response.response, len(batch.texts))
                message, hint = response.error_message, _item_retry_delay(response)
            if code == grpc.StatusCode.UNAVAILABLE:
                replica.mark_down(self._retry.replica_cooldown_s)
            attempt += 1
            if code not in RETRYABLE or attempt >= self._retry.max_attempts:
                tries = f" (after {attempt} attempts)" if attempt > 1 else ""
                raise TranslationFailedError(code.name, f"{message}{tries}")
            self.retries += 1
            await asyncio.sleep(self._retry.delay(attempt - 1, hint))

    async def _pick(self) -> Replica:
        while not any(replica.healthy for replica in self._replicas):
            wake = min(replica.down_until for replica in self._replicas)
            await asyncio.sleep(max(0.0, wake - time.monotonic()))
        count = len(self._replicas)
        start = next(self._turn)
        ordered = [self._replicas[(start + i) % count] for i in range(count)]
        healthy = [replica for replica in ordered if replica.healthy]
        with_room = [replica for replica in healthy if replica.in_flight < self._window]
        return (with_room or healthy)[0]

    async def close(self) -> None:
        """Close every stream and channel."""
        await asyncio.gather(*(replica.close() for replica in self._replicas))


def _request(batch: BatchRequest) -> pb.TranslateRequest:
    return pb.TranslateRequest(
        texts=list(batch.texts),
        source_language=batch.source_language,
        target_language=batch.target_language,
        glossary_ids=list(batch.glossary_ids),
        text_format=TEXT_FORMAT_TO_PB[batch.text_format],
        options=pb.TranslateOptions(beam_size=batch.beam_size, return_term_report=True),
        request_id=batch.request_id,
    )


def _results(response: pb.TranslateResponse, expected: int) -> list[SegmentResult]:
    if len(response.results) != expected:
        raise TranslationFailedError(
            "INTERNAL", f"server returned {len(response.results)} results for {expected} texts"
        )
    return [
        SegmentResult(
            text=result.text,
            source_language=result.source_language,
            route=result.route,
            terms=tuple(
                TermRecord(
                    entry_id=term.entry_id,
                    glossary_id=term.glossary_id,
                    source_text=term.source_text,
                    target_text=term.target_text,
                    outcome=OUTCOME_FROM_PB.get(term.outcome, "unspecified"),
                    grammatical_case=term.grammatical_case,
                    method=term.method,
                )
                for term in result.terms
            ),
            warnings=tuple(result.warnings),
            demo_model=result.demo_model,
        )
        for result in response.results
    ]


def _item_retry_delay(response: pb.TranslateStreamResponse) -> float | None:
    """The server's RetryInfo for a stream item, in seconds, when it sent one."""
    if not response.HasField("retry_delay"):
        return None
    return response.retry_delay.ToTimedelta().total_seconds()
