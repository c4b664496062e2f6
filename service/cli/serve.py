"""`tlumach serve`: run the gRPC server until SIGTERM/SIGINT, then drain and exit 0."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from pathlib import Path
from typing import Any

from service.config import Settings
from service.errors import ConfigError

logger = logging.getLogger(__name__)

# Command-line flags that override settings (None = not given).
FLAGS: tuple[tuple[str, str, type], ...] = (
    ("--host", "host", str),
    ("--port", "port", int),
    ("--metrics-port", "metrics_port", int),
    ("--models-dir", "models_dir", Path),
    ("--glossaries-dir", "glossaries_dir", Path),
    ("--device", "device", str),
    ("--compute-type", "compute_type", str),
    ("--inter-threads", "inter_threads", int),
    ("--intra-threads", "intra_threads", int),
    ("--beam-size", "beam_size", int),
    ("--log-format", "log_format", str),
    ("--log-level", "log_level", str),
    ("--tls-cert-file", "tls_cert_file", Path),
    ("--tls-key-file", "tls_key_file", Path),
    ("--tls-client-ca-file", "tls_client_ca_file", Path),
    ("--auth-tokens-file", "auth_tokens_file", Path),
    ("--health-port", "health_port", int),
)


# What each flag's help says beyond its default; a flag missing here is described by its name.
MEANINGS: dict[str, str] = {
    "host": "gRPC listen address",
    "port": "gRPC port; 0 picks a free one (announced on stdout)",
    "metrics_port": "Prometheus /metrics port; 0 picks a free one, -1 disables it",
    "models_dir": "converted models; when left at the default and absent, the packaged demo "
    "models serve",
    "glossaries_dir": "glossary files; when left at the default and absent, the packaged ones",
    "device": "CTranslate2 device: cpu, cuda or auto",
    "compute_type": "CTranslate2 quantization, e.g. int8, float16",
    "inter_threads": "batches decoded at once",
    "intra_threads": "threads per batch (0 = CTranslate2 decides)",
    "beam_size": "beam when a request does not ask for one",
    "log_format": "text or json (one JSON line per event, never the text translated)",
    "log_level": "DEBUG, INFO, WARNING or ERROR",
}


def register(subparsers: Any) -> None:
    """Add the `serve` subcommand."""
    parser = subparsers.add_parser(
        "serve",
        help="run the translation server",
        description="Run the gRPC translation server. Settings come from defaults, then "
        "--config FILE (YAML), then TLUMACH_* environment variables, then these flags.",
    )
    parser.add_argument("--config", type=Path, help="YAML settings file")
    defaults = Settings()
    for flag, name, kind in FLAGS:
        # The flags default to None (not given, so the file and environment still apply); the
        # help shows the built-in default instead.
        shown = _shown_default(name, getattr(defaults, name))
        meaning = MEANINGS.get(name, f"setting {name}")
        parser.add_argument(
            flag, dest=name, type=kind, default=None, help=f"{meaning} (default: {shown})"
        )
    parser.set_defaults(func=run)


def _shown_default(name: str, value: object) -> str:
    if name == "inter_threads":
        return f"the usable cores, {value} here"
    return str(value).replace("%", "%%")  # argparse expands % in help texts


def load_settings(args: argparse.Namespace) -> Settings:
    """Settings from file, then environment, then flags (each overrides the one before)."""
    values: dict[str, Any] = Settings.read_file(args.config) if args.config else {}
    values.update(Settings.env_values(os.environ))
    values.update(
        {name: getattr(args, name) for _, name, _ in FLAGS if getattr(args, name) is not None}
    )
    return Settings.from_mapping(values)


def run(args: argparse.Namespace) -> int:
    """Start the server and block until it is stopped by a signal."""
    try:
        settings = load_settings(args)
    except ConfigError as exc:
        print(f"tlumach serve: {exc}")
        return 2
    from service.cli.allocator import limit_malloc_arenas
    from service.logfmt import configure_logging

    configure_logging(settings.log_format, settings.log_level)
    # Before any thread of the server exists: arenas made earlier are kept.
    limit_malloc_arenas(settings.malloc_arena_max)
    return asyncio.run(_serve(settings))


async def _serve(settings: Settings) -> int:
    from service.edge.server import build_server

    try:
        app, port = await build_server(settings)
    except ConfigError as exc:
        logger.error("cannot start: %s", exc)
        return 2
    loop = asyncio.get_running_loop()
    stopping: list[asyncio.Task[None]] = []

    def on_signal(signum: int) -> None:
        logger.info("received %s", signal.Signals(signum).name)
        if not stopping:
            stopping.append(loop.create_task(app.stop(settings.grace_period_s)))

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal, signum)
    reloads: set[asyncio.Task[None]] = set()

    def on_hangup() -> None:
        logger.info("received SIGHUP: reloading glossaries, TLS certificates and bearer tokens")
        for reload in (app.reload_glossaries(), app.reload_access()):
            task = loop.create_task(reload)
            reloads.add(task)
            task.add_done_callback(reloads.discard)

    loop.add_signal_handler(signal.SIGHUP, on_hangup)
    print(f"tlumach serving on port {port}", flush=True)
    await app.wait()
    return 0
