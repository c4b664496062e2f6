"""Log formatting: one JSON object per line for log shippers, a readable line for people."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Mapping
from typing import Any, TextIO

from service.config import LOG_FORMATS, LOG_LEVELS
from service.errors import ConfigError

# The only extra fields a record may carry into the output, with the types they must have. A
# whitelist rather than "every extra attribute" so that a careless `extra={"text": ...}` can never
# put a user's text into the logs.
REQUEST_FIELDS: Mapping[str, tuple[type, ...]] = {
    "rpc": (str,),
    "pair": (str,),
    "texts": (int,),
    "characters": (int,),
    "latency_ms": (int, float),
    "status": (str,),
    "request_id": (str,),
}
# Client-chosen strings (request ids) are cut so one request cannot flood a log line.
MAX_FIELD_CHARS = 128
_HANDLER_NAME = "tlumach"


def request_fields(
    *,
    rpc: str,
    pair: str,
    texts: int,
    characters: int,
    latency_ms: float,
    status: str,
    request_id: str = "",
) -> dict[str, object]:
    """The `extra=` mapping for the one log line written per finished request."""
    return {
        "rpc": rpc,
        "pair": pair,
        "texts": texts,
        "characters": characters,
        "latency_ms": round(latency_ms, 3),
        "status": status,
        "request_id": request_id,
    }


def _fields_of(record: logging.LogRecord) -> dict[str, object]:
    """The whitelisted request fields present on a record, with the right types."""
    found: dict[str, object] = {}
    for name, types in REQUEST_FIELDS.items():
        value = getattr(record, name, None)
        # bool is an int subclass but never a count; drop it with everything mistyped.
        if value is None or isinstance(value, bool) or not isinstance(value, types):
            continue
        found[name] = value[:MAX_FIELD_CHARS] if isinstance(value, str) else value
    return found


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and the request fields."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": _utc_timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update(_fields_of(record))
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        # json.dumps escapes newlines, so a record is always exactly one line.
        return json.dumps(payload, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger: message key=value ...` for a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = _fields_of(record)
        if not fields:
            return line
        head, newline, tail = line.partition("\n")
        pairs = " ".join(f"{name}={value}" for name, value in fields.items())
        return f"{head} {pairs}{newline}{tail}"


def _utc_timestamp(created: float) -> str:
    seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created))
    return f"{seconds}.{int(created % 1 * 1000):03d}Z"


def configure_logging(fmt: str, level: str, stream: TextIO | None = None) -> logging.Handler:
    """Install one handler on the root logger (replacing an earlier one of ours) and return it."""
    if fmt not in LOG_FORMATS:
        raise ConfigError(
            f"log_format={fmt!r} is not accepted; use one of: {', '.join(LOG_FORMATS)}"
        )
    if level.upper() not in LOG_LEVELS:
        raise ConfigError(
            f"log_level={level!r} is not accepted; use one of: {', '.join(LOG_LEVELS)}"
        )
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler
