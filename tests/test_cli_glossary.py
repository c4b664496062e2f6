"""`tlumach glossary check|import|export` on real files."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from service.cli import glossary as glossary_cli
from service.glossary.io import load_glossary, read_glossary_file

ROOT = Path(__file__).parents[1]
IMPORTS = Path(__file__).parent / "data" / "glossary-imports"

GOOD = """\
name: Test
entries:
- id: kyiv
  kind: place
  gender: masculine
  terms: {en: [Kyiv], uk: [Київ], ru: [Киев]}
  forbidden: {uk: [Киев]}
- id: vereshchuk
  kind: person
  gender: feminine
  declinable: false
  terms: {en: [Iryna Vereshchuk], uk: [Ірина Верещук], ru: [Ирина Верещук]}
"""
BAD = """\
name: Test
entries:
- id: kyiv
  kind: city
  terms: {en: [Kyiv], uk: [' Київ']}
- id: syrskyi
  kind: person
  terms: {en: [Syrskyi], uk: [Сирський]}
"""


def main(argv: list[str]) -> int:
    """Run `tlumach <argv>` with only the glossary subcommand registered."""
    parser = argparse.ArgumentParser(prog="tlumach")
    glossary_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def _file(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_prints_the_compiled_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["glossary", "check", str(_file(tmp_path, "news.yaml", GOOD))]) == 0
    out, err = capsys.readouterr()
    rows = [line.split() for line in out.splitlines()]
    assert rows[0] == ["ENTRY", "LANG", "TERM", "CASE", "FORM", "ALSO", "ACCEPTED"]
    assert ["kyiv", "uk", "Київ", "gent", "Києва"] in rows
    assert ["kyiv", "ru", "Киев", "loct", "Киеве"] in rows
    assert ["kyiv", "uk", "(forbidden)", "Киев"] in rows
    # A woman's consonant-final surname stays, her given name declines.
    assert ["vereshchuk", "uk", "Ірина", "Верещук", "gent", "Ірини", "Верещук"] in rows
    assert "0 errors" in err


def test_check_lists_every_problem_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "bad.yaml", BAD)
    assert main(["glossary", "check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert f"error: file {path}, entry kyiv, field kind: unknown kind" in out
    assert f"error: file {path}, entry kyiv, field terms.uk[0]:" in out
    assert f"error: file {path}, entry syrskyi, field gender:" in out
    assert "ENTRY" not in out  # nothing compiled from a file with errors
    assert "3 errors" in err


def test_check_reports_a_type_error_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "typo.yaml", "name: t\nentries:\n- id: a\n  terms: {en: Kyiv}\n")
    assert main(["glossary", "check", str(path)]) == 1
    out, _ = capsys.readouterr()
    assert f"error: file {path}, entry a, field terms.en: must be a list of strings" in out


def test_check_json_gives_every_case_variants_and_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "news.yaml", GOOD)
    assert main(["glossary", "check", str(path), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is True
    assert document["problems"] == []
    entries = {entry["id"]: entry for entry in document["glossary"]["entries"]}
    uk = entries["kyiv"]["languages"]["uk"]
    assert uk["term"] == "Київ"
    assert set(uk["forms"]) == {"nomn", "gent", "datv", "accs", "ablt", "loct"}
    assert uk["forms"]["ablt"] == "Києвом"
    assert uk["forbidden"] == ["Киев"]
    assert isinstance(uk["variants"], dict)
    assert entries["kyiv"]["warnings"] == []
    assert entries["vereshchuk"]["languages"]["ru"]["forms"]["datv"] == "Ирине Верещук"


def test_check_json_includes_problems_when_it_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "bad.yaml", BAD)
    assert main(["glossary", "check", str(path), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is False
    assert document["glossary"] is None
    assert {(p["entry"], p["field"]) for p in document["problems"]} == {
        ("kyiv", "kind"),
        ("kyiv", "terms.uk[0]"),
        ("syrskyi", "gender"),
    }


def test_check_reads_imports_with_given_columns(capsys: pytest.CaptureFixture[str]) -> None:
    path = IMPORTS / "deepl-en-uk.tsv"
    assert main(["glossary", "check", str(path)]) == 1
    assert "--columns" in capsys.readouterr().out
    assert main(["glossary", "check", str(path), "--columns", "en,uk"]) == 0
    assert "Харкова" in capsys.readouterr().out


def test_check_refuses_billion_laughs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "check", str(IMPORTS / "billion-laughs.tbx")]) == 1
    assert "unsafe XML" in capsys.readouterr().out


def test_import_writes_yaml_the_server_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "glossaries" / "kharkiv.yaml"
    source = IMPORTS / "tbx3-basic-dct.tbx"
    assert main(["glossary", "import", str(source), "--to", str(target), "--name", "K"]) == 0
    loaded = load_glossary(target)
    assert (loaded.id, loaded.name) == ("kharkiv", "K")
    assert loaded.entries == read_glossary_file(source).entries
    assert target.stat().st_mode & 0o777 == 0o644
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind
    assert "wrote 1 entries" in capsys.readouterr().err


def test_import_never_overwrites_without_force(tmp_path: Path) -> None:
    target = _file(tmp_path, "news.yaml", GOOD)
    source = str(IMPORTS / "amazon-equivalent-terms.csv")
    assert main(["glossary", "import", source, "--to", str(target)]) == 1
    assert target.read_text(encoding="utf-8") == GOOD
    assert main(["glossary", "import", source, "--to", str(target), "--force"]) == 0
    assert len(load_glossary(target).entries) == 5


def test_import_of_a_headerless_file_needs_columns(tmp_path: Path) -> None:
    target = tmp_path / "g.yaml"
    source = str(IMPORTS / "google-unidirectional-en-ru.csv")
    assert main(["glossary", "import", source, "--to", str(target)]) == 1
    assert not target.exists()
    assert main(["glossary", "import", source, "--to", str(target), "--columns", "en,ru"]) == 0
    assert load_glossary(target).languages == ("en", "ru")


def test_import_keeps_what_needs_fixing_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _file(tmp_path, "dup.csv", "en,uk\nKyiv,Київ\nKiev,Київ\n")
    target = tmp_path / "dup.yaml"
    assert main(["glossary", "import", str(source), "--to", str(target)]) == 1
    assert len(load_glossary(target).entries) == 2  # nothing lost: fix it in the YAML
    assert "already a term of entry 'kyiv'" in capsys.readouterr().err


def test_export_by_id_to_csv_and_back(tmp_path: Path) -> None:
    folder = tmp_path / "glossaries"
    folder.mkdir()
    _file(folder, "news.yaml", GOOD)
    target = tmp_path / "news.csv"
    assert (
        main(["glossary", "export", "news", "--glossaries-dir", str(folder), "--to", str(target)])
        == 0
    )
    assert target.read_text(encoding="utf-8").splitlines()[0].startswith("id,kind,gender")
    assert read_glossary_file(target).entries == load_glossary(folder / "news.yaml").entries
    assert (
        main(["glossary", "export", "news", "--glossaries-dir", str(folder), "--to", str(target)])
        == 1
    )


def test_export_a_file_to_stdout_as_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "export", str(IMPORTS / "tbx2-basic.tbx")]) == 0
    out = capsys.readouterr().out
    assert "- id: belgorod" in out
    assert "uk: [Бєлгород]" in out


@pytest.mark.parametrize("name", ["missing", "../glossaries/news", "/etc/passwd.yaml"])
def test_export_of_an_unknown_id_lists_the_known_ones(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _file(tmp_path, "news.yaml", GOOD)
    assert main(["glossary", "export", name, "--glossaries-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "known: news" in err or "no such file" in err


def test_the_installed_command_runs_end_to_end(tmp_path: Path) -> None:
    path = _file(tmp_path, "news.yaml", GOOD)
    result = subprocess.run(
        [sys.executable, "-m", "service", "glossary", "check", str(path), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True
