"""The gRPC servicer: decodes protobuf into domain records, delegates, encodes the answer."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import grpc

from service import errors
from service.config import Settings
from service.edge import codec
from service.edge.activity import Activity
from service.edge.outcomes import Labels, ended_by_caller
from service.edge.status import retry_after_of, rich_status, status_of
from service.glossary.check import GlossaryCompiler, check_upload
from service.glossary.store import GlossaryStore
from service.logfmt import request_fields
from service.metrics import Metrics
from service.model_store.registry import ModelRegistry
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from service.text.langid import LanguageDetector
from service.translation.pipeline import Pipeline
from service.translation.request import (
    MAX_ITEM_ID_CHARS,
    check_glossary_id,
    check_printable_id,
    check_texts,
)

logger = logging.getLogger(__name__)

DEADLINE_MARGIN_S = 0.02
T = TypeVar("T")
Context = grpc.aio.ServicerContext[Any, Any]


class TranslationServicer(pb_grpc.TranslationServiceServicer):
    """Implements tlumach.v1.TranslationService over the pipeline."""

    def __init__(
        self,
        settings: Settings,
        pipeline: Pipeline,
        registry: ModelRegistry,
        detector: LanguageDetector,
        metrics: Metrics,
        activity: Activity,
        glossaries: GlossaryStore,
        compiler: GlossaryCompiler,
    ) -> None:
        self._settings = settings
        self._pipeline = pipeline
        self._registry = registry
        self._detector = detector
        self._metrics = metrics
        self._glossaries = glossaries
        self._compiler = compiler
        self._activity = activity

    async def _observe(
        self,
        rpc: str,
        context: Context,
        call: Callable[[], Awaitable[T]],
        labels: Labels | None = None,
        request_id: str = "",
        size: tuple[int, int] = (0, 0),
    ) -> T:
        """Run `call`, map domain errors to statuses, record metrics and one log line."""
        labels = labels or Labels()
        started = time.monotonic()
        code = grpc.StatusCode.OK
        recorded = False
        try:
            with self._activity.track():
                return await call()
        except errors.TlumachError as exc:
            code = status_of(exc)
            # abort sends the status at once: count the rpc first, so that whatever the caller
            # does next (a scrape of the metrics) already sees it.
            self._finished(rpc, labels, code, started, request_id, size)
            recorded = True
            await context.abort_with_status(rich_status(code, str(exc), retry_after_of(exc)))
        except asyncio.CancelledError:
            code = ended_by_caller(context)
            raise
        except Exception:
            code = grpc.StatusCode.INTERNAL
            logger.exception(
                "rpc %s failed (pair %s, request id %s)", rpc, labels.pair(), request_id
            )
            self._finished(rpc, labels, code, started, request_id, size)
            recorded = True
            await context.abort(code, "internal error; see server logs")
        finally:
            if not recorded:
                self._finished(rpc, labels, code, started, request_id, size)
        raise AssertionError("unreachable: context.abort raises")

    def _finished(
        self,
        rpc: str,
        labels: Labels,
        code: grpc.StatusCode,
        started: float,
        request_id: str = "",
        size: tuple[int, int] = (0, 0),
    ) -> None:
        """Count the rpc (or stream item) and write its one log line: sizes, never text."""
        elapsed = time.monotonic() - started
        pair = labels.pair()
        self._metrics.request_finished(rpc, pair, code.name, elapsed, detected=labels.detected)
        fields = request_fields(
            rpc=rpc, pair=pair, texts=size[0], characters=size[1],
            latency_ms=elapsed * 1000, status=code.name, request_id=request_id,
        )  # fmt: skip
        logger.info("rpc finished", extra=fields)

    async def Translate(
        self, request: pb.TranslateRequest, context: Context
    ) -> pb.TranslateResponse:
        deadline = _deadline(context)
        labels = Labels.of(request, self._metrics)

        async def call() -> pb.TranslateResponse:
            domain_request = codec.translation_request(request)
            results = await self._pipeline.translate(domain_request, deadline, labels.directions)
            return codec.translate_response(results, request.request_id)

        size = (len(request.texts), sum(len(text) for text in request.texts))
        return await self._observe("Translate", context, call, labels, request.request_id, size)

    async def TranslateStream(
        self,
        request_iterator: AsyncIterator[pb.TranslateStreamRequest],
        context: Context,
    ) -> AsyncIterator[pb.TranslateStreamResponse]:
        results: asyncio.Queue[pb.TranslateStreamResponse | None] = asyncio.Queue()
        with self._activity.track():
            reader = asyncio.create_task(self._read_stream(request_iterator, results, context))
            try:
                while (response := await results.get()) is not None:
                    yield response
            finally:
                reader.cancel()
            await reader

    async def _read_stream(
        self,
        items: AsyncIterator[pb.TranslateStreamRequest],
        results: asyncio.Queue[pb.TranslateStreamResponse | None],
        context: Context,
    ) -> None:
        window = asyncio.Semaphore(self._settings.stream_window)
        tasks: set[asyncio.Task[None]] = set()
        try:
            async for item in items:
                await window.acquire()  # bounded in flight: stop reading while the window is full
                task = asyncio.create_task(self._stream_item(item, results, window, context))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:  # the stream ended early (cancelled, past its deadline): its items
                task.cancel()  # are not worked on for nobody
            await results.put(None)

    async def _stream_item(
        self,
        item: pb.TranslateStreamRequest,
        results: asyncio.Queue[pb.TranslateStreamResponse | None],
        window: asyncio.Semaphore,
        context: Context,
    ) -> None:
        request = item.request
        labels = Labels.of(request, self._metrics)
        started = time.monotonic()
        code = grpc.StatusCode.OK
        try:
            item_id, domain_request = codec.stream_item(item)
            check_printable_id("item_id", item_id, MAX_ITEM_ID_CHARS)
            translated = await self._pipeline.translate(
                domain_request, _deadline(context), labels.directions
            )
            answer = codec.translate_response(translated, request.request_id)
            response = codec.stream_result(item_id, answer)
        except errors.TlumachError as exc:
            code = status_of(exc)
            response = codec.stream_failure(
                item.item_id, code.value[0], str(exc), retry_after_of(exc)
            )
        except asyncio.CancelledError:
            code = ended_by_caller(context)
            raise
        except Exception:
            code = grpc.StatusCode.INTERNAL
            logger.exception("stream item failed (pair %s)", labels.pair())
            response = codec.stream_failure(
                item.item_id, code.value[0], "internal error; see server logs", None
            )
        finally:
            window.release()
            size = (len(request.texts), sum(len(text) for text in request.texts))
            self._finished("TranslateStream", labels, code, started, request.request_id, size)
        await results.put(response)

    async def DetectLanguage(
        self, request: pb.DetectLanguageRequest, context: Context
    ) -> pb.DetectLanguageResponse:
        async def call() -> pb.DetectLanguageResponse:
            texts = codec.texts_to_detect(request)
            check_texts(texts, self._settings)  # the limits of Translate: same work per text
            found = await asyncio.to_thread(lambda: [self._detector.detect(t) for t in texts])
            return codec.detections(found)

        return await self._observe("DetectLanguage", context, call)

    async def ListLanguagePairs(
        self, request: pb.ListLanguagePairsRequest, context: Context
    ) -> pb.ListLanguagePairsResponse:
        async def call() -> pb.ListLanguagePairsResponse:
            return codec.language_pairs(self._registry.served_pairs())

        return await self._observe("ListLanguagePairs", context, call)

    async def ListGlossaries(
        self, request: pb.ListGlossariesRequest, context: Context
    ) -> pb.ListGlossariesResponse:
        async def call() -> pb.ListGlossariesResponse:
            return codec.glossary_list(self._glossaries.list())

        return await self._observe("ListGlossaries", context, call)

    async def GetGlossary(
        self, request: pb.GetGlossaryRequest, context: Context
    ) -> pb.GetGlossaryResponse:
        async def call() -> pb.GetGlossaryResponse:
            glossary_id = codec.glossary_id(request)
            check_glossary_id("glossary_id", glossary_id)
            compiled = self._glossaries.get(glossary_id, "glossary_id")
            return await asyncio.to_thread(codec.glossary, compiled)

        return await self._observe("GetGlossary", context, call)

    async def CheckGlossary(
        self, request: pb.CheckGlossaryRequest, context: Context
    ) -> pb.CheckGlossaryResponse:
        async def call() -> pb.CheckGlossaryResponse:
            upload = codec.glossary_upload(request)
            result = await asyncio.to_thread(check_upload, upload, self._compiler)
            return codec.glossary_check(result)

        return await self._observe("CheckGlossary", context, call)


def _deadline(context: Context) -> float | None:
    """The caller's deadline on our clock, a little early so that we answer DEADLINE_EXCEEDED
    ourselves (and free the work) rather than gRPC cancelling the call at the same moment."""
    remaining = context.time_remaining()
    return None if remaining is None else time.monotonic() + remaining - DEADLINE_MARGIN_S
