"""Folders in use: defaults fall back to the packaged data, explicit folders are used as given."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.__main__ import main
from service.config import DEFAULT_GLOSSARIES_DIR, DEFAULT_MODELS_DIR
from service.folders import packaged_path, resolve_folders
from service.model_store.registry import ModelInfo

ROOT = Path(__file__).resolve().parents[1]


def test_packaged_data_is_found_in_this_checkout() -> None:
    # Run from the checkout (editable install or PYTHONPATH): the top-level folders are the data.
    demo = packaged_path("models", "demo")
    assert demo == ROOT / "models" / "demo"
    assert ModelInfo.read(demo / "tlumach-demo").demo
    assert packaged_path("models", "models.yaml") == ROOT / "models" / "models.yaml"
    assert packaged_path("glossaries") == ROOT / "glossaries"
    assert packaged_path("models", "no-such-file") is None


def test_defaults_absent_from_the_working_directory_become_the_packaged_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folders = resolve_folders()
    assert folders.models == DEFAULT_MODELS_DIR
    assert folders.demo_models == packaged_path("models", "demo")
    assert folders.glossaries == packaged_path("glossaries")
    assert folders.manifest == packaged_path("models", "models.yaml")
    assert folders.packaged == {"demo_models", "glossaries", "manifest"}
    described = "\n".join(folders.describe())
    assert f"models: {tmp_path / 'models'} (does not exist)" in described
    assert f"glossaries: {ROOT / 'glossaries'} (packaged copy)" in described


def test_a_fetched_models_folder_keeps_the_packaged_demo_for_the_other_directions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models" / "en-uk").mkdir(parents=True)
    (tmp_path / "glossaries").mkdir()
    folders = resolve_folders()
    assert folders.demo_models == packaged_path("models", "demo")
    assert folders.glossaries == DEFAULT_GLOSSARIES_DIR
    assert folders.packaged == {"demo_models", "manifest"}


def test_explicit_folders_are_used_as_given_even_when_missing(tmp_path: Path) -> None:
    # An operator who points at a folder never gets the shipped demo models or glossaries.
    folders = resolve_folders(tmp_path / "models", tmp_path / "glossaries")
    assert folders.demo_models is None
    assert folders.glossaries == tmp_path / "glossaries"
    assert folders.packaged == {"manifest"}
    assert "demo_models: none" in folders.describe()


def test_a_folders_own_demo_and_manifest_win(tmp_path: Path) -> None:
    (tmp_path / "models" / "demo").mkdir(parents=True)
    (tmp_path / "models" / "models.yaml").write_text("models: {}\n", encoding="utf-8")
    folders = resolve_folders(tmp_path / "models", tmp_path / "glossaries")
    assert folders.demo_models == tmp_path / "models" / "demo"
    assert folders.manifest == tmp_path / "models" / "models.yaml"
    assert folders.packaged == frozenset()


def test_models_list_outside_the_checkout_shows_the_packaged_demo_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "demo/tlumach-demo: tlumach-demo" in out
    assert "[DEMO]" in out
    assert "    en-uk: direct demo/tlumach-demo" in out


def test_glossary_export_finds_a_packaged_glossary_by_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["glossary", "export", "news-ua", "--format", "tsv"]) == 0
    assert "Суджа" in capsys.readouterr().out
