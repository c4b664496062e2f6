"""Glossary rpcs and glossary-enforced translation on a real server."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
import pytest_asyncio

from service.pb import translation_pb2 as pb
from tests.conftest import RunningServer, settings_for, start_server

DATA = Path(__file__).parent / "data"
GOOD = """name: small
entries:
- id: kharkiv
  kind: place
  gender: masculine
  terms: {en: [Kharkiv], uk: [Харків], ru: [Харьков]}
"""


@pytest_asyncio.fixture(scope="module")
async def glossary_server(
    models_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[RunningServer, Path]]:
    folder = tmp_path_factory.mktemp("glossaries")
    shutil.copy(DATA / "glossary-enforce.yaml", folder / "enforce.yaml")
    (folder / "small.yaml").write_text(GOOD, encoding="utf-8")
    running = await start_server(
        settings_for(models_dir, glossaries_dir=folder, glossary_watch_interval_s=0.2)
    )
    yield running, folder
    await running.channel.close()
    await running.app.stop(grace=1)


async def test_list_and_get_glossaries(glossary_server: tuple[RunningServer, Path]) -> None:
    server, _ = glossary_server
    listed = await server.stub.ListGlossaries(pb.ListGlossariesRequest())
    infos = {g.id: g for g in listed.glossaries}
    assert set(infos) == {"enforce", "small"}
    assert infos["enforce"].entry_count == 11
    got = await server.stub.GetGlossary(pb.GetGlossaryRequest(glossary_id="enforce"))
    entries = {e.id: e for e in got.entries}
    uk = {c.language: c for c in entries["sudzha"].compiled}["uk"]
    assert uk.forms["loct"] == "Суджі"
    assert uk.forms["accs"] == "Суджу"


async def test_unknown_glossary_is_not_found(glossary_server: tuple[RunningServer, Path]) -> None:
    server, _ = glossary_server
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await server.stub.GetGlossary(pb.GetGlossaryRequest(glossary_id="nope"))
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await server.stub.Translate(
            pb.TranslateRequest(
                texts=["Kharkiv."],
                source_language="en",
                target_language="uk",
                glossary_ids=["nope"],
            )
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert "small" in (caught.value.details() or "")


async def test_bad_inline_entry_names_the_entry(
    glossary_server: tuple[RunningServer, Path],
) -> None:
    server, _ = glossary_server
    person = pb.InlineGlossaryEntry(
        id="budanov2",
        kind="person",
        terms={"en": pb.TermList(terms=["Budanov"]), "uk": pb.TermList(terms=["Буданов"])},
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await server.stub.Translate(
            pb.TranslateRequest(
                texts=["Budanov said."],
                source_language="en",
                target_language="uk",
                inline_entries=[person],
            )
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    details = caught.value.details() or ""
    assert "inline_entries[0]" in details
    assert "budanov2" in details


async def test_translation_reports_every_term(glossary_server: tuple[RunningServer, Path]) -> None:
    server, _ = glossary_server
    text = "Drones hit a school.\n\nBudanov said Sudzha is under control."
    response = await server.stub.Translate(
        pb.TranslateRequest(
            texts=[text],
            source_language="en",
            target_language="uk",
            glossary_ids=["enforce"],
            options=pb.TranslateOptions(return_term_report=True),
        )
    )
    [result] = response.results
    reports = {t.entry_id: t for t in result.terms}
    assert set(reports) == {"budanov", "sudzha"}
    for entry_id, report in reports.items():
        assert text[report.source_start : report.source_end] == report.source_text, entry_id
        assert report.outcome != pb.TERM_OUTCOME_UNSPECIFIED
    # The random fixture model cannot produce the names: enforcement must have put them in.
    for report in reports.values():
        if report.outcome in (pb.TERM_OUTCOME_REPAIRED_FORM, pb.TERM_OUTCOME_REPAIRED_REDECODE):
            assert report.target_text in result.text
    assert (
        server.sample(
            "tlumach_stage_duration_seconds_count", {"stage": "glossary", "pair": "en-uk"}
        )
        >= 1
    )


async def test_check_glossary_reports_problems_without_storing(
    glossary_server: tuple[RunningServer, Path],
) -> None:
    server, _ = glossary_server
    bad = GOOD.replace("  gender: masculine\n", "").replace("kind: place", "kind: person")
    checked = await server.stub.CheckGlossary(pb.CheckGlossaryRequest(content=bad.encode()))
    assert not checked.valid
    assert any(p.entry_id == "kharkiv" and p.severity == "error" for p in checked.problems)
    good = await server.stub.CheckGlossary(pb.CheckGlossaryRequest(content=GOOD.encode()))
    assert good.valid
    assert {c.language: c.forms["loct"] for c in good.entries[0].compiled}["uk"] == "Харкові"
    listed = await server.stub.ListGlossaries(pb.ListGlossariesRequest())
    assert "uploaded" not in {g.id for g in listed.glossaries}


async def test_broken_reload_keeps_the_previous_version(
    glossary_server: tuple[RunningServer, Path],
) -> None:
    server, folder = glossary_server
    (folder / "small.yaml").write_text("entries: [oops", encoding="utf-8")
    await asyncio.sleep(1.0)  # the watcher polls every 0.2 s
    got = await server.stub.GetGlossary(pb.GetGlossaryRequest(glossary_id="small"))
    assert [e.id for e in got.entries] == ["kharkiv"]
    (folder / "small.yaml").write_text(GOOD.replace("kharkiv", "kharkiv_city"), encoding="utf-8")
    for _ in range(30):
        await asyncio.sleep(0.2)
        got = await server.stub.GetGlossary(pb.GetGlossaryRequest(glossary_id="small"))
        if got.entries[0].id == "kharkiv_city":
            break
    assert got.entries[0].id == "kharkiv_city"


async def test_a_missing_folder_is_reported_once_not_at_every_check(
    models_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(
        models_dir, glossaries_dir=tmp_path / "missing", glossary_watch_interval_s=0.05
    )
    with caplog.at_level(logging.DEBUG, logger="service.edge.server"):
        running = await start_server(settings)
        try:
            await asyncio.sleep(0.6)
        finally:
            await running.channel.close()
            await running.app.stop(grace=0)
    failures = [r for r in caplog.records if "glossary reload failed" in r.getMessage()]
    assert len(failures) >= 3, "the watcher kept checking"
    assert [r.levelno for r in failures].count(logging.ERROR) == 1
