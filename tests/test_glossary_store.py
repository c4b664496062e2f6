"""The glossary store: real files, the real compiler, reloads that keep serving on errors."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest

from service.errors import NotFoundError
from service.glossary.paradigms.compiler import Compiler
from service.glossary.store import GlossaryStore

CITIES = """\
name: Cities
entries:
- id: kyiv
  kind: place
  gender: masculine
  terms: {en: [Kyiv], uk: [Київ], ru: [Киев]}
"""
MORE_CITIES = (
    CITIES
    + """\
- id: kharkiv
  kind: place
  gender: masculine
  terms: {en: [Kharkiv], uk: [Харків], ru: [Харьков]}
"""
)
PEOPLE = """\
name: People
entries:
- id: syrskyi
  kind: person
  gender: masculine
  terms: {en: [Oleksandr Syrskyi], uk: [Олександр Сирський], ru: [Александр Сырский]}
"""
# Loads as YAML but breaks a rule: a person with uk terms and no gender.
BROKEN = PEOPLE.replace("  gender: masculine\n", "")


@pytest.fixture(scope="module")
def compiler() -> Compiler:
    return Compiler()


def _write(path: Path, text: str, *, tick: int = 0) -> None:
    """Write and move the mtime on, so a change is visible even within one clock tick."""
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime_ns + tick * 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def _uk_gent(store: GlossaryStore, glossary_id: str, entry_id: str) -> str:
    compiled = store.get(glossary_id)
    item = next(item for item in compiled.entries if item.entry.id == entry_id)
    return item.languages["uk"].preferred.forms["gent"]


def test_load_all_serves_good_files_and_skips_a_bad_one(
    tmp_path: Path, compiler: Compiler, caplog: pytest.LogCaptureFixture
) -> None:
    _write(tmp_path / "cities.yaml", CITIES)
    _write(tmp_path / "people.yml", PEOPLE)
    _write(tmp_path / "broken.yaml", BROKEN)
    _write(tmp_path / "notes.txt", "not a glossary")
    _write(tmp_path / ".cities.yaml.swp", "editor swap file")
    store = GlossaryStore(tmp_path, compiler)
    with caplog.at_level(logging.ERROR, logger="service.glossary.store"):
        report = store.load_all()
    assert sorted(report.added) == ["cities", "people"]
    assert list(report.failed) == ["broken"]
    assert "entry syrskyi, field gender" in report.failed["broken"]
    assert "broken.yaml" in report.failed["broken"]
    assert [compiled.glossary.id for compiled in store.list()] == ["cities", "people"]
    assert _uk_gent(store, "cities", "kyiv") == "Києва"
    assert _uk_gent(store, "people", "syrskyi") == "Олександра Сирського"
    assert "broken" in store.failures()
    assert "glossary broken failed to load (not served)" in caplog.text


def test_an_unknown_id_lists_the_known_ones(tmp_path: Path, compiler: Compiler) -> None:
    _write(tmp_path / "cities.yaml", CITIES)
    store = GlossaryStore(tmp_path, compiler)
    store.load_all()
    with pytest.raises(NotFoundError, match="known: cities"):
        store.get("../cities")


def test_a_bad_reload_keeps_the_previous_version_serving(
    tmp_path: Path, compiler: Compiler, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "people.yaml"
    _write(path, PEOPLE)
    store = GlossaryStore(tmp_path, compiler)
    store.load_all()
    before = store.get("people")
    _write(path, BROKEN, tick=1)
    with caplog.at_level(logging.ERROR, logger="service.glossary.store"):
        report = store.reload_if_changed()
    assert list(report.failed) == ["people"]
    assert report.kept == ("people",)
    assert store.get("people") is before
    assert "keeping the previous version" in caplog.text
    assert "field gender" in caplog.text
    # Unchanged since it failed: not compiled again on the next poll.
    assert store.reload_if_changed().unchanged == ("people",)
    _write(path, PEOPLE.replace("[Олександр Сирський]", "[Олександр Сирський, Сирський]"), tick=2)
    fixed = store.reload_if_changed()
    assert fixed.updated == ("people",)
    assert store.failures() == {}
    assert store.get("people") is not before


def test_a_changed_file_is_detected_and_others_are_not_recompiled(
    tmp_path: Path, compiler: Compiler
) -> None:
    _write(tmp_path / "cities.yaml", CITIES)
    _write(tmp_path / "people.yaml", PEOPLE)
    store = GlossaryStore(tmp_path, compiler)
    store.load_all()
    people = store.get("people")
    assert store.reload_if_changed().changed is False
    _write(tmp_path / "cities.yaml", MORE_CITIES, tick=1)
    report = store.reload_if_changed()
    assert (report.updated, report.unchanged) == (("cities",), ("people",))
    assert _uk_gent(store, "cities", "kharkiv") == "Харкова"
    assert store.get("people") is people
    forced = store.reload()
    assert sorted(forced.updated) == ["cities", "people"]


def test_new_and_deleted_files(tmp_path: Path, compiler: Compiler) -> None:
    _write(tmp_path / "cities.yaml", CITIES)
    store = GlossaryStore(tmp_path, compiler)
    store.load_all()
    _write(tmp_path / "people.yaml", PEOPLE)
    (tmp_path / "cities.yaml").unlink()
    report = store.reload_if_changed()
    assert (report.added, report.removed) == (("people",), ("cities",))
    with pytest.raises(NotFoundError):
        store.get("cities")


def test_only_files_inside_the_folder_are_read(tmp_path: Path, compiler: Compiler) -> None:
    folder = tmp_path / "glossaries"
    folder.mkdir()
    outside = tmp_path / "secret.yaml"
    _write(outside, PEOPLE)
    (folder / "escape.yaml").symlink_to(outside)
    (folder / "nested").mkdir()
    _write(folder / "nested" / "deep.yaml", CITIES)
    # A Kubernetes ConfigMap volume: name -> ..data/name, ..data -> a timestamped folder.
    (folder / "..2024_08_06").mkdir()
    _write(folder / "..2024_08_06" / "cities.yaml", CITIES)
    (folder / "..data").symlink_to("..2024_08_06")
    (folder / "cities.yaml").symlink_to("..data/cities.yaml")
    store = GlossaryStore(folder, compiler)
    report = store.load_all()
    assert report.added == ("cities",)
    assert report.failed == {}
    assert [compiled.glossary.id for compiled in store.list()] == ["cities"]


def test_a_configmap_update_swaps_the_link_and_is_detected(
    tmp_path: Path, compiler: Compiler
) -> None:
    for version, text in (("..v1", CITIES), ("..v2", MORE_CITIES)):
        (tmp_path / version).mkdir()
        _write(tmp_path / version / "cities.yaml", text)
    (tmp_path / "..data").symlink_to("..v1")
    (tmp_path / "cities.yaml").symlink_to("..data/cities.yaml")
    store = GlossaryStore(tmp_path, compiler)
    store.load_all()
    (tmp_path / "..data_tmp").symlink_to("..v2")
    os.replace(tmp_path / "..data_tmp", tmp_path / "..data")  # what kubelet does, atomically
    assert store.reload_if_changed().updated == ("cities",)
    assert len(store.get("cities").entries) == 2


def test_readers_never_see_a_partial_glossary_during_reloads(
    tmp_path: Path, compiler: Compiler
) -> None:
    path = tmp_path / "cities.yaml"
    _write(path, CITIES)
    store = GlossaryStore(tmp_path, compiler)
    store.load_all()
    stop = threading.Event()
    seen: set[int] = set()
    failures: list[BaseException] = []

    def read() -> None:
        while not stop.is_set():
            try:
                seen.add(len(store.get("cities").entries))
            except BaseException as exc:  # any error here is a failure of the store
                failures.append(exc)
                return

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for tick in range(1, 11):
            _write(path, MORE_CITIES if tick % 2 else CITIES, tick=tick)
            worker = threading.Thread(target=store.reload_if_changed)  # as the server's timer
            worker.start()
            store.reload()  # and a SIGHUP at the same time
            worker.join()
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert failures == []
    assert seen == {1, 2}
