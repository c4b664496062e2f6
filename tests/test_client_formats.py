"""Batch client formats, inputs, plans and journal: structure round-trips and malformed inputs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path, PurePosixPath

import docx
import pytest
import srt

from service.client.discover import discover
from service.client.encoding import DecodeError, decode, encode
from service.client.formats import FileFormatError, FormatOptions, parse
from service.client.plan import (
    BROKEN,
    EXISTS,
    FINISHED,
    TODO,
    JobOptions,
    PlanError,
    build_plan,
    check_name_pattern,
)
from service.client.storage import Journal, JournalEntry, sha256, write_atomic

ROOT = Path(__file__).resolve().parents[1]

SRT = (
    "1\n00:00:01,000 --> 00:00:02,500\nThe president said that\nthe talks will continue.\n\n"
    "2\n00:00:03,000 --> 00:00:04,100\nDrones attacked the city.\n\n"
    "3\n00:01:03,020 --> 00:01:05,000 X1:100 X2:200\n- Nobody was hurt.\n- Good.\n"
)
MARKDOWN = (
    "---\ntitle: Kursk\ntags: [war]\n---\n# Troops advance\n\nUkrainian troops *advanced* "
    "2 km.\n\n```python\nprint('keep')\n```\n\n- one\n- two\n\n> quoted text\n"
)
JSONL = (
    '{"id": 1, "title": "Troops advance", "body": "Ukrainian troops advanced.", "n": 2.5}\n'
    "\n"
    '{"id": 2, "title": "Talks", "meta": {"title": "nested"}, "tags": ["a", "b"]}\n'
    '{"id": 3, "body": ["First.", 7, "Second."]}\n'
    '{"id": 4, "title": "\\u041a\\u0438\\u0457\\u0432"}\n'
)
HTML = '<html><body><h1 class="x">Troops</h1>\n<p>Talks <b>continue</b>.</p></body></html>\n'


def shout(texts: list[str]) -> list[str]:
    """A stand-in translation that changes every text visibly (upper case, marked)."""
    return [f"«{text.upper()}»" for text in texts]


def texts_of(document_bytes: bytes, name: str, **options: object) -> list[str]:
    doc = parse(document_bytes, name, FormatOptions(**options))  # type: ignore[arg-type]
    return [segment.text for segment in doc.segments]


@pytest.mark.parametrize(
    ("name", "data", "options"),
    [
        ("plain", b"Kyiv.\nSecond line.\n\n\n   Indented para.  \n\n", {}),
        ("plain", b"\xef\xbb\xbfWith BOM.\r\n\r\nAnd CRLF.\r\n", {}),
        ("plain", "Київ — столиця України. Це місто з історією.\n".encode("cp1251"), {}),
        ("plain", "UTF-16 text.\n\nTwo.\n".encode("utf-16"), {}),
        ("markdown", MARKDOWN.encode(), {}),
        ("html", HTML.encode(), {}),
        ("jsonl", JSONL.encode(), {"fields": ("title", "body", "meta.title")}),
        ("srt", SRT.encode(), {}),
        ("srt", SRT.replace("\n", "\r\n").encode("utf-8-sig"), {}),
    ],
)
def test_identity_translation_reproduces_the_input_byte_for_byte(
    name: str, data: bytes, options: dict[str, object]
) -> None:
    document = parse(data, name, FormatOptions(**options))  # type: ignore[arg-type]
    assert document.segments, "nothing to translate was found"
    assert document.render([segment.text for segment in document.segments]) == data


def test_plain_keeps_bom_line_endings_and_blank_lines_around_translations() -> None:
    data = b"\xef\xbb\xbfFirst para.\r\nsame para.\r\n\r\n\r\n  Second.\r\n"
    document = parse(data, "plain", FormatOptions())
    assert [s.text for s in document.segments] == ["First para.\nsame para.", "Second."]
    out = document.render(shout([s.text for s in document.segments]))
    assert out == "\ufeff«FIRST PARA.\r\nSAME PARA.»\r\n\r\n\r\n  «SECOND.»\r\n".encode()


def test_legacy_encoding_is_detected_and_written_back_the_same_way() -> None:
    data = "Президент заявив, що переговори продовжаться наступного тижня.\n".encode("cp1251")
    text, how = decode(data)
    assert text.startswith("Президент")
    assert encode(text, how) == data
    assert decode(data, "cp1251")[0] == text


def test_srt_keeps_numbers_timings_and_line_counts() -> None:
    document = parse(SRT.encode(), "srt", FormatOptions())
    # Lines of one cue are joined so the sentence is translated whole.
    assert document.segments[0].text == "The president said that the talks will continue."
    out = document.render(shout([s.text for s in document.segments])).decode()
    before, after = list(srt.parse(SRT)), list(srt.parse(out))
    assert [(c.index, c.start, c.end, c.proprietary) for c in after] == [
        (c.index, c.start, c.end, c.proprietary) for c in before
    ]
    assert [c.content.count("\n") for c in after] == [c.content.count("\n") for c in before]
    assert after[1].content == "«DRONES ATTACKED THE CITY.»"
    assert "00:01:03,020 --> 00:01:05,000 X1:100 X2:200\n" in out


def test_jsonl_translates_named_fields_and_keeps_everything_else() -> None:
    fields = ("title", "body", "meta.title")
    document = parse(JSONL.encode(), "jsonl", FormatOptions(fields=fields))
    out = document.render(shout([s.text for s in document.segments])).decode()
    lines = out.split("\n")
    assert len(lines) == len(JSONL.split("\n"))
    assert lines[1] == ""
    records = [json.loads(line) for line in lines if line]
    assert records[0] == {
        "id": 1,
        "title": "«TROOPS ADVANCE»",
        "body": "«UKRAINIAN TROOPS ADVANCED.»",
        "n": 2.5,
    }
    assert records[1]["meta"] == {"title": "«NESTED»"}
    assert records[1]["tags"] == ["a", "b"]
    assert records[2]["body"] == ["«FIRST.»", 7, "«SECOND.»"]
    assert records[3]["title"] == "«КИЇВ»"
    assert lines[4].isascii()


def test_markdown_keeps_front_matter_out_of_the_translation() -> None:
    document = parse(MARKDOWN.encode(), "markdown", FormatOptions())
    assert all("title: Kursk" not in s.text for s in document.segments)
    assert {s.text_format for s in document.segments} == {"markdown"}
    out = document.render(["X"] * len(document.segments)).decode()
    assert out.startswith("---\ntitle: Kursk\ntags: [war]\n---\n")


def test_long_markdown_is_cut_between_top_level_blocks_only() -> None:
    block = "```\n" + "code line\n" * 600 + "```\n"
    data = ("# Title\n\n" + "Para. " * 800 + "\n\n" + block + "\n- item\n").encode()
    document = parse(data, "markdown", FormatOptions())
    assert len(document.segments) > 1
    # No piece starts or ends inside the fenced block.
    assert all(s.text.count("```") % 2 == 0 for s in document.segments)
    assert all(len(s.text) <= 8000 or s.text.startswith("```") for s in document.segments)
    assert document.render([s.text for s in document.segments]) == data


def make_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Troops advance", level=1)
    paragraph = document.add_paragraph("Ukrainian troops ")
    paragraph.add_run("advanced").bold = True
    paragraph.add_run(" 2 km.")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    for index, cell in enumerate(c for row in table.rows for c in row.cells):
        cell.text = f"Cell {index}"
    document.sections[0].header.paragraphs[0].text = "Daily news"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_translates_body_tables_and_headers_and_keeps_structure() -> None:
    data = make_docx()
    document = parse(data, "docx", FormatOptions())
    sources = [s.text for s in document.segments]
    assert sources == [
        "Troops advance",
        "Ukrainian troops advanced 2 km.",
        "Cell 0",
        "Cell 1",
        "Cell 2",
        "Cell 3",
        "Daily news",
    ]
    assert document.warnings  # the bold run is merged into its paragraph, and that is said
    translated = docx.Document(io.BytesIO(document.render(shout(sources))))
    assert [p.style.name for p in translated.paragraphs] == ["Heading 1", "Normal", "Normal"]
    assert translated.paragraphs[1].text == "«UKRAINIAN TROOPS ADVANCED 2 KM.»"
    assert [c.text for row in translated.tables[0].rows for c in row.cells] == [
        "«CELL 0»",
        "«CELL 1»",
        "«CELL 2»",
        "«CELL 3»",
    ]
    assert translated.sections[0].header.paragraphs[0].text == "«DAILY NEWS»"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plain", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("jsonl", b'{"text": "ok"}\n{"text": broken}\n', "line 2: invalid JSON"),
        ("srt", b"1\n00:00:01,000 --> 00:00:02,000\nHi\n\nnot a cue\n", "broken SubRip"),
        ("srt", b"just some words\nand more\n", "broken SubRip"),
        ("docx", b"PK\x03\x04 not really a zip", "DOCX"),
    ],
)
def test_malformed_inputs_raise_an_error_saying_where(name: str, data: bytes, message: str) -> None:
    with pytest.raises((FileFormatError, DecodeError), match=message):
        parse(data, name, FormatOptions())


def test_malformed_files_are_planned_as_broken_and_the_rest_go_on(tmp_path: Path) -> None:
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    (source / "good.txt").write_text("Kyiv.\n")
    (source / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(200)))
    (source / "sub" / "feed.jsonl").write_text('{"text": "a"}\n{oops\n')
    (source / "sub" / "subs.srt").write_text("1\nnot a timing\nHi\n")
    options = JobOptions(targets=("uk", "ru"), out_dir=tmp_path / "out")
    tasks = build_plan(discover([str(source)]), options, Journal(tmp_path / "j.jsonl"))
    states = {(str(t.source.relative), t.target_language): (t.state, t.reason) for t in tasks}
    assert states[("good.txt", "uk")] == (TODO, "")
    assert states[("good.txt", "ru")] == (TODO, "")
    assert states[("image.png", "uk")][0] == BROKEN
    assert "binary" in states[("image.png", "uk")][1]
    assert "line 2" in states[("sub/feed.jsonl", "ru")][1]
    assert "SubRip" in states[("sub/subs.srt", "uk")][1]


def test_discovery_applies_globs_and_skips_hidden_outside_links_and_output(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "drafts").mkdir(parents=True)
    (root / ".git").mkdir()
    for name in ("a.md", "b.txt", "drafts/c.md", ".hidden.md", ".git/d.md"):
        (root / name).write_text("x")
    (tmp_path / "secret.md").write_text("outside")
    (root / "link.md").symlink_to(tmp_path / "secret.md")
    (root / "out" / "uk").mkdir(parents=True)
    (root / "out" / "uk" / "a.md").write_text("old output")
    found = discover([str(root)], include=["*.md"], exclude=["drafts/*"], skip_under=root / "out")
    assert [str(f.relative) for f in found] == ["a.md"]
    assert [str(f.relative) for f in discover([str(root)], skip_under=root / "out")] == [
        "a.md",
        "b.txt",
        "drafts/c.md",
    ]


def test_output_layout_and_name_patterns(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "news").mkdir(parents=True)
    (root / "news" / "a.md").write_text("Kyiv.")
    inputs = discover([str(root)])
    default = build_plan(inputs, JobOptions(("uk", "ru"), tmp_path / "out"), None)
    assert [t.key for t in default] == ["uk/news/a.md", "ru/news/a.md"]
    named = JobOptions(("uk",), tmp_path / "out", name_pattern="{stem}.{lang}{suffix}")
    assert [t.key for t in build_plan(inputs, named, None)] == ["news/a.uk.md"]
    with pytest.raises(PlanError, match="unknown placeholder"):
        check_name_pattern("{stem}.{language}", ["uk"])
    with pytest.raises(PlanError, match="lang"):
        check_name_pattern("{name}", ["uk", "ru"])
    with pytest.raises(PlanError, match="leave the output folder"):
        build_plan(inputs, JobOptions(("uk",), tmp_path / "out", name_pattern="../{name}"), None)


def test_journal_trusts_only_intact_outputs_and_survives_a_torn_line(tmp_path: Path) -> None:
    journal_path = tmp_path / "journal.jsonl"
    output = tmp_path / "out" / "uk" / "a.txt"
    write_atomic(output, b"translated")
    assert not list(output.parent.glob(".*"))  # no temporary file left behind
    journal = Journal(journal_path)
    journal.record(JournalEntry("uk/a.txt", "a.txt", "f1", sha256(b"translated"), 5))
    with open(journal_path, "ab") as handle:
        handle.write(b'{"output": "uk/b.txt", "inp')  # what kill -9 mid-append leaves
    reopened = Journal(journal_path)
    assert reopened.finished(output, "uk/a.txt", "f1")
    assert not reopened.finished(output, "uk/a.txt", "other-options")
    output.write_bytes(b"edited by hand")
    assert not reopened.finished(output, "uk/a.txt", "f1")
    reopened.record(JournalEntry("uk/b.txt", "b.txt", "f2", "00", 1))
    assert len(Journal(journal_path)) == 2  # the torn line was closed, the new one is readable


def test_plan_states_follow_journal_and_existing_outputs(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Kyiv.")
    (tmp_path / "b.txt").write_text("Lviv.")
    inputs = discover([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    options = JobOptions(("uk",), tmp_path / "out")
    journal = Journal(tmp_path / "out" / "journal.jsonl")
    first = build_plan(inputs, options, journal)
    write_atomic(first[0].output, b"done")  # type: ignore[arg-type]
    journal.record(JournalEntry(first[0].key, "a", first[0].fingerprint, sha256(b"done"), 5))
    write_atomic(first[1].output, b"someone else's file")  # type: ignore[arg-type]
    again = build_plan(inputs, options, journal)
    assert [t.state for t in again] == [FINISHED, EXISTS]
    forced = build_plan(inputs, JobOptions(("uk",), tmp_path / "out", force=True), journal)
    assert [t.state for t in forced] == [FINISHED, TODO]
    (tmp_path / "a.txt").write_text("Kyiv changed.")  # a changed input is translated again
    assert build_plan(inputs, options, journal)[0].state == EXISTS


def test_cli_dry_run_lists_the_plan_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text("# Kyiv\n")
    (tmp_path / "in" / "b.jsonl").write_text("{bad\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "service",
            "translate",
            str(tmp_path / "in"),
            "--to",
            "uk,ru",
            "--out",
            str(tmp_path / "out"),
            "--dry-run",
            "--server",
            "127.0.0.1:1",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert "todo" in result.stdout
    assert "out/uk/a.md" in result.stdout
    assert "broken" in result.stdout
    assert "line 1: invalid JSON" in result.stdout
    assert "2 of 4 task(s) to translate" in result.stdout
    assert not (tmp_path / "out").exists()


def test_cli_rejects_unknown_languages_naming_the_accepted_ones(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "service", "translate", str(tmp_path), "--to", "uk,de"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2
    assert "de not accepted; use en, uk, ru" in result.stderr


def test_relative_paths_are_posix(tmp_path: Path) -> None:
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "x" / "y" / "z.txt").write_text("a")
    assert discover([str(tmp_path / "x")])[0].relative == PurePosixPath("y/z.txt")
