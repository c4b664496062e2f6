"""The served glossaries: every YAML file of one folder, compiled once, swapped on change."""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from service.errors import GlossaryError, NotFoundError, quoted
from service.glossary.check import GlossaryCompiler, check_glossary
from service.glossary.model import CompiledGlossary

logger = logging.getLogger(__name__)

SUFFIXES = (".yaml", ".yml")
# (mtime in ns, size, inode): a Kubernetes ConfigMap update swaps a symlink, changing the inode.
Stamp = tuple[int, int, int]


@dataclass(frozen=True)
class ReloadReport:
    """What one reload did, per glossary id."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    failed: Mapping[str, str] = field(default_factory=dict)
    """Id -> why it failed; a previous version of it, if any, is still served."""
    kept: tuple[str, ...] = ()
    """Failed ids whose previous version is still served."""
    unchanged: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """True when the set of served glossaries changed or a file failed."""
        return bool(self.added or self.updated or self.removed or self.failed)


class GlossaryStore:
    """Loads `directory/*.yaml`, serves compiled glossaries, reloads without blocking readers.

    Only files directly inside `directory` are read, and a symlink only when it resolves inside
    it (Kubernetes ConfigMap volumes are symlinks into a hidden `..data` folder). Compilation runs
    outside the lock; readers see either the old or the new version, never a partial one.
    """

    def __init__(self, directory: Path, compiler: GlossaryCompiler) -> None:
        self._directory = directory
        self._compiler = compiler
        self._lock = threading.Lock()  # guards the three maps below
        self._reload_lock = threading.Lock()  # one reload at a time (SIGHUP and the timer)
        self._served: dict[str, CompiledGlossary] = {}
        self._revisions: dict[str, int] = {}  # a new number each time a version is served
        self._next_revision = itertools.count(1)
        self._stamps: dict[str, Stamp] = {}  # last version tried, served or failed
        self._failures: dict[str, str] = {}

    def load_all(self) -> ReloadReport:
        """Load every glossary (at start); a bad file is logged and skipped, the rest load."""
        return self.reload()

    def reload(self) -> ReloadReport:
        """Recompile every file, changed or not."""
        return self._reload(force=True)

    def reload_if_changed(self) -> ReloadReport:
        """Recompile only files whose modification time, size or inode changed; drop deleted."""
        return self._reload(force=False)

    def get(self, glossary_id: str, field: str = "") -> CompiledGlossary:
        """The compiled glossary `glossary_id`; NotFoundError names `field` and the known ids."""
        return self.get_revision(glossary_id, field)[0]

    def get_revision(self, glossary_id: str, field: str = "") -> tuple[CompiledGlossary, int]:
        """The compiled glossary and the revision it is served as (new on every reload that
        changes it), read together; NotFoundError names `field` and the known ids."""
        with self._lock:
            found = self._served.get(glossary_id)
            revision = self._revisions.get(glossary_id, 0)
            known = sorted(self._served)
        if found is None:
            raise NotFoundError(
                f"unknown glossary {quoted(glossary_id)}; known: {', '.join(known) or 'none'}",
                field,
            )
        return found, revision

    def list(self) -> list[CompiledGlossary]:
        """Every served glossary, by id."""
        with self._lock:
            return [self._served[key] for key in sorted(self._served)]

    def failures(self) -> dict[str, str]:
        """Glossary id -> why its latest file version failed to load."""
        with self._lock:
            return dict(self._failures)

    def _reload(self, *, force: bool) -> ReloadReport:
        with self._reload_lock:
            files = self._scan()
            with self._lock:
                stamps = dict(self._stamps)
                served_ids = set(self._served)
            todo = {key: item for key, item in files.items() if force or stamps.get(key) != item[1]}
            results = {key: self._compile(key, path) for key, (path, _) in todo.items()}
            removed = tuple(sorted((served_ids | set(stamps)) - set(files)))
            report = self._swap(files, results, removed, served_ids)
        self._log(report)
        return report

    def _swap(
        self,
        files: dict[str, tuple[Path, Stamp]],
        results: dict[str, CompiledGlossary | str],
        removed: tuple[str, ...],
        served_ids: set[str],
    ) -> ReloadReport:
        failed: dict[str, str] = {}
        added: list[str] = []
        updated: list[str] = []
        kept: list[str] = []
        with self._lock:
            for key in removed:
                self._served.pop(key, None)
                self._revisions.pop(key, None)
                self._stamps.pop(key, None)
                self._failures.pop(key, None)
            for key, result in results.items():
                self._stamps[key] = files[key][1]
                if isinstance(result, str):
                    failed[key] = self._failures[key] = result
                    if key in self._served:
                        kept.append(key)
                    continue
                self._failures.pop(key, None)
                self._served[key] = result
                self._revisions[key] = next(self._next_revision)
                (updated if key in served_ids else added).append(key)
        unchanged = tuple(sorted(set(files) - set(results)))
        return ReloadReport(tuple(added), tuple(updated), removed, failed, tuple(kept), unchanged)

    def _compile(self, glossary_id: str, path: Path) -> CompiledGlossary | str:
        """The compiled glossary, or why it failed (one line per error)."""
        started = time.perf_counter()
        try:
            data = path.read_bytes()
        except OSError as exc:
            return f"cannot read {path}: {exc.strerror or exc}"
        result = check_glossary(
            data, fmt="yaml", glossary_id=glossary_id, source=str(path), compiler=self._compiler
        )
        if result.compiled is None or not result.ok:
            errors = [str(problem) for problem in result.problems if problem.is_error]
            return "; ".join(errors) or "no glossary in the file"
        logger.info(
            "glossary %s compiled: %d entries, %d warnings in %.0f ms",
            glossary_id,
            len(result.compiled.entries),
            len(result.compiled.warnings) + sum(not p.is_error for p in result.problems),
            (time.perf_counter() - started) * 1000,
        )
        return result.compiled

    def _scan(self) -> dict[str, tuple[Path, Stamp]]:
        """Glossary id -> (path, stamp) for each readable glossary file of the folder."""
        try:
            root = self._directory.resolve(strict=True)
            names = sorted(os.listdir(root))
        except OSError as exc:
            raise GlossaryError(
                f"cannot list the glossary folder: {exc}", file=str(self._directory)
            ) from exc
        files: dict[str, tuple[Path, Stamp]] = {}
        for name in names:
            path = root / name
            if name.startswith(".") or path.suffix.lower() not in SUFFIXES:
                continue
            stamp = _stamp_inside(path, root)
            if stamp is None:
                continue
            if path.stem in files:
                logger.error(
                    "glossary %s: %s skipped, another file has the same id", path.stem, name
                )
                continue
            files[path.stem] = (path, stamp)
        return files

    @staticmethod
    def _log(report: ReloadReport) -> None:
        for key, reason in report.failed.items():
            kept = "keeping the previous version" if key in report.kept else "not served"
            logger.error("glossary %s failed to load (%s): %s", key, kept, reason)
        if report.removed:
            logger.info("glossaries removed: %s", ", ".join(report.removed))


def _stamp_inside(path: Path, root: Path) -> Stamp | None:
    """The file's stamp, or None (logged) when it is not a regular file inside `root`."""
    try:
        target = path.resolve(strict=True)
        info = target.stat()
    except OSError:
        return None  # deleted between listing and stat, or a dangling link
    if not target.is_relative_to(root):
        logger.error("glossary file %s skipped: it resolves outside the glossary folder", path.name)
        return None
    if not target.is_file():
        logger.error("glossary file %s skipped: not a regular file", path.name)
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)
