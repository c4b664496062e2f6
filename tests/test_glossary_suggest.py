"""`tlumach glossary suggest`: a draft glossary of the names that recur in a folder of texts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from service.__main__ import main
from service.glossary.io import read_glossary_file
from service.glossary.validate import errors_of, validate

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "models" / "demo" / "tlumach-demo"
ARTICLE = (
    "Stepan Horbatiuk visited Trostianets. Residents of Trostianets say they trust Horbatiuk.\n\n"
    "Journalists asked Horbatiuk about the situation in Trostianets. Russian drones attacked "
    "Kyiv overnight. Explosions were heard in Kyiv."
)


def test_recurring_unknown_names_become_draft_entries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    models = tmp_path / "models"
    shutil.copytree(DEMO, models / "demo" / DEMO.name)
    corpus = tmp_path / "corpus"
    (corpus / "day1").mkdir(parents=True)
    (corpus / "day1" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "b.md").write_text(ARTICLE.replace("Stepan Horbatiuk", "Taras Horbatiuk"))
    (corpus / ".hidden.txt").write_text("Zhovtoriv. Zhovtoriv.", encoding="utf-8")
    out = tmp_path / "suggested.yaml"
    code = main([
        "glossary", "suggest", str(corpus), "--to", "uk,ru", "--out", str(out),
        "--models-dir", str(models), "--glossaries-dir", str(ROOT / "glossaries"),
    ])  # fmt: skip
    assert code == 0
    assert "names written" in capsys.readouterr().err
    glossary = read_glossary_file(out)
    assert not errors_of(validate(glossary))
    by_source = {entry.terms["en"][0]: entry for entry in glossary.entries}
    assert "Trostianets" in by_source
    assert "Kyiv" not in by_source  # news-ua has it
    assert not any("Zhovtoriv" in name for name in by_source)  # hidden files are skipped
    town = by_source["Trostianets"]
    assert town.kind == "place"
    assert town.terms["uk"]
    assert town.terms["ru"]
    assert "2 text(s)" in town.note
    assert "check before use" in town.note


def test_an_empty_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "suggest", str(tmp_path), "--to", "uk"]) == 2
    assert "no text files" in capsys.readouterr().err
