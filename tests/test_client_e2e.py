"""`tlumach translate` end to end: real server processes, real client process, kills mid-run."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from service.client.endpoints import resolve
from tests.support.serve_process import ServeProcess, start_serve

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
JOURNAL = ".tlumach-journal.jsonl"
SENTENCES = [
    "Ukrainian troops advanced 2 km into the Kursk region.",
    "The president said that the talks will continue next week.",
    "Drones attacked the city at night; nobody was hurt.",
]


def start_server(models_dir: Path, log: Path) -> ServeProcess:
    """A `tlumach serve` process with no glossaries; returns once it accepts connections."""
    return start_serve(models_dir, glossaries_dir=log.parent / "no-glossaries", log=log)


@pytest.fixture(scope="module")
def server(models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    running = start_server(models_dir, tmp_path_factory.mktemp("server") / "server.log")
    yield running.port
    running.stop()


def client(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "service", "translate", "--progress", "log", *args],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def many_files(folder: Path, count: int) -> list[str]:
    folder.mkdir(parents=True)
    names = []
    for index in range(count):
        name = f"article-{index:03d}.txt"
        (folder / name).write_text(f"{SENTENCES[index % 3]}\n\n{SENTENCES[(index + 1) % 3]}\n")
        names.append(name)
    return names


def journal_lines(out: Path) -> list[dict[str, object]]:
    path = out / JOURNAL
    if not path.exists():
        return []
    lines = []
    for line in path.read_text().splitlines():
        with contextlib.suppress(ValueError):
            lines.append(json.loads(line))
    return lines


def test_resolve_gives_one_target_per_address() -> None:
    async def check() -> None:
        assert "ipv4:127.0.0.1:50051" in await resolve("dns:///localhost:50051")
        assert await resolve("127.0.0.1:1,127.0.0.2:2,[::1]:3") == [
            "ipv4:127.0.0.1:1",
            "ipv4:127.0.0.2:2",
            "ipv6:[::1]:3",
        ]
        assert await resolve("127.0.0.1") == ["ipv4:127.0.0.1:50051"]
        with pytest.raises(ValueError, match="bad port"):
            await resolve("127.0.0.1:99999")

    asyncio.run(check())


def test_mixed_folder_into_two_languages(server: int, tmp_path: Path) -> None:
    source = tmp_path / "in"
    (source / "news").mkdir(parents=True)
    (source / "a.txt").write_bytes(f"\ufeff{SENTENCES[0]}\r\n\r\n{SENTENCES[1]}\r\n".encode())
    (source / "news" / "b.md").write_text(f"# Drones\n\n{SENTENCES[2]}\n\n```\nkeep()\n```\n")
    (source / "news" / "c.html").write_text(
        f"<p>{SENTENCES[0]}</p>\n<p><b>{SENTENCES[1]}</b></p>\n"
    )
    (source / "feed.jsonl").write_text(
        json.dumps({"id": 1, "title": SENTENCES[0], "body": SENTENCES[1], "url": "http://x"}) + "\n"
    )
    (source / "subs.srt").write_text(
        f"1\n00:00:01,000 --> 00:00:02,000\n{SENTENCES[1]}\n\n"
        f"2\n00:00:03,000 --> 00:00:04,500\n{SENTENCES[2]}\n"
    )
    document = docx.Document()
    document.add_paragraph(SENTENCES[0])
    document.save(source / "d.docx")
    (source / "broken.jsonl").write_text('{"title": "ok"}\n{not json}\n')
    out = tmp_path / "out"
    report = tmp_path / "report.jsonl"
    job = [str(source), "--to", "uk,ru", "--from", "en", "--out", str(out)]
    job += ["--fields", "title,body", "--server", f"127.0.0.1:{server}"]
    code, err = finish(client(*job, "--report", str(report)))
    assert code == 1, err  # the broken file fails, the rest succeed: a partial failure
    assert "broken.jsonl" in err
    assert "line 2: invalid JSON" in err
    expected = ["a.txt", "d.docx", "feed.jsonl", "news/b.md", "news/c.html", "subs.srt"]
    for lang in ("uk", "ru"):
        assert (
            sorted(str(p.relative_to(out / lang)) for p in (out / lang).rglob("*") if p.is_file())
            == expected
        ), err
        assert (out / lang / "a.txt").read_bytes().startswith(b"\xef\xbb\xbf")
        assert b"\r\n\r\n" in (out / lang / "a.txt").read_bytes()
        record = json.loads((out / lang / "feed.jsonl").read_text())
        assert record["url"] == "http://x"
        assert record["title"] != SENTENCES[0]
        subs = (out / lang / "subs.srt").read_text()
        assert "00:00:03,000 --> 00:00:04,500" in subs
        assert SENTENCES[2] not in subs
        assert "keep()" in (out / lang / "news" / "b.md").read_text()
        assert len(docx.Document(io.BytesIO((out / lang / "d.docx").read_bytes())).paragraphs) == 1
    assert len(journal_lines(out)) == 12
    records = [json.loads(line) for line in report.read_text().splitlines()]
    assert {r["target_language"] for r in records} == {"uk", "ru"}
    assert all(r["source_language"] == "en" for r in records)
    # The same command again finds everything done and translates nothing.
    code, err = finish(client(*job))
    assert code == 1
    assert "0 translated, 12 already done (journal)" in err, err


def test_resume_after_the_client_is_killed(server: int, tmp_path: Path) -> None:
    names = many_files(tmp_path / "in", 40)
    out = tmp_path / "out"
    args = (
        str(tmp_path / "in"),
        "--to",
        "uk,ru",
        "--from",
        "en",
        "--out",
        str(out),
        "--server",
        f"127.0.0.1:{server}",
        "--concurrency",
        "1",
    )
    first = client(*args)
    deadline = time.monotonic() + 60
    while len(journal_lines(out)) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()
    done_before = {str(entry["output"]) for entry in journal_lines(out)}
    assert 5 <= len(done_before) < 80, "the kill must land mid-run"
    stamps = {key: (out / key).stat().st_mtime_ns for key in done_before}

    code, err = finish(client(*args))
    assert code == 0, err
    outputs = sorted(
        str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != JOURNAL
    )
    assert outputs == sorted(f"{lang}/{name}" for lang in ("uk", "ru") for name in names)
    keys = [str(entry["output"]) for entry in journal_lines(out)]
    assert len(keys) == len(set(keys))  # nothing journaled twice
    assert set(keys) | set(outputs) == set(outputs)
    # Finished outputs were neither re-translated nor rewritten.
    assert {key: (out / key).stat().st_mtime_ns for key in done_before} == stamps
    assert f"{len(done_before)} already done (journal)" in err
    translated = int(err.split("files:")[1].split(" translated")[0])
    skipped = int(err.split("already done (journal), ")[1].split(" skipped")[0])
    assert translated + skipped + len(done_before) == 80
    assert not list(out.rglob(".*.tlumach-partial"))


def test_job_finishes_when_a_replica_is_killed(
    server: int, models_dir: Path, tmp_path: Path
) -> None:
    doomed = start_server(models_dir, tmp_path / "doomed.log")
    names = many_files(tmp_path / "in", 30)
    out = tmp_path / "out"
    run = client(
        str(tmp_path / "in"),
        "--to",
        "uk,ru",
        "--from",
        "en",
        "--out",
        str(out),
        "--server",
        f"127.0.0.1:{server},127.0.0.1:{doomed.port}",
        "--concurrency",
        "2",
    )
    deadline = time.monotonic() + 60
    while len(journal_lines(out)) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    doomed.kill()
    assert len(journal_lines(out)) < 60, "the replica must die mid-run"
    code, err = finish(run)
    assert code == 0, err
    assert "unavailable; retrying its items elsewhere" in err
    assert len(journal_lines(out)) == 60
    for lang in ("uk", "ru"):
        assert sorted(p.name for p in (out / lang).iterdir()) == names


def test_summary_and_report_count_texts_a_demo_model_translated(tmp_path: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models" / "demo" / "tlumach-demo", models / "demo" / "tlumach-demo")
    demo = start_server(models, tmp_path / "demo.log")
    try:
        source = tmp_path / "in"
        source.mkdir()
        (source / "a.txt").write_text(f"{SENTENCES[0]}\n\n{SENTENCES[1]}\n")
        report = tmp_path / "report.jsonl"
        job = [str(source), "--to", "uk", "--from", "en", "--out", str(tmp_path / "out")]
        code, err = finish(
            client(*job, "--server", f"127.0.0.1:{demo.port}", "--report", str(report))
        )
    finally:
        demo.stop()
    assert code == 0, err
    records = [json.loads(line) for line in report.read_text().splitlines()]
    assert records
    assert all(record["demo_model"] for record in records)
    assert f"DEMO MODEL: {len(records)} of {len(records)} texts were translated by a demo" in err


def test_summary_says_nothing_of_demo_models_for_real_ones(server: int, tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text(f"{SENTENCES[0]}\n")
    report = tmp_path / "report.jsonl"
    job = [str(source), "--to", "uk", "--from", "en", "--out", str(tmp_path / "out")]
    code, err = finish(client(*job, "--server", f"127.0.0.1:{server}", "--report", str(report)))
    assert code == 0, err
    assert "DEMO MODEL" not in err
    assert not any(json.loads(line)["demo_model"] for line in report.read_text().splitlines())
