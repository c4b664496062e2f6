"""Settings from file, environment and flags, validated with messages that list the choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.cli import build_parser
from service.cli.serve import load_settings
from service.config import Settings
from service.errors import ConfigError


def test_environment_values_are_converted() -> None:
    settings = Settings.from_env(
        {
            "TLUMACH_PORT": "0",
            "TLUMACH_LANGUAGE_GUARD": "false",
            "TLUMACH_MODELS_DIR": "/m",
            "HOME": "/root",
        }
    )
    assert settings.port == 0
    assert settings.language_guard is False
    assert settings.models_dir == Path("/m")


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ({"device": "tpu"}, "cpu, cuda, auto"),
        ({"beam_size": "0"}, "1..16"),
        ({"language_guard": "maybe"}, "true or false"),
        ({"port": "http"}, "not a valid int"),
        ({"log_format": "xml"}, "text, json"),
        ({"colour": "red"}, "accepted:"),
    ],
)
def test_bad_values_name_the_setting_and_the_choices(values: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_mapping(values)
    assert needle in str(caught.value)
    assert next(iter(values)) in str(caught.value)


def test_unknown_variable_is_refused() -> None:
    with pytest.raises(ConfigError, match="TLUMACH_PORTT"):
        Settings.from_env({"TLUMACH_PORTT": "1"})


def test_flags_beat_environment_beat_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "tlumach.yaml"
    config.write_text("port: 1111\nbeam_size: 3\nmetrics_port: 2222\n", encoding="utf-8")
    monkeypatch.setenv("TLUMACH_BEAM_SIZE", "4")
    monkeypatch.setenv("TLUMACH_METRICS_PORT", "3333")
    args = build_parser().parse_args(["serve", "--config", str(config), "--metrics-port", "-1"])
    settings = load_settings(args)
    assert (settings.port, settings.beam_size, settings.metrics_port) == (1111, 4, -1)
