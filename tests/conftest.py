"""Shared fixtures: tiny converted models and a real server on a free port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import grpc
import pytest
import pytest_asyncio
from prometheus_client import CollectorRegistry

from service.config import Settings
from service.pb import translation_pb2_grpc as pb_grpc
from tests.support.models import install_fixture_models

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
