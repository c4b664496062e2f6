"""Prometheus metrics of the service, registered on an injected registry."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.process_collector import ProcessCollector

from service import __version__

# Buckets from measured latencies: a demo-model sentence decodes in ~5 ms, an OPUS-MT-sized one in
# ~15-60 ms per batch on 2 cores, and an article of 40 sentences under load takes seconds.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
STAGE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
BATCH_SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)
BATCH_TOKEN_BUCKETS = (16, 64, 128, 256, 512, 1024, 2048, 4096, 8192)

STAGES = ("queue", "encode", "decode", "glossary", "guard", "consistency")
GUARD_ACTIONS = ("fired", "repaired", "failed")
# The `pair` of a request besides the directions themselves (service.vocab.PAIRS): texts that went
# several ways, a request whose direction was never known, an rpc that has none.
MIXED = "mixed"
UNRESOLVED = "unresolved"
NO_PAIR = "none"


class Metrics:
    """Every metric the service exports; labels come only from small fixed sets, never text."""

    def __init__(self, registry: CollectorRegistry, *, process: bool = True) -> None:
        self.registry = registry
        if process:
            ProcessCollector(registry=registry)
        self.requests = Counter(
            "tlumach_requests_total",
            "Finished rpcs (and stream items) by method, the direction translated (a pair, mixed, "
            "unresolved or none), whether the source was detected, and gRPC status code.",
            ("rpc", "pair", "detected", "code"),
            registry=registry,
        )
        self.request_duration = Histogram(
            "tlumach_request_duration_seconds",
            "Wall time of an rpc (or stream item) from arrival to response, labelled as "
            "tlumach_requests_total.",
            ("rpc", "pair", "detected", "code"),
            buckets=REQUEST_BUCKETS,
            registry=registry,
        )
        self.stage_duration = Histogram(
            "tlumach_stage_duration_seconds",
            "Time spent per pipeline stage: queue wait, encode, decode, glossary, guard.",
            ("stage", "pair"),
            buckets=STAGE_BUCKETS,
            registry=registry,
        )
        self.batches = Counter(
            "tlumach_batches_total",
            "Engine batches by operation: decode, prefix (re-decode with forced prefixes), score.",
            ("pair", "op"),
            registry=registry,
        )
        self.batch_size = Histogram(
            "tlumach_batch_size_sentences",
            "Sentences per engine batch.",
            ("pair",),
            buckets=BATCH_SIZE_BUCKETS,
            registry=registry,
        )
        self.batch_tokens = Histogram(
            "tlumach_batch_tokens",
            "Source tokens per engine batch.",
            ("pair",),
            buckets=BATCH_TOKEN_BUCKETS,
            registry=registry,
        )
        self.queue_depth = Gauge(
            "tlumach_queue_depth_sentences",
            "Sentences waiting in a pair's queue.",
            ("pair",),
            registry=registry,
        )
        self.queue_capacity = Gauge(
            "tlumach_queue_capacity_sentences",
            "Most sentences a pair's queue holds before answering RESOURCE_EXHAUSTED.",
            ("pair",),
            registry=registry,
        )
        self.inflight = Gauge(
            "tlumach_inflight_requests",
            "Translation requests (and stream items) being translated now, per direction.",
            ("pair",),
            registry=registry,
        )
        self.tokens = Counter(
            "tlumach_translated_tokens_total",
            "Source tokens translated.",
            ("pair",),
            registry=registry,
        )
        self.characters = Counter(
            "tlumach_translated_characters_total",
            "Source characters translated.",
            ("pair",),
            registry=registry,
        )
        self.glossary_terms = Counter(
            "tlumach_glossary_terms_total",
            "Glossary term occurrences by what enforcement did with them.",
            ("pair", "outcome"),
            registry=registry,
        )
        self.glossary_errors = Counter(
            "tlumach_glossary_enforcement_errors_total",
            "Sentences whose glossary enforcement raised: the model's text was returned instead.",
            ("pair",),
            registry=registry,
        )
        self.language_guard = Counter(
            "tlumach_language_guard_events_total",
            "Target-language guard events: fired, repaired by re-decoding, failed.",
            ("pair", "action"),
            registry=registry,
        )
        self.cache_lookups = Counter(
            "tlumach_sentence_cache_lookups_total",
            "Sentence cache lookups by result: hit or miss.",
            ("result",),
            registry=registry,
        )
        self.cache_evictions = Counter(
            "tlumach_sentence_cache_evictions_total",
            "Sentences dropped from the full cache (least recently used first).",
            registry=registry,
        )
        self.cache_size = Gauge(
            "tlumach_sentence_cache_sentences",
            "Sentences held in the sentence cache.",
            registry=registry,
        )
        self.cache_capacity = Gauge(
            "tlumach_sentence_cache_capacity_sentences",
            "Most sentences the sentence cache holds (0: off).",
            registry=registry,
        )
        self.model_info = Gauge(
            "tlumach_model_info",
            "Loaded models (value 1): name, compute type and whether they are demo models.",
            ("pair", "model", "compute_type", "demo"),
            registry=registry,
        )
        self.pair_serving = Gauge(
            "tlumach_pair_serving",
            "1 when a language pair is serving, 0 when it failed to load or is draining.",
            ("pair",),
            registry=registry,
        )
        self.access_refusals = Counter(
            "tlumach_access_refusals_total",
            "Rpcs the access gate refused: unauthenticated, permission_denied or quota.",
            ("rpc", "reason"),
            registry=registry,
        )
        self.access_reloads = Counter(
            "tlumach_access_reloads_total",
            "Reloads of TLS certificates and bearer tokens (on SIGHUP) by outcome: ok or failed.",
            ("part", "outcome"),
            registry=registry,
        )
        self.build_info = Gauge(
            "tlumach_build_info",
            "Build of the running service (value 1).",
            ("version",),
            registry=registry,
        )
        self.build_info.labels(version=__version__).set(1)

    def request_finished(
        self, rpc: str, pair: str, code: str, seconds: float, *, detected: bool = False
    ) -> None:
        """Count one finished rpc or stream item and observe its duration."""
        labels = (rpc, pair, "true" if detected else "false", code)
        self.requests.labels(*labels).inc()
        self.request_duration.labels(*labels).observe(seconds)
