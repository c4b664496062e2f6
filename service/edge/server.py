"""The gRPC server: translation service, health, reflection, metrics endpoint, graceful stop."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from wsgiref.simple_server import WSGIServer

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from prometheus_client import CollectorRegistry, start_http_server

from service.config import Settings
from service.edge.access_control import AccessControl
from service.edge.activity import Activity
from service.edge.health import HealthService, start_health_port
from service.edge.message_guard import MessageGuard
from service.edge.reflection import enable_reflection
from service.edge.servicer import TranslationServicer
from service.errors import ConfigError, GlossaryError
from service.folders import resolve_folders
from service.glossary.consistency.stage import NameConsistency
from service.glossary.enforcement.enforcer import Enforcer
from service.glossary.paradigms.compiler import Compiler
from service.glossary.store import GlossaryStore
from service.metrics import Metrics
from service.model_store.engine import Engine
from service.model_store.registry import Leg, ModelInfo, ModelRegistry
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from service.text.guard import LanguageGuard
from service.text.langid import LanguageDetector
from service.translation.admission import Admission
from service.translation.batcher import Batcher, BatchLimits
from service.translation.consistency_stage import ConsistencyStage
from service.translation.glossary_stage import GlossaryStage
from service.translation.guard_stage import GuardStage
from service.translation.pipeline import Pipeline
from service.translation.preparation import Preparer
from service.translation.routes import leg_batcher
from service.translation.sentence_cache import SentenceCache
from service.translation.watchdog import Watchdog
from service.vocab import PAIRS

logger = logging.getLogger(__name__)

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["TranslationService"].full_name
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
DRAIN_QUIET_S = 0.5
"""A drain ends once no rpc has been active this long (calls already sent have all arrived)."""


def pair_health_name(pair: str) -> str:
    """Health-check service name of one direction, e.g. 'tlumach.v1.TranslationService/en-uk'."""
    return f"{SERVICE_NAME}/{pair}"


@dataclass
class TlumachServer:
    """A started server and everything it owns, stopped in the right order."""

    grpc_server: grpc.aio.Server
    health: HealthService
    registry: ModelRegistry
    batchers: Mapping[str, Batcher]
    metrics: Metrics
    activity: Activity
    glossaries: GlossaryStore
    text_executor: ThreadPoolExecutor
    metrics_http: WSGIServer | None = None
    port: int = 0
    watchdog: Watchdog | None = None
    access: AccessControl | None = None
    health_server: grpc.aio.Server | None = None
    health_port: int = 0
    _stopped: asyncio.Event = field(default_factory=asyncio.Event)
    _watcher: asyncio.Task[None] | None = None
    _draining: bool = False
    _watch_error: str = ""
    """The watcher's last failure: logged once, not at every check (e.g. a missing folder)."""

    async def report_stalled(self, stalled: frozenset[str]) -> None:
        """Health NOT_SERVING for stalled directions (and overall) until batches finish again."""
        if not self._draining:
            await _set_health(self.health, self.registry, self.metrics, stalled)

    async def reload_access(self, *, changed_only: bool = False) -> None:
        """Re-read TLS certificates and bearer tokens; a failing part keeps its previous version."""
        if self.access is not None:
            await self.access.reload(changed_only=changed_only)

    async def reload_glossaries(self, *, changed_only: bool = False) -> None:
        """Recompile glossaries in a worker thread; a failing file keeps its old version."""
        reload = self.glossaries.reload_if_changed if changed_only else self.glossaries.reload
        try:
            await asyncio.to_thread(reload)
        except GlossaryError as exc:
            repeated = changed_only and str(exc) == self._watch_error
            self._watch_error = str(exc) if changed_only else self._watch_error
            logger.log(
                logging.DEBUG if repeated else logging.ERROR,
                "glossary reload failed, previous glossaries keep serving: %s",
                exc,
            )
            return
        if changed_only:
            self._watch_error = ""

    def watch_glossaries(self, interval_s: float) -> None:
        """Check glossary and access files for changes every `interval_s` (0 = never)."""
        if interval_s <= 0:
            return

        async def watch() -> None:
            while True:
                await asyncio.sleep(interval_s)
                await self.reload_glossaries(changed_only=True)
                await self.reload_access(changed_only=True)

        self._watcher = asyncio.create_task(watch(), name="glossary-watch")

    @property
    def metrics_port(self) -> int:
        """Port of the Prometheus endpoint (0 when disabled)."""
        return self.metrics_http.server_port if self.metrics_http else 0

    async def stop(self, grace: float | None) -> None:
        """NOT_SERVING, refuse new rpcs, let in-flight ones finish within `grace`, free all."""
        if self._stopped.is_set():
            return
        self._draining = True
        if self._watcher:
            self._watcher.cancel()
        if self.watchdog:
            self.watchdog.stop()
        logger.info("stopping: draining in-flight rpcs for up to %s s", grace)
        started = time.monotonic()
        await self.health.enter_graceful_shutdown()
        for pair in self.batchers:
            self.metrics.pair_serving.labels(pair).set(0)
        if grace:
            # Clients see NOT_SERVING and stop sending; serve what is already on its way.
            await self.activity.wait_quiet(DRAIN_QUIET_S, grace)
        remaining = None if grace is None else max(0.0, grace - (time.monotonic() - started))
        await self.grpc_server.stop(remaining)
        if self.health_server is not None:
            await self.health_server.stop(None)
        for batcher in self.batchers.values():
            await batcher.stop()
        self.text_executor.shutdown(wait=False, cancel_futures=True)
        if self.metrics_http:
            self.metrics_http.shutdown()
            self.metrics_http.server_close()
        self.registry.close()
        self._stopped.set()
        logger.info("stopped")

    async def wait(self) -> None:
        """Block until `stop` has finished."""
        await self._stopped.wait()


async def build_server(
    settings: Settings, *, registry: CollectorRegistry | None = None
) -> tuple[TlumachServer, int]:
    """Load models, wire the pipeline, start serving; returns the server and its bound port."""
    metrics = Metrics(registry or CollectorRegistry(), process=registry is None)
    folders = resolve_folders(settings.models_dir, settings.glossaries_dir)
    for line in folders.describe():
        logger.info("folder in use: %s", line)
    # Certificates and tokens first: a bad file stops the start before models are loaded.
    access = AccessControl.from_settings(settings, metrics)
    demo_dirs = [folders.demo_models] if folders.demo_models else []
    models = ModelRegistry(folders.models, lambda info: _load_engine(info, settings), demo_dirs)
    await asyncio.to_thread(models.load)
    batchers = {pair: _batcher(leg, settings, metrics) for pair, leg in models.legs.items()}
    for batcher in batchers.values():
        batcher.start()
    detector = await asyncio.to_thread(LanguageDetector)
    compiler = await asyncio.to_thread(Compiler)
    glossaries = GlossaryStore(folders.glossaries, compiler)
    await asyncio.to_thread(_load_glossaries, glossaries)
    # Text work gets threads of its own: it never waits for a model, and decoding never waits
    # for a free text thread (the batchers own theirs).
    text_executor = ThreadPoolExecutor(settings.text_threads, thread_name_prefix="text")
    stage = GlossaryStage(metrics, Enforcer(), text_executor, compiler, glossaries)
    guard = LanguageGuard(detector) if settings.language_guard else None
    pipeline = Pipeline(
        settings,
        batchers,
        metrics,
        Preparer(models, detector, stage),
        GuardStage(guard, metrics, text_executor),
        stage,
        SentenceCache(settings.sentence_cache_size, metrics),
        text_executor,
        Admission(batchers, settings.max_queue_sentences),
        ConsistencyStage(metrics, NameConsistency(compiler), text_executor),
    )
    server = grpc.aio.server(
        # The guard first: a message that does not parse is refused before anything reads it.
        interceptors=[MessageGuard(metrics), *access.interceptors()],
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            # gRPC sets SO_REUSEPORT by default, which lets a second server bind a busy port and
            # steal half its connections; a taken port must be refused instead.
            ("grpc.so_reuseport", 0),
        ],
    )
    activity = Activity()
    servicer = TranslationServicer(
        settings, pipeline, models, detector, metrics, activity, glossaries, compiler
    )
    pb_grpc.add_TranslationServiceServicer_to_server(servicer, server)  # type: ignore[no-untyped-call]
    health = HealthService()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    enable_reflection(
        server, (SERVICE_NAME, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name)
    )
    try:
        port = access.add_port(server, f"{settings.host}:{settings.port}")
    except RuntimeError as exc:
        raise ConfigError(
            f"cannot listen on {settings.host}:{settings.port} (gRPC): the port is taken (another "
            "server?) or the address is not this machine's; set port (0 picks a free one)"
        ) from exc
    try:
        metrics_http = _start_metrics(settings, metrics)
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on port {settings.metrics_port} (metrics): {exc}; set metrics_port "
            "(-1 disables it)"
        ) from exc
    await server.start()
    await _set_health(health, models, metrics)
    app = TlumachServer(
        server,
        health,
        models,
        batchers,
        metrics,
        activity,
        glossaries,
        text_executor,
        metrics_http,
        port,
    )
    app.watchdog = Watchdog(batchers, settings.watchdog_stall_s, app.report_stalled)
    app.watchdog.start()
    app.access = access
    if settings.health_port >= 0:
        try:
            app.health_server, app.health_port = await start_health_port(
                health, f"{settings.host}:{settings.health_port}"
            )
        except RuntimeError as exc:
            await app.stop(None)
            raise ConfigError(
                f"cannot listen on health_port {settings.health_port}: {exc}"
            ) from exc
    app.watch_glossaries(settings.glossary_watch_interval_s)
    logger.info(
        "serving on port %d (%s; metrics port %d, health-only port %d); pairs: %s",
        port,
        access.describe(),
        app.metrics_port,
        app.health_port,
        ", ".join(sorted(models.routes)) or "none",
    )
    if not models.routes:
        logger.warning(
            "no models installed in %s: nothing can be translated. Install models with "
            "`tlumach models fetch` (see models/README.md)",
            folders.models,
        )
    return app, port


def _load_glossaries(store: GlossaryStore) -> None:
    try:
        report = store.load_all()
    except GlossaryError as exc:
        logger.warning("no glossaries loaded: %s", exc)
        return
    logger.info("glossaries loaded: %s", ", ".join(g.glossary.id for g in store.list()) or "none")
    if report.failed:
        logger.error("glossaries not loaded: %s", ", ".join(sorted(report.failed)))


def _load_engine(info: ModelInfo, settings: Settings) -> Engine:
    return Engine(
        info.path,
        device=settings.device,
        compute_type=settings.compute_type,
        inter_threads=settings.inter_threads,
        intra_threads=settings.intra_threads,
        source_spm=info.source_spm,
        target_spm=info.target_spm,
        beam_size=settings.beam_size,
        max_input_tokens=settings.max_input_tokens,
        max_output_tokens=settings.max_output_tokens,
    )


def _batcher(leg: Leg, settings: Settings, metrics: Metrics) -> Batcher:
    limits = BatchLimits(
        max_batch_size=settings.max_batch_size,
        max_batch_tokens=settings.max_batch_tokens,
        max_delay_s=settings.max_batch_delay_ms / 1000,
        max_queue=settings.max_queue_sentences,
        workers=settings.inter_threads,
    )
    return leg_batcher(leg, limits, metrics)


async def _set_health(
    health: HealthService,
    models: ModelRegistry,
    metrics: Metrics,
    stalled: frozenset[str] = frozenset(),
) -> None:
    """Health per direction and overall: a direction serves when it has a route and no leg of
    it is stalled; the server as a whole stops serving when any direction is stalled."""
    serving = health_pb2.HealthCheckResponse.SERVING
    not_serving = health_pb2.HealthCheckResponse.NOT_SERVING
    overall = serving if models.routes and not stalled else not_serving
    await health.set("", overall)
    await health.set(SERVICE_NAME, overall)
    for pair in PAIRS:
        route = models.routes.get(pair)
        up = route is not None and not any(leg.pair in stalled for leg in route.legs)
        await health.set(pair_health_name(pair), serving if up else not_serving)
        metrics.pair_serving.labels(pair).set(1 if up else 0)
    for pair, leg in models.legs.items():
        metrics.model_info.labels(
            pair, leg.info.name, leg.engine.compute_type, str(leg.info.demo).lower()
        ).set(1)


def _start_metrics(settings: Settings, metrics: Metrics) -> WSGIServer | None:
    if settings.metrics_port < 0:
        return None
    address = "::" if settings.host in ("[::]", "::") else settings.host.strip("[]")
    httpd, _thread = start_http_server(
        settings.metrics_port, addr=address, registry=metrics.registry
    )
    return httpd
