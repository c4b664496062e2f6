"""What every `tlumach` command shares: --version, defaults in --help, refusing a taken port."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from service import __version__
from service.__main__ import main
from service.cli import build_parser
from service.config import Settings
from tests.support.serve_process import ROOT, serve_env, start_serve


def test_version_names_the_release_and_the_engine(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    out = capsys.readouterr().out.strip()
    assert re.fullmatch(
        r"tlumach \S+ \(ctranslate2 \S+, grpcio \S+, protobuf \S+; Python [\d.]+\)", out
    ), out
    assert out.startswith(f"tlumach {__version__} ")


def test_the_package_and_the_distribution_agree_on_the_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__


def _parsers(
    parser: argparse.ArgumentParser, name: str
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _parsers(sub, f"{name} {sub_name}")


def test_every_help_shows_every_default() -> None:
    missing, checked = [], 0
    for name, parser in _parsers(build_parser(), "tlumach"):
        text = " ".join(parser.format_help().split())
        for action in parser._actions:
            default = action.default
            if default == argparse.SUPPRESS or not action.option_strings:
                continue
            if default is None or isinstance(default, bool) or default in ("", []):
                continue
            checked += 1
            if f"default: {default}" not in text and f"default {default}" not in text:
                missing.append(f"{name} {action.option_strings[0]} (default {default!r})")
    assert missing == []
    assert checked > 15


def test_serve_help_shows_the_settings_defaults() -> None:
    serve = subprocess.run(
        [sys.executable, "-m", "service", "serve", "--help"],
        capture_output=True,
        text=True,
        env=serve_env(),
        timeout=60,
        check=True,
    )
    help_text = " ".join(serve.stdout.split())
    defaults = Settings()
    for name in ("host", "port", "metrics_port", "models_dir", "beam_size", "log_level"):
        assert f"(default: {getattr(defaults, name)})" in help_text, name
    assert f"the usable cores, {defaults.inter_threads} here" in help_text


def test_a_second_server_on_a_taken_port_refuses_to_start(models_dir: Path, tmp_path: Path) -> None:
    first = start_serve(
        models_dir, glossaries_dir=tmp_path / "none", metrics_port=0, log=tmp_path / "first.log"
    )
    try:
        # No metrics endpoint on the second, as in the report: only the gRPC port is shared.
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "service",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(first.port),
                "--metrics-port",
                "-1",
                "--models-dir",
                str(models_dir),
                "--glossaries-dir",
                str(tmp_path / "none"),
            ],
            cwd=ROOT,
            env=serve_env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert second.returncode == 2, second.stdout + second.stderr
        assert f"cannot listen on 127.0.0.1:{first.port} (gRPC): the port is taken" in (
            second.stderr
        )
        assert "tlumach serving" not in second.stdout
        assert first.process.poll() is None, "the first server must keep serving"
    finally:
        assert first.stop() == 0
