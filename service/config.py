"""Service settings: one frozen record, read once at start from defaults, file and environment."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from service.errors import ConfigError
from service.vocab import DEVICES

ENV_PREFIX = "TLUMACH_"
COMPUTE_TYPES = (
    "default",
    "auto",
    "int8",
    "int8_float32",
    "int8_float16",
    "int8_bfloat16",
    "int16",
    "float16",
    "bfloat16",
    "float32",
)
LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Relative to the working directory; where they do not exist the packaged copies are used
# (service/folders.py). Real models are fetched into DEFAULT_MODELS_DIR.
DEFAULT_MODELS_DIR = Path("models")
DEFAULT_GLOSSARIES_DIR = Path("glossaries")

# Variables the batch client reads (service/cli/translate.py), not server settings: a shell that
# exports one for `tlumach translate` can still run `tlumach serve`.
CLIENT_VARIABLES = frozenset({"TLUMACH_TOKEN"})


def _default_threads() -> int:
    # Measured on 2-core machines: several one-thread translators beat one multi-thread one.
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


@dataclass(frozen=True)
class Settings:
    """Everything the server needs to start; validated on construction."""

    host: str = "[::]"
    port: int = 50051
    metrics_port: int = 9464
    """HTTP port of the Prometheus endpoint; 0 picks a free port, -1 disables it."""
    models_dir: Path = DEFAULT_MODELS_DIR
    """Converted models; demo models in its demo/ (packaged ones when left at the default)."""
    glossaries_dir: Path = DEFAULT_GLOSSARIES_DIR
    """Glossary files; the packaged glossaries when left at the default and absent."""
    device: str = "cpu"
    compute_type: str = "int8"
    inter_threads: int = dataclasses.field(default_factory=_default_threads)
    intra_threads: int = 1
    text_threads: int = dataclasses.field(default_factory=_default_threads)
    """Threads for CPU-bound text work (checks, detection, parsing, glossary enforcement)."""
    beam_size: int = 2
    max_batch_size: int = 32
    max_batch_tokens: int = 2048
    max_batch_delay_ms: float = 5.0
    max_queue_sentences: int = 2048
    max_texts_per_request: int = 128
    max_text_chars: int = 100_000
    max_request_chars: int = 500_000
    max_input_tokens: int = 200
    """Sentences longer than this many source tokens are split before decoding (Marian: 512)."""
    max_output_tokens: int = 256
    """Decoding stops after this many target tokens (a guard against degenerate repetition)."""
    stream_window: int = 16
    grace_period_s: float = 20.0
    language_guard: bool = True
    """Check every translated sentence is in the target language and re-decode it if not."""
    log_format: str = "text"
    log_level: str = "INFO"
    glossary_watch_interval_s: float = 5.0
    """Seconds between checks of glossary files for changes; 0 disables (SIGHUP still reloads)."""
    sentence_cache_size: int = 10_000
    """Finished sentences kept for repeats (LRU); 0 turns the cache off."""
    watchdog_stall_s: float = 60.0
    """Health turns NOT_SERVING when a direction has had work but finished no batch this long."""
    malloc_arena_max: int = 2
    """glibc malloc arenas for the whole process (0: glibc's default of 8 per core)."""
    tls_cert_file: Path | None = None
    """PEM certificate chain of the server; with `tls_key_file` the port speaks only TLS."""
    tls_key_file: Path | None = None
    tls_client_ca_file: Path | None = None
    """PEM CA bundle; when set every client must present a certificate it signed (mutual TLS)."""
    auth_tokens_file: Path | None = None
    """YAML file of hashed bearer tokens; when set every rpc but health and reflection needs one."""
    health_port: int = -1
    """Extra plaintext port serving only grpc.health.v1 (probes that cannot speak TLS); -1 off."""

    def __post_init__(self) -> None:
        _check_choice("device", self.device, DEVICES)
        _check_choice("compute_type", self.compute_type, COMPUTE_TYPES)
        _check_choice("log_format", self.log_format, LOG_FORMATS)
        _check_choice("log_level", self.log_level, LOG_LEVELS)
        _check_range("port", self.port, 0, 65535)
        _check_range("metrics_port", self.metrics_port, -1, 65535)
        for name in (
            "inter_threads",
            "text_threads",
            "max_batch_size",
            "max_batch_tokens",
            "max_queue_sentences",
            "max_texts_per_request",
            "max_text_chars",
            "max_request_chars",
            "stream_window",
        ):
            _check_range(name, getattr(self, name), 1, 10_000_000)
        _check_range("intra_threads", self.intra_threads, 0, 1024)
        _check_range("sentence_cache_size", self.sentence_cache_size, 0, 10_000_000)
        _check_range("malloc_arena_max", self.malloc_arena_max, 0, 1024)
        _check_range("beam_size", self.beam_size, 1, 16)
        _check_range("max_input_tokens", self.max_input_tokens, 8, 512)
        # A pivot leg reads the previous leg's output: it must fit the model's 512 positions.
        _check_range("max_output_tokens", self.max_output_tokens, 8, 512)
        if self.max_batch_delay_ms < 0 or self.grace_period_s < 0:
            raise ConfigError("max_batch_delay_ms and grace_period_s must be >= 0")
        if self.glossary_watch_interval_s < 0:
            raise ConfigError("glossary_watch_interval_s must be >= 0")
        if self.watchdog_stall_s <= 0:
            raise ConfigError("watchdog_stall_s must be > 0")
        _check_range("health_port", self.health_port, -1, 65535)
        self._check_tls()

    def _check_tls(self) -> None:
        if (self.tls_cert_file is None) != (self.tls_key_file is None):
            raise ConfigError("tls_cert_file and tls_key_file must be set together (or neither)")
        if self.tls_client_ca_file is not None and self.tls_cert_file is None:
            raise ConfigError(
                "tls_client_ca_file needs tls_cert_file and tls_key_file (mutual TLS)"
            )

    @property
    def tls(self) -> bool:
        """Whether the gRPC port speaks TLS."""
        return self.tls_cert_file is not None

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
        """Settings from a mapping of field name to value (strings are converted)."""
        known = {field.name: field for field in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(
                f"unknown setting(s) {', '.join(unknown)}; accepted: {', '.join(sorted(known))}"
            )
        converted = {
            name: _convert(name, known[name].type, value) for name, value in values.items()
        }
        return cls(**converted)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str], base: Mapping[str, Any] | None = None
    ) -> Settings:
        """Settings from TLUMACH_* variables (e.g. TLUMACH_PORT), over `base` values."""
        return cls.from_mapping({**(base or {}), **cls.env_values(environ)})

    @classmethod
    def env_values(cls, environ: Mapping[str, str]) -> dict[str, str]:
        """The settings named by TLUMACH_* variables; unknown variables are refused."""
        known = {field.name for field in fields(cls)}
        values = {}
        for key, value in environ.items():
            if not key.startswith(ENV_PREFIX) or key in CLIENT_VARIABLES:
                continue
            name = key[len(ENV_PREFIX) :].lower()
            if name not in known:
                accepted = ", ".join(ENV_PREFIX + n.upper() for n in sorted(known))
                raise ConfigError(f"unknown variable {key}; accepted: {accepted}")
            values[name] = value
        return values

    @staticmethod
    def read_file(path: Path) -> dict[str, Any]:
        """The mapping in a YAML settings file."""
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"cannot read settings file {path}: {exc}") from exc
        if not isinstance(loaded, dict):
            raise ConfigError(f"settings file {path} must hold a mapping of setting: value")
        return loaded


def _check_choice(name: str, value: str, accepted: tuple[str, ...]) -> None:
    if value not in accepted:
        raise ConfigError(f"{name}={value!r} is not accepted; use one of: {', '.join(accepted)}")


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ConfigError(f"{name}={value} is out of range; accepted: {low}..{high}")


def _convert(name: str, annotation: Any, value: Any) -> Any:
    kind = str(annotation)
    if kind == "bool" and isinstance(value, str):
        if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise ConfigError(f"{name}={value!r} is not a boolean; use true or false")
        return value.lower() in ("true", "1", "yes")
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "Path":
            return Path(value)
        if kind == "Path | None":
            # An empty value (e.g. TLUMACH_TLS_CERT_FILE=) means "not set".
            return Path(value) if value not in (None, "") else None
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}={value!r} is not a valid {kind}") from exc
    return str(value) if kind == "str" else value
