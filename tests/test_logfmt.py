"""JSON and text log formats: one line per record, request fields only, never request text."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.errors import ConfigError
from service.logfmt import MAX_FIELD_CHARS, configure_logging, request_fields


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _log(fmt: str, message: str, *args: object, **extra: object) -> str:
    stream = io.StringIO()
    configure_logging(fmt, "INFO", stream)
    logging.getLogger("service.edge.servicer").info(message, *args, extra=extra)
    return stream.getvalue()


def test_json_line_carries_request_fields() -> None:
    fields = request_fields(
        rpc="Translate",
        pair="en-uk",
        texts=3,
        characters=1200,
        latency_ms=41.23456,
        status="OK",
        request_id="req-17",
    )
    out = _log("json", "rpc %s finished", "Translate", **fields)
    assert out.count("\n") == 1
    record = json.loads(out)
    assert record["message"] == "rpc Translate finished"
    assert record["level"] == "INFO"
    assert record["logger"] == "service.edge.servicer"
    assert record["time"].endswith("Z")
    assert {k: record[k] for k in fields} == {**fields, "latency_ms": 41.235}


def test_json_drops_fields_outside_the_whitelist_and_mistyped_ones() -> None:
    out = _log(
        "json",
        "done",
        text="Зеленський прибув до Києва",
        texts=["a user sentence"],
        characters=True,
        pair="en-uk",
    )
    record = json.loads(out)
    assert "Зеленський" not in out
    assert "a user sentence" not in out
    assert "text" not in record
    assert "texts" not in record
    assert "characters" not in record
    assert record["pair"] == "en-uk"


def test_client_request_id_is_cut() -> None:
    record = json.loads(_log("json", "done", request_id="x" * 10_000))
    assert record["request_id"] == "x" * MAX_FIELD_CHARS


def test_exception_stays_on_one_json_line() -> None:
    stream = io.StringIO()
    configure_logging("json", "INFO", stream)
    try:
        raise ValueError("engine failed\nsecond line")
    except ValueError:
        logging.getLogger("service.model_store.engine").exception("batch failed for %s", "en-uk")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["level"] == "ERROR"
    assert "ValueError: engine failed" in record["exception"]


def test_text_format_is_readable_with_key_values() -> None:
    out = _log("text", "rpc finished", pair="uk-en", status="OK", latency_ms=12.5)
    assert out.rstrip().endswith(
        "INFO service.edge.servicer: rpc finished pair=uk-en latency_ms=12.5 status=OK"
    )
    assert not out.lstrip().startswith("{")


def test_level_filters_and_reconfiguring_replaces_the_handler() -> None:
    first, second = io.StringIO(), io.StringIO()
    configure_logging("text", "INFO", first)
    configure_logging("json", "warning", second)
    ours = [h for h in logging.getLogger().handlers if h.get_name() == "tlumach"]
    assert len(ours) == 1
    logging.getLogger("x").info("hidden")
    logging.getLogger("x").warning("shown")
    assert first.getvalue() == ""
    assert [json.loads(line)["message"] for line in second.getvalue().splitlines()] == ["shown"]


@pytest.mark.parametrize(
    ("fmt", "level", "field"), [("yaml", "INFO", "log_format"), ("json", "LOUD", "log_level")]
)
def test_bad_settings_name_the_field_and_choices(fmt: str, level: str, field: str) -> None:
    with pytest.raises(ConfigError, match=rf"{field}=.*use one of"):
        configure_logging(fmt, level, io.StringIO())


@settings(max_examples=200, deadline=None)
@given(message=st.text(), request_id=st.text())
def test_any_message_is_exactly_one_valid_json_line(message: str, request_id: str) -> None:
    out = _log("json", "%s", message, request_id=request_id)
    assert out.endswith("\n")
    assert out.count("\n") == 1
    record = json.loads(out)
    assert record["message"] == message
    assert record["request_id"] == request_id[:MAX_FIELD_CHARS]


FORGED = "req-1 status=OK\n2030-01-01 00:00:00,000 ERROR service.edge.servicer: disk full"


def test_a_request_id_cannot_forge_a_text_log_line() -> None:
    out = _log("text", "rpc finished", request_id=FORGED, status="INVALID_ARGUMENT")
    assert out.count("\n") == 1, out
    assert "request_id=req-1 status=OK\\n2030-01-01 00:00:00,000 ERROR" in out
    assert "\nERROR" not in out
    assert "\n2030" not in out


@pytest.mark.parametrize(
    ("char", "escape"),
    [
        ("\r", "\\r"),
        ("\x1b", "\\x1b"),
        ("\x85", "\\x85"),
        ("\u2028", "\\u2028"),
        ("\u202e", "\\u202e"),
        ("\x00", "\\x00"),
    ],
)
def test_every_printed_field_escapes_control_characters(char: str, escape: str) -> None:
    out = _log("text", "glossary %s failed", f"id{char}x", request_id=f"r{char}1", pair=f"p{char}")
    assert char not in out.rstrip("\n")
    assert f"glossary id{escape}x failed" in out
    assert f"request_id=r{escape}1" in out
    assert f"pair=p{escape}" in out


def test_a_traceback_keeps_its_lines_but_none_starts_like_a_record() -> None:
    stream = io.StringIO()
    configure_logging("text", "INFO", stream)
    try:
        raise ValueError("bad\n2030-01-01 00:00:00,000 ERROR x: forged")
    except ValueError:
        logging.getLogger("service.model_store.engine").exception("batch failed for %s", "en-uk")
    first, *rest = stream.getvalue().rstrip("\n").split("\n")
    assert "ERROR service.model_store.engine: batch failed for en-uk" in first
    assert rest
    assert all(line.startswith("    ") for line in rest)
    assert any("ValueError: bad" in line for line in rest)


@settings(max_examples=300, deadline=None)
@given(message=st.text(), request_id=st.text(), rpc=st.text())
def test_any_text_record_is_exactly_one_line(message: str, request_id: str, rpc: str) -> None:
    out = _log("text", "%s", message, request_id=request_id, rpc=rpc)
    assert out.endswith("\n")
    assert len(out[:-1].splitlines()) == 1, repr(out)


def test_the_callers_short_id_rides_along_from_the_context() -> None:
    from service.caller import CALLER_ID

    token = CALLER_ID.set("newsroom")
    try:
        text = _log("text", "rpc finished", status="OK")
        record = json.loads(_log("json", "rpc finished", status="OK"))
    finally:
        CALLER_ID.reset(token)
    assert text.rstrip().endswith("status=OK caller=newsroom")
    assert record["caller"] == "newsroom"
    assert "caller" not in json.loads(_log("json", "rpc finished"))
