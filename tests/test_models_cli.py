"""`tlumach models list` and `verify` on models installed by the real fetch from a local archive."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from service.__main__ import main
from tests.support.opus_fixture import build_opus_release
from tests.support.release_server import zip_release

CORPUS = [
    "The government approved the new budget on Monday.",
    "Уряд ухвалив новий бюджет у понеділок.",
    "Правительство одобрило новый бюджет в понедельник.",
] * 30
PAIRS = ("en-uk", "uk-en", "en-ru")


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """en-uk, uk-en, en-ru installed by fetch, a demo ru-en, and one broken directory."""
    root = tmp_path_factory.mktemp("cli")
    archive = root / "release.zip"
    archive.write_bytes(zip_release(build_opus_release(root / "release", CORPUS)))
    entries = {
        pair: {
            "name": f"opus-mt-{pair}",
            "version": "2020-01-16",
            "pairs": [pair],
            "url": f"https://object.pouta.csc.fi/OPUS-MT-models/{pair}/opus-2020-01-16.zip",
            "license": "CC-BY-4.0",
        }
        for pair in PAIRS
    }
    manifest = root / "models.yaml"
    manifest.write_text(yaml.safe_dump({"models": entries}), encoding="utf-8")
    models = root / "models"
    for pair in PAIRS:
        code = main(
            [
                "models",
                "fetch",
                pair,
                "--from",
                str(archive),
                "--models-dir",
                str(models),
                "--manifest",
                str(manifest),
                "--no-progress",
            ]
        )
        assert code == 0
    demo = models / "demo" / "ru-en"
    shutil.copytree(models / "en-uk", demo)
    record = yaml.safe_load((demo / "model.yaml").read_text(encoding="utf-8"))
    record.update(name="demo-ru-en", pairs=["ru-en"], demo=True)
    (demo / "model.yaml").write_text(yaml.safe_dump(record), encoding="utf-8")
    broken = models / "zz-broken"
    broken.mkdir()
    (broken / "model.yaml").write_text("name: broken\npairs: [en-xx]\n", encoding="utf-8")
    return models


def test_list_reports_models_sizes_origin_and_routes(
    models_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "list", "--models-dir", str(models_dir)]) == 0
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if row.startswith("en-uk:"))
    assert "opus-mt-en-uk 2020-01-16 [real] pairs=en-uk compute=int8" in line
    size = float(re.search(r"size=([\d.]+) MiB", line).group(1))  # type: ignore[union-attr]
    on_disk = sum(f.stat().st_size for f in (models_dir / "en-uk").rglob("*") if f.is_file())
    assert size == pytest.approx(on_disk / (1 << 20), abs=0.06)
    assert "demo/ru-en: demo-ru-en 2020-01-16 [DEMO] pairs=ru-en" in out
    assert "zz-broken: REFUSED" in out
    assert "en-xx" in out
    assert "    origin: " in out
    assert str(models_dir.parent / "release.zip") in out
    assert "    en-uk: direct en-uk" in out
    assert "    ru-en: direct demo/ru-en" in out
    assert "    uk-ru: pivot uk-en+en-ru" in out
    assert "    ru-uk: pivot ru-en+en-uk" in out


def test_list_on_an_empty_directory_says_how_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "list", "--models-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "tlumach models fetch" in out
    assert "uk-ru: not served" in out


def test_verify_loads_each_model_and_reports_time_and_memory(
    models_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["models", "verify", "--models-dir", str(models_dir)])
    out = capsys.readouterr().out
    assert code == 1, "the broken directory must fail verification"
    for label in ("en-uk", "uk-en", "en-ru", "demo/ru-en"):
        match = re.search(rf"^{label}: ok, load ([\d.]+)s, RSS (\d+) MiB", out, re.MULTILINE)
        assert match, f"{label} not verified:\n{out}"
        assert float(match.group(2)) > 0
    assert re.search(r"^zz-broken: FAILED: .*en-xx", out, re.MULTILINE)
    assert re.search(r"^    uk-en: \S", out, re.MULTILINE), "canary translation missing"


def test_verify_without_models_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "verify", "--models-dir", str(tmp_path)]) == 2
    assert "no models" in capsys.readouterr().err
