"""HTTP(S) download of release archives: progress bar, resume with Range, retries, sha256 check."""

from __future__ import annotations

import errno
import hashlib
import http.client
import logging
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from tqdm import tqdm

from service.errors import ModelError

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1 << 16
# Client errors that a retry cannot fix; 408 and 429 are worth waiting for.
_FINAL_STATUS = frozenset(range(400, 500)) - {408, 429}
_TRANSIENT = (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError)
# Socket errors that mean this machine cannot reach the host at all: retrying only makes an
# offline or air-gapped host wait.
_NO_ROUTE = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN})


class DownloadError(ModelError):
    """The release could not be downloaded; `unreachable` when the host cannot be reached at all."""

    def __init__(self, message: str, *, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


class ChecksumMismatchError(ModelError):
    """The downloaded file is not the one the manifest pins."""

    def __init__(self, path: Path, expected: str, found: str) -> None:
        super().__init__(
            f"checksum mismatch for {path.name}: expected sha256 {expected}, found {found}; "
            "the file was deleted and nothing was installed"
        )
        self.expected = expected
        self.found = found


@dataclass(frozen=True)
class Downloaded:
    """A completed, verified download."""

    path: Path
    sha256: str
    size: int
    resumed_from: int
    """Bytes already on disk from an interrupted earlier attempt (0 = fresh download)."""


@dataclass(frozen=True)
class DownloadRetry:
    """How often and how patiently to retry a failing download."""

    attempts: int = 5
    backoff_s: float = 1.0
    """First wait; it doubles after each failed attempt."""
    timeout_s: float = 60.0


def download(
    url: str,
    dest: Path,
    *,
    sha256: str | None = None,
    retry: DownloadRetry | None = None,
    progress: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> Downloaded:
    """Fetch `url` into `dest`, resuming `dest.part` when a previous attempt was cut off.

    `dest` appears only once the whole file is there and matches `sha256` (when given).
    """
    retry = retry or DownloadRetry()
    if urlsplit(url).scheme not in ("http", "https"):
        raise ModelError(f"download address must be http(s): {url}")
    part = dest.with_name(dest.name + ".part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    resumed_from = part.stat().st_size if part.exists() else 0
    for attempt in range(1, retry.attempts + 1):
        try:
            _fetch_into(url, part, retry.timeout_s, progress)
            break
        except _TRANSIENT as exc:
            if isinstance(exc, urllib.error.HTTPError) and exc.code in _FINAL_STATUS:
                raise DownloadError(f"cannot download {url}: HTTP {exc.code} {exc.reason}") from exc
            unreachable = unreachable_reason(exc)
            if unreachable:
                raise DownloadError(
                    f"cannot reach {urlsplit(url).hostname}: {unreachable} (not retried: this "
                    "machine looks offline)",
                    unreachable=True,
                ) from exc
            if attempt == retry.attempts:
                resume = f"; run again to resume from {part}" if part.exists() else ""
                raise DownloadError(
                    f"cannot download {url} after {attempt} attempts: {exc}{resume}"
                ) from exc
            wait = retry.backoff_s * 2 ** (attempt - 1)
            logger.warning("download interrupted (%s); retry %d in %.1fs", exc, attempt, wait)
            sleep(wait)
    found = file_sha256(part)
    if sha256 is not None and found != sha256.lower():
        part.unlink()
        raise ChecksumMismatchError(dest, sha256.lower(), found)
    os.replace(part, dest)
    return Downloaded(dest, found, dest.stat().st_size, resumed_from)


def unreachable_reason(exc: BaseException) -> str:
    """Why the host cannot be reached at all (no name resolution, no route), else ''."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.gaierror):
        return f"its name does not resolve ({reason.strerror or reason})"
    if isinstance(reason, OSError) and reason.errno in _NO_ROUTE:
        return f"no network route to it ({reason.strerror or reason})"
    return ""


def _fetch_into(url: str, part: Path, timeout_s: float, progress: bool) -> None:
    """One attempt: continue `part` from its current size; raises on a short or failed read."""
    offset = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": "tlumach-models/1"})  # noqa: S310
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout_s)  # noqa: S310 - scheme checked
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:
            # Nothing left to send: the part file is already whole (the checksum will tell).
            return
        raise
    with response:
        if offset and response.status != 206:
            logger.info("server ignored the Range request; downloading %s from the start", url)
            offset = 0
        total = _expected_total(response, offset)
        with part.open("ab" if offset else "wb") as sink:
            received = _copy(response, sink, offset, total, progress, part.name)
    if total is not None and received < total:
        raise http.client.IncompleteRead(b"", total - received)


def _expected_total(response: http.client.HTTPResponse, offset: int) -> int | None:
    content_range = response.headers.get("Content-Range", "")
    if "/" in content_range and not content_range.endswith("/*"):
        return int(content_range.rsplit("/", 1)[1])
    length = response.headers.get("Content-Length")
    return offset + int(length) if length is not None else None


def _copy(
    response: BinaryIO, sink: BinaryIO, offset: int, total: int | None, progress: bool, name: str
) -> int:
    received = offset
    with tqdm(
        total=total,
        initial=offset,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=name,
        disable=not progress,
        leave=False,
    ) as bar:
        while chunk := response.read(CHUNK_BYTES):
            sink.write(chunk)
            received += len(chunk)
            bar.update(len(chunk))
    return received


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
