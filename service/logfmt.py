"""Log formatting: one JSON object per line for log shippers, a readable line for people."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Mapping
from typing import Any, TextIO

from service.caller import CALLER_ID
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
    "caller": (str,),
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
        # The caller id is the operator's short name of a token, set for the rpc being served.
        value = getattr(record, name, None) if name != "caller" else CALLER_ID.get() or None
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
    """`time LEVEL logger: message key=value ...` for a terminal, one record per line.

    A message or field may hold what a caller sent (a request id, a glossary id in an error), so
    control, line-separator and bidirectional-override characters are written as escapes: a
    caller cannot end the line and forge a record of its own. A traceback keeps its lines, each
    indented, so that none of them can pass for the start of a record.
    """

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.message = escape_controls(record.getMessage())
        record.asctime = self.formatTime(record, self.datefmt)
        line = self.formatMessage(record)
        fields = _fields_of(record)
        if fields:
            pairs = " ".join(f"{name}={escape_controls(str(v))}" for name, v in fields.items())
            line = f"{line} {pairs}"
        trace = []
        if record.exc_info:
            trace.append(self.formatException(record.exc_info))
        if record.stack_info:
            trace.append(self.formatStack(record.stack_info))
        for block in trace:
            line += "".join(f"\n    {escape_controls(part)}" for part in block.splitlines())
        return line


# C0 and C1 controls (newline, carriage return, escape...), DEL, the Unicode line and paragraph
# separators, zero-width characters, bidirectional overrides and isolates, and the BOM.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def escape_controls(value: str) -> str:
    """`value` with every control character written as a visible escape (\\n, \\x1b, \\u2028)."""
    return _CONTROLS.sub(_escape, value)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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
