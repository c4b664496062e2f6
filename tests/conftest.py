"""Shared fixtures: tiny converted models and a real server on a free port; fuzz profiles."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import grpc
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, settings
from prometheus_client import CollectorRegistry

from service.config import Settings
from service.pb import translation_pb2_grpc as pb_grpc
from tests.support import fuzz
from tests.support.models import install_fixture_models

# The fuzz campaign's sizes (tests/support/fuzz.py): `ci` keeps the whole campaign well under a
# minute; `long` is for bench/reliability.py. Tests that fix their own max_examples keep them.
_FUZZ_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=_FUZZ_HEALTH, print_blob=True
)
settings.register_profile(
    "long",
    parent=settings.get_profile("ci"),
    max_examples=int(os.environ.get("TLUMACH_FUZZ_EXAMPLES", "20000")),
    database=None,
)
settings.load_profile(os.environ.get("TLUMACH_FUZZ_PROFILE", "ci"))

if TYPE_CHECKING:
    from service.edge.server import TlumachServer


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """en-uk, uk-en and en-ru fixture models (uk-ru is then served by pivot)."""
    return install_fixture_models(tmp_path_factory.mktemp("fixture") / "models")


@dataclass
class RunningServer:
    """A started server with a stub connected to it."""

    app: TlumachServer
    port: int
    registry: CollectorRegistry
    channel: grpc.aio.Channel
    stub: pb_grpc.TranslationServiceStub
    settings: Settings

    def sample(self, name: str, labels: dict[str, str]) -> float:
        """A metric sample's value, 0 when absent."""
        return self.registry.get_sample_value(name, labels) or 0.0


async def start_server(settings: Settings) -> RunningServer:
    """A real server on a free port and a real stub to it."""
    from service.edge.server import build_server  # imported late: it loads the whole service

    registry = CollectorRegistry()
    app, port = await build_server(settings, registry=registry)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    return RunningServer(
        app, port, registry, channel, pb_grpc.TranslationServiceStub(channel), settings
    )


def settings_for(models_dir: Path, **overrides: object) -> Settings:
    """Settings for a test server: free ports, fixture models, small limits."""
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": 0,
        "metrics_port": 0,
        "models_dir": models_dir,
        "glossaries_dir": models_dir.parent / "no-glossaries",
        "inter_threads": 1,
        "max_batch_delay_ms": 20.0,
        "max_texts_per_request": 16,
        "max_text_chars": 5000,
    }
    values.update(overrides)
    return Settings.from_mapping(values)


@pytest_asyncio.fixture(scope="session")
async def server(models_dir: Path) -> AsyncIterator[RunningServer]:
    """One shared server for read-only tests."""
    running = await start_server(settings_for(models_dir))
    yield running
    await running.channel.close()
    await running.app.stop(grace=1)


@dataclass
class FuzzTarget:
    """What the fuzz campaign calls: an in-process server, or the one TLUMACH_FUZZ_SERVER names."""

    channel: grpc.aio.Channel
    stub: pb_grpc.TranslationServiceStub


@pytest_asyncio.fixture(scope="session")
async def fuzz_target(
    models_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FuzzTarget]:
    """A server with the shipped glossary and fuzz.py's small limits (or an external one)."""
    address = os.environ.get("TLUMACH_FUZZ_SERVER")
    running = None
    if address is None:
        glossaries = tmp_path_factory.mktemp("fuzz-glossaries")
        shutil.copy(Path(__file__).parents[1] / "glossaries" / "news-ua.yaml", glossaries)
        running = await start_server(
            settings_for(
                models_dir,
                glossaries_dir=glossaries,
                max_texts_per_request=fuzz.MAX_TEXTS,
                max_text_chars=fuzz.MAX_TEXT_CHARS,
                max_request_chars=fuzz.MAX_REQUEST_CHARS,
            )
        )
        address = f"127.0.0.1:{running.port}"
    channel = grpc.aio.insecure_channel(address)
    yield FuzzTarget(channel, pb_grpc.TranslationServiceStub(channel))
    await channel.close()
    if running is not None:
        await running.channel.close()
        await running.app.stop(grace=1)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The fuzz tally, for bench/reliability.py, when TLUMACH_FUZZ_REPORT names a file."""
    report = os.environ.get("TLUMACH_FUZZ_REPORT")
    if report:
        fuzz.write_tally(Path(report))
