"""The gRPC servicer: decodes protobuf into domain records, delegates, encodes the answer."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

import grpc
from google.protobuf import json_format

from service import errors
from service.config import Settings
from service.edge.activity import Activity
from service.edge.codec import check_glossary_response, get_glossary_response, glossary_info
from service.edge.status import retry_after_of, rich_status, status_of
from service.glossary.check import GlossaryCompiler, check_glossary
from service.glossary.model import Entry
from service.glossary.store import GlossaryStore
from service.logfmt import request_fields
from service.metrics import Metrics
from service.model_store.registry import ModelRegistry
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from service.text.langid import LanguageDetector
from service.translation.pipeline import Pipeline
from service.translation.request import (
    TextResult,
    TranslationOptions,
    TranslationRequest,
)
from service.vocab import GLOSSARY_FORMATS, LANGUAGES

logger = logging.getLogger(__name__)

FORMATS = {
    pb.TEXT_FORMAT_UNSPECIFIED: "plain",
    pb.TEXT_FORMAT_PLAIN: "plain",
    pb.TEXT_FORMAT_MARKDOWN: "markdown",
    pb.TEXT_FORMAT_HTML: "html",
}
OUTCOMES = {
    "kept": pb.TERM_OUTCOME_KEPT,
    "repaired_form": pb.TERM_OUTCOME_REPAIRED_FORM,
    "repaired_redecode": pb.TERM_OUTCOME_REPAIRED_REDECODE,
    "failed": pb.TERM_OUTCOME_FAILED,
    "not_enforced": pb.TERM_OUTCOME_NOT_ENFORCED,
}
DEADLINE_MARGIN_S = 0.02
T = TypeVar("T")
Context = grpc.aio.ServicerContext[Any, Any]


def pair_label(source: str, target: str) -> str:
    """A metric label from the fixed set of pairs, never raw caller input."""
    source = source if source in LANGUAGES else ("auto" if not source else "invalid")
    target = target if target in LANGUAGES else "invalid"
    return f"{source}-{target}"


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
        pair: str,
        context: Context,
        call: Callable[[], Awaitable[T]],
        request_id: str = "",
        size: tuple[int, int] = (0, 0),
    ) -> T:
        """Run `call`, map domain errors to statuses, record metrics and one log line."""
        started = time.monotonic()
        code = grpc.StatusCode.OK
        try:
            with self._activity.track():
                return await call()
        except errors.TlumachError as exc:
            code = status_of(exc)
            await context.abort_with_status(rich_status(code, str(exc), retry_after_of(exc)))
        except asyncio.CancelledError:
            code = grpc.StatusCode.CANCELLED
            raise
        except Exception:
            code = grpc.StatusCode.INTERNAL
            logger.exception("rpc %s failed (pair %s, request id %s)", rpc, pair, request_id)
            await context.abort(code, "internal error; see server logs")
        finally:
            self._finished(rpc, pair, code, started, request_id, size)
        raise AssertionError("unreachable: context.abort raises")

    def _finished(
        self,
        rpc: str,
        pair: str,
        code: grpc.StatusCode,
        started: float,
        request_id: str = "",
        size: tuple[int, int] = (0, 0),
    ) -> None:
        """Count the rpc (or stream item) and write its one log line: sizes, never text."""
        elapsed = time.monotonic() - started
        self._metrics.requests.labels(rpc, pair, code.name).inc()
        self._metrics.request_duration.labels(rpc, pair, code.name).observe(elapsed)
        fields = request_fields(
            rpc=rpc, pair=pair, texts=size[0], characters=size[1],
            latency_ms=elapsed * 1000, status=code.name, request_id=request_id,
        )  # fmt: skip
        logger.info("rpc finished", extra=fields)

    async def Translate(
        self, request: pb.TranslateRequest, context: Context
    ) -> pb.TranslateResponse:
        pair = pair_label(request.source_language, request.target_language)
        deadline = _deadline(context)

        async def call() -> pb.TranslateResponse:
            self._metrics.inflight.labels(pair).inc()
            try:
                results = await self._pipeline.translate(decode_request(request), deadline)
            finally:
                self._metrics.inflight.labels(pair).dec()
            return encode_response(results, request.request_id)

        size = (len(request.texts), sum(len(text) for text in request.texts))
        return await self._observe("Translate", pair, context, call, request.request_id, size)

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
            await results.put(None)

    async def _stream_item(
        self,
        item: pb.TranslateStreamRequest,
        results: asyncio.Queue[pb.TranslateStreamResponse | None],
        window: asyncio.Semaphore,
        context: Context,
    ) -> None:
        request = item.request
        pair = pair_label(request.source_language, request.target_language)
        started = time.monotonic()
        response = pb.TranslateStreamResponse(item_id=item.item_id)
        code = grpc.StatusCode.OK
        try:
            translated = await self._pipeline.translate(decode_request(request), _deadline(context))
            response.response.CopyFrom(encode_response(translated, request.request_id))
        except errors.TlumachError as exc:
            code = status_of(exc)
            response.error_message = str(exc)
            retry_after = retry_after_of(exc)
            if retry_after is not None:
                response.retry_delay.FromTimedelta(timedelta(seconds=retry_after))
        except Exception:
            code = grpc.StatusCode.INTERNAL
            logger.exception("stream item failed (pair %s)", pair)
            response.error_message = "internal error; see server logs"
        finally:
            window.release()
        response.status_code = code.value[0]
        size = (len(request.texts), sum(len(text) for text in request.texts))
        self._finished("TranslateStream", pair, code, started, request.request_id, size)
        await results.put(response)

    async def DetectLanguage(
        self, request: pb.DetectLanguageRequest, context: Context
    ) -> pb.DetectLanguageResponse:
        async def call() -> pb.DetectLanguageResponse:
            if not request.texts:
                raise errors.InvalidArgumentError("texts", "at least one text is required")
            limit = self._settings.max_texts_per_request
            if len(request.texts) > limit:
                raise errors.InvalidArgumentError("texts", f"at most {limit} texts")
            detections = await asyncio.to_thread(
                lambda: [self._detector.detect(text) for text in request.texts]
            )
            view = {"detections": [dataclasses.asdict(d) for d in detections]}
            return json_format.ParseDict(view, pb.DetectLanguageResponse())

        return await self._observe("DetectLanguage", "none", context, call)

    async def ListLanguagePairs(
        self, request: pb.ListLanguagePairsRequest, context: Context
    ) -> pb.ListLanguagePairsResponse:
        async def call() -> pb.ListLanguagePairsResponse:
            view = {"pairs": self._registry.describe_routes()}
            return json_format.ParseDict(view, pb.ListLanguagePairsResponse())

        return await self._observe("ListLanguagePairs", "none", context, call)

    async def ListGlossaries(
        self, request: pb.ListGlossariesRequest, context: Context
    ) -> pb.ListGlossariesResponse:
        async def call() -> pb.ListGlossariesResponse:
            infos = [glossary_info(compiled) for compiled in self._glossaries.list()]
            return json_format.ParseDict({"glossaries": infos}, pb.ListGlossariesResponse())

        return await self._observe("ListGlossaries", "none", context, call)

    async def GetGlossary(
        self, request: pb.GetGlossaryRequest, context: Context
    ) -> pb.GetGlossaryResponse:
        async def call() -> pb.GetGlossaryResponse:
            compiled = self._glossaries.get(request.glossary_id)
            view = await asyncio.to_thread(get_glossary_response, compiled)
            return json_format.ParseDict(view, pb.GetGlossaryResponse())

        return await self._observe("GetGlossary", "none", context, call)

    async def CheckGlossary(
        self, request: pb.CheckGlossaryRequest, context: Context
    ) -> pb.CheckGlossaryResponse:
        async def call() -> pb.CheckGlossaryResponse:
            fmt = request.format or "yaml"
            if fmt not in GLOSSARY_FORMATS:
                raise errors.InvalidArgumentError(
                    "format", f"{fmt!r}; use one of {', '.join(GLOSSARY_FORMATS)}"
                )
            columns = tuple(request.column_languages) or None
            result = await asyncio.to_thread(
                lambda: check_glossary(
                    request.content,
                    fmt=fmt,
                    glossary_id="uploaded",
                    source="request",
                    compiler=self._compiler,
                    column_languages=columns,
                )
            )
            view = check_glossary_response(result)
            return json_format.ParseDict(view, pb.CheckGlossaryResponse())

        return await self._observe("CheckGlossary", "none", context, call)


def _deadline(context: Context) -> float | None:
    """The caller's deadline on our clock, a little early so that we answer DEADLINE_EXCEEDED
    ourselves (and free the work) rather than gRPC cancelling the call at the same moment."""
    remaining = context.time_remaining()
    return None if remaining is None else time.monotonic() + remaining - DEADLINE_MARGIN_S


def decode_request(request: pb.TranslateRequest) -> TranslationRequest:
    """The domain request for a protobuf one (field checks happen in the domain)."""
    text_format = FORMATS.get(request.text_format, f"unknown enum value {request.text_format}")
    options = request.options
    return TranslationRequest(
        texts=tuple(request.texts),
        target_language=request.target_language,
        source_language=request.source_language,
        glossary_ids=tuple(request.glossary_ids),
        inline_entries=tuple(decode_entry(e) for e in request.inline_entries),
        text_format=text_format,
        options=TranslationOptions(
            beam_size=options.beam_size,
            return_term_report=options.return_term_report,
            alternatives=options.alternatives,
            enforce_glossary=not options.disable_glossary_enforcement,
        ),
        request_id=request.request_id,
    )


def decode_entry(entry: pb.InlineGlossaryEntry) -> Entry:
    """A glossary entry from an inline one."""
    return Entry(
        id=entry.id,
        kind=entry.kind or "term",
        terms={lang: tuple(terms.terms) for lang, terms in entry.terms.items()},
        forbidden={lang: tuple(terms.terms) for lang, terms in entry.forbidden.items()},
        gender=entry.gender or None,
        declinable=entry.declinable if entry.HasField("declinable") else True,
    )


def encode_response(results: list[TextResult], request_id: str) -> pb.TranslateResponse:
    """The protobuf response of a request."""
    return pb.TranslateResponse(results=[encode_result(r) for r in results], request_id=request_id)


def encode_result(result: TextResult) -> pb.TranslationResult:
    """The protobuf result of one text (field names are shared with the domain records)."""
    view = dataclasses.asdict(result)
    for term in view["terms"]:
        term["outcome"] = OUTCOMES.get(term["outcome"], pb.TERM_OUTCOME_UNSPECIFIED)
    return json_format.ParseDict(view, pb.TranslationResult())
