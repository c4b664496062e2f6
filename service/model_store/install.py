"""Installing one manifest entry: obtain, verify, unpack, convert, and swap it in atomically."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from service.errors import ModelError
from service.model_store.convert import convert, detect_layout, unpack
from service.model_store.download import ChecksumMismatchError, DownloadRetry, download, file_sha256
from service.model_store.manifest import ModelSource

logger = logging.getLogger(__name__)

# Work areas inside models_dir (so renames stay on one filesystem); the registry skips dot-dirs.
STAGING_DIR = ".staging"
DOWNLOADS_DIR = ".downloads"


@dataclass(frozen=True)
class InstallOptions:
    """How to install: quantization, where from, and whether to redo a current install."""

    quantization: str = "int8"
    local: Path | None = None
    """An archive or unpacked release/checkpoint already on disk (air-gapped hosts)."""
    force: bool = False
    require_checksum: bool = False
    progress: bool = True
    retry: DownloadRetry = field(default_factory=DownloadRetry)


@dataclass(frozen=True)
class InstallResult:
    """What `install` did for one entry."""

    entry_id: str
    path: Path
    changed: bool
    sha256: str | None
    """Checksum of the archive that was installed (None for an unpacked directory)."""
    pinned: bool
    """Whether the manifest pinned that checksum (otherwise it was recorded, not checked)."""


def install(entry: ModelSource, models_dir: Path, options: InstallOptions) -> InstallResult:
    """Install `entry` as `models_dir/<entry.id>`, or do nothing when it is already current."""
    target = models_dir / entry.id
    if options.require_checksum and entry.sha256 is None:
        raise ModelError(f"entry {entry.id} has no sha256 in the manifest (--require-checksum)")
    local_sha = _local_sha256(entry, options.local)
    current = installed_record(target)
    if not options.force and _is_current(current, entry, options, local_sha):
        origin = current.get("origin", {}) if current else {}
        return InstallResult(
            entry.id, target, False, origin.get("sha256"), entry.sha256 is not None
        )
    created = not models_dir.exists()
    try:
        origin = _install_fresh(entry, models_dir, options, local_sha)
    finally:
        _prune_work_areas(models_dir, entry.id, remove_models_dir=created)
    return InstallResult(entry.id, target, True, origin.get("sha256"), entry.sha256 is not None)


def _install_fresh(
    entry: ModelSource, models_dir: Path, options: InstallOptions, local_sha: str | None
) -> dict[str, Any]:
    """Obtain, unpack, convert and swap in `entry`; returns the provenance it recorded."""
    staging = models_dir / STAGING_DIR
    staging.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{entry.id}-", dir=staging))
    source: Path | None = None
    try:
        source, origin = _obtain(entry, models_dir, options, local_sha)
        if source.is_dir():
            layout = detect_layout(source)
        else:
            unpack(source, work / "unpacked")
            layout = detect_layout(work / "unpacked")
        output = work / "model"
        convert(
            layout, output, quantization=options.quantization, metadata=_metadata(entry, origin)
        )
        _swap_in(output, models_dir / entry.id, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if source is not None and options.local is None:
            # The converted model is what is served, and an archive that failed to convert would
            # be downloaded afresh anyway: keeping it would only take disk space.
            with contextlib.suppress(FileNotFoundError):
                source.unlink()
    return origin


def _prune_work_areas(models_dir: Path, entry_id: str, *, remove_models_dir: bool) -> None:
    """Remove the work folders that are empty now, and models_dir itself if this run made it.

    Only a partial download survives a failure (the next run resumes it, and says so); an
    offline or refused fetch leaves no trace.
    """
    folders = [models_dir / DOWNLOADS_DIR / entry_id, models_dir / DOWNLOADS_DIR]
    folders.append(models_dir / STAGING_DIR)
    if remove_models_dir:
        folders.append(models_dir)
    for folder in folders:
        with contextlib.suppress(OSError):  # not empty, or never made
            folder.rmdir()


def installed_record(path: Path) -> dict[str, Any] | None:
    """The parsed model.yaml of an installed model directory, or None if there is none."""
    try:
        loaded = yaml.safe_load((path / "model.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    return loaded if isinstance(loaded, dict) else None


def _is_current(
    record: dict[str, Any] | None,
    entry: ModelSource,
    options: InstallOptions,
    local_sha: str | None,
) -> bool:
    if record is None:
        return False
    origin = record.get("origin") or {}
    conversion = record.get("conversion") or {}
    if conversion.get("quantization") != options.quantization:
        return False
    if str(record.get("version")) != entry.version or list(record.get("pairs") or []) != list(
        entry.pairs
    ):
        return False
    if options.local is not None:
        same_file = local_sha is not None and origin.get("sha256") == local_sha
        return same_file or (local_sha is None and origin.get("path") == str(options.local))
    if origin.get("url") != entry.url:
        return False
    return entry.sha256 is None or origin.get("sha256") == entry.sha256


def _local_sha256(entry: ModelSource, local: Path | None) -> str | None:
    if local is None or local.is_dir():
        return None
    if not local.is_file():
        raise ModelError(f"--from {local}: no such file or directory")
    found = file_sha256(local)
    if entry.sha256 is not None and found != entry.sha256:
        raise ChecksumMismatchError(local, entry.sha256, found)
    return found


def _obtain(
    entry: ModelSource, models_dir: Path, options: InstallOptions, local_sha: str | None
) -> tuple[Path, dict[str, Any]]:
    """The archive or directory to install from, and the provenance to record."""
    origin: dict[str, Any] = {"url": entry.url, "huggingface": entry.huggingface}
    if options.local is not None:
        origin.update(source="local", path=str(options.local), sha256=local_sha)
        return options.local, origin
    dest = models_dir / DOWNLOADS_DIR / entry.id / entry.archive_name
    result = download(
        entry.url, dest, sha256=entry.sha256, retry=options.retry, progress=options.progress
    )
    if result.resumed_from:
        logger.info("%s: resumed the download at byte %d", entry.id, result.resumed_from)
    if entry.sha256 is None:
        logger.warning(
            "%s: the manifest pins no checksum; found sha256 %s (pin it in models.yaml)",
            entry.id,
            result.sha256,
        )
    origin.update(source="download", archive=entry.archive_name, sha256=result.sha256)
    return result.path, origin


def _metadata(entry: ModelSource, origin: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": entry.name,
        "version": entry.version,
        "pairs": list(entry.pairs),
        "target_tokens": dict(entry.target_tokens),
        "demo": False,
        "license": entry.license,
        "origin": {**origin, "pinned": entry.sha256 is not None},
    }


def _swap_in(output: Path, target: Path, work: Path) -> None:
    """Replace `target` by `output` with renames, so no reader sees a half-written model."""
    if target.exists():
        # A directory cannot be renamed over a non-empty one: move the old aside first. A crash
        # between the two renames leaves no model (the next fetch installs it), never half of one.
        os.replace(target, work / "previous")
    os.replace(output, target)
