"""Atomic output files and the resume journal that says which outputs are finished."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

logger = logging.getLogger(__name__)


def sha256(data: bytes) -> str:
    """Hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the whole new one, never a part.

    The bytes go to a hidden file beside the target, are flushed to disk, then renamed over it; the
    folder is synced so the rename itself survives a crash. The temporary name is fixed per output,
    so a run killed mid-write leaves at most one stray file, which the next run overwrites.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tlumach-partial")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class JournalEntry:
    """One finished output: which input and settings made it, and the digest of what was written."""

    output: str
    input: str
    fingerprint: str
    """Digest of the input bytes and every option that changes the output."""
    output_sha256: str
    characters: int


class Journal:
    """Append-only JSON Lines file of finished outputs, synced after every line.

    An output counts as finished only when its line is in the journal and the file on disk still
    has the recorded digest, so a run killed at any point (even between the rename and the journal
    line) never trusts a file it did not finish, and never loses one it did.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[str, JournalEntry] = {}
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                entry = JournalEntry(**json.loads(line))
            except (ValueError, TypeError):
                # The last line of a killed run may be torn; everything before it is intact.
                logger.warning("journal %s: ignoring an unreadable line", self.path)
                continue
            self._entries[entry.output] = entry

    def finished(self, output: Path, key: str, fingerprint: str) -> bool:
        """True when `output` was finished from the same input and options and is still intact."""
        entry = self._entries.get(key)
        if entry is None or entry.fingerprint != fingerprint or not output.is_file():
            return False
        return sha256(output.read_bytes()) == entry.output_sha256

    def record(self, entry: JournalEntry) -> None:
        """Append `entry` durably."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() and not _ends_with_newline(handle):
                handle.write(b"\n")  # close a torn line left by a killed run
            handle.write(json.dumps(asdict(entry), ensure_ascii=False).encode() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        self._entries[entry.output] = entry

    def __len__(self) -> int:
        return len(self._entries)


def _ends_with_newline(handle: BinaryIO) -> bool:
    handle.seek(-1, os.SEEK_END)
    return handle.read(1) == b"\n"
