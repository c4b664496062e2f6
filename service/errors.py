"""Domain exceptions; the servicer maps each class to one gRPC status code."""

from __future__ import annotations

QUOTED_CHARS = 40
"""How much of a caller's value an error message repeats: enough to recognise it, never a flood
(a status message travels in a header, which clients cap at a few kilobytes)."""


def quoted(value: str, limit: int = QUOTED_CHARS) -> str:
    """`value` as an error message shows it: quoted, and cut (with its length) when long."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}... ({len(value)} characters)"


class TlumachError(Exception):
    """Base class of every error the service reports to a caller."""


class InvalidArgumentError(TlumachError):
    """The caller sent something the service cannot accept; the message names field and limit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class NotFoundError(TlumachError):
    """A named resource (a glossary) does not exist; the message names the field that named it."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field


class PairNotAvailableError(TlumachError):
    """The requested language pair is known but not loaded or not serving."""


class RetryableError(TlumachError):
    """The service cannot take the work now; the caller should retry after `retry_after_s`."""

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class QueueFullError(RetryableError):
    """A pair's queue is full; the caller should retry after `retry_after_s`."""

    def __init__(self, pair: str, capacity: int, retry_after_s: float) -> None:
        super().__init__(
            f"queue for {pair} is full ({capacity} sentences); retry after {retry_after_s:.1f}s",
            retry_after_s,
        )
        self.pair = pair


class OverloadedError(RetryableError):
    """The server cannot take a request now: too much work is waiting to finish it in time."""


class QuotaExceededError(RetryableError):
    """A caller used up its request or character quota; it may retry after `retry_after_s`."""

    def __init__(self, quota: str, limit: int, retry_after_s: float) -> None:
        super().__init__(
            f"quota exceeded: {quota} (limit {limit} per minute); retry after {retry_after_s:.1f}s",
            retry_after_s,
        )
        self.quota = quota


class DeadlineExceededError(TlumachError):
    """The caller's deadline passed before the work was done."""


class DrainingError(TlumachError):
    """The server is shutting down and accepts no new work."""


class ConfigError(TlumachError):
    """Settings are invalid; the message lists the accepted values."""


class ModelError(TlumachError):
    """A model directory is missing, inconsistent or fails to load."""


class GlossaryError(TlumachError):
    """A glossary file or entry is invalid; the message names file, entry and field."""

    def __init__(self, message: str, *, file: str = "", entry: str = "", field: str = "") -> None:
        where = ", ".join(
            part
            for part in (
                f"file {file}" if file else "",
                f"entry {entry}" if entry else "",
                f"field {field}" if field else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.entry = entry
        self.field = field


class GlossaryLimitError(GlossaryError):
    """A glossary file is over a size limit (bytes, nesting, elements, a cell, entries): refused
    before it costs more work, whereas other GlossaryErrors describe what is wrong in it."""
