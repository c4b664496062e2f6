"""Hostile glossary files: each is refused or reported, named, within bounded work, never raised.

The cases are the ones that reached INTERNAL or ran for minutes before (issue 13): nested inline
elements, a cell of megabytes, a bare CR, an integer of 100,000 digits, a made-up encoding,
nesting 100,000 deep, millions of elements, and 20,000 rows with the same term.
"""

from __future__ import annotations

import pytest

from service.glossary.check import MAX_UPLOAD_ENTRIES, CheckResult, Upload, check_glossary
from service.glossary.io.xml_tree import MAX_XML_DEPTH, MAX_XML_ELEMENTS
from service.glossary.paradigms.compiler import Compiler


@pytest.fixture(scope="module")
def compiler() -> Compiler:
    return Compiler()


def check(data: bytes | str, fmt: str, compiler: Compiler, **extra: object) -> CheckResult:
    return check_glossary(
        data, fmt=fmt, glossary_id="up", source="request", compiler=compiler, **extra
    )  # type: ignore[arg-type]


def only_problem(result: CheckResult) -> str:
    assert result.compiled is None
    assert len(result.problems) == 1, result.problems
    return result.problems[0].message


def tmx(segment: str) -> str:
    return (
        "<tmx version='1.4'><header/><body><tu>"
        f"<tuv xml:lang='en'><seg>{segment}</seg></tuv><tuv xml:lang='uk'><seg>Суджа</seg></tuv>"
        "</tu></body></tmx>"
    )


def test_a_tmx_segment_nested_1500_deep_is_over_the_depth_limit(compiler: Compiler) -> None:
    result = check(tmx("<hi>" * 1500 + "Sudzha" + "</hi>" * 1500), "tmx", compiler)
    assert result.over_limit
    assert f"nested more than {MAX_XML_DEPTH} deep" in only_problem(result)


def test_nesting_within_the_limit_still_reads_the_segment(compiler: Compiler) -> None:
    result = check(tmx("<hi>" * 20 + "Sudzha" + "</hi>" * 20), "tmx", compiler)
    assert result.ok, result.problems
    assert result.glossary is not None
    assert result.glossary.entries[0].terms["en"] == ("Sudzha",)


def test_a_tbx_term_nested_100000_deep_is_refused_at_the_limit(compiler: Compiler) -> None:
    inner = "<x>" * 100_000 + "Суджа" + "</x>" * 100_000
    data = (
        "<martif type='TBX'><text><body><termEntry><langSet xml:lang='uk'><tig>"
        f"<term>{inner}</term></tig></langSet></termEntry></body></text></martif>"
    )
    assert check(data, "tbx", compiler).over_limit


def test_millions_of_elements_are_over_the_element_limit(compiler: Compiler) -> None:
    data = "<tmx><body>" + "<x/>" * (MAX_XML_ELEMENTS + 10) + "</body></tmx>"
    result = check(data, "tmx", compiler)
    assert result.over_limit
    assert f"more than {MAX_XML_ELEMENTS} elements" in only_problem(result)


@pytest.mark.parametrize("encoding", ["no-such-codec", "utf-32"])
def test_an_encoding_expat_cannot_read_is_named(encoding: str, compiler: Compiler) -> None:
    data = f"<?xml version='1.0' encoding='{encoding}'?><tmx/>".encode()
    result = check(data, "tmx", compiler)
    assert not result.over_limit
    assert "an encoding that cannot be read" in only_problem(result)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_cell_of_ten_megabytes_is_over_the_cell_limit(fmt: str, compiler: Compiler) -> None:
    separator = "," if fmt == "csv" else "\t"
    data = f"en{separator}uk\n" + "a" * 10_000_000 + f"{separator}б\n"
    result = check(data.encode(), fmt, compiler)
    assert result.over_limit
    assert "a cell longer than" in only_problem(result)
    assert result.problems[0].entry_id == "line 2"


def test_bare_carriage_returns_end_lines(compiler: Compiler) -> None:
    result = check(b"en,uk\rSudzha,\xd0\xa1\xd1\x83\xd0\xb4\xd0\xb6\xd0\xb0\r", "csv", compiler)
    assert result.ok, result.problems
    assert result.glossary is not None
    assert result.glossary.entries[0].terms == {"en": ("Sudzha",), "uk": ("Суджа",)}


def test_an_integer_of_100000_digits_is_not_valid_yaml(compiler: Compiler) -> None:
    data = "name: 1" + "0" * 100_000 + "\nentries: []\n"
    assert "not valid YAML" in only_problem(check(data, "yaml", compiler))


def test_twenty_thousand_rows_of_one_term_get_numbered_ids(compiler: Compiler) -> None:
    english = "<tuv xml:lang='en'><seg>Sudzha</seg></tuv>"
    rows = "".join(
        f"<tu>{english}<tuv xml:lang='uk'><seg>С{n}</seg></tuv></tu>" for n in range(20_000)
    )
    result = check(f"<tmx><body>{rows}</body></tmx>", "tmx", compiler, max_entries=None)
    assert result.glossary is not None
    ids = [entry.id for entry in result.glossary.entries]
    assert ids[:3] == ["sudzha", "sudzha_2", "sudzha_3"]
    assert ids[-1] == "sudzha_20000"
    assert len(set(ids)) == len(ids)


def test_an_upload_over_the_entry_limit_is_refused_before_compiling(compiler: Compiler) -> None:
    rows = "".join(f"en_{n},ук_{n}\n" for n in range(MAX_UPLOAD_ENTRIES + 1))
    result = check(f"en,uk\n{rows}", "csv", compiler, max_entries=MAX_UPLOAD_ENTRIES)
    assert result.over_limit
    assert f"at most {MAX_UPLOAD_ENTRIES}" in only_problem(result)


@pytest.mark.parametrize(
    ("upload", "field"),
    [
        (Upload(b"", "csv", ("en", "uk", "ru", "de")), "column_languages"),
        (Upload(b"", "csv", ("en", "u" * 17)), "column_languages[1]"),
        (Upload(b"", "csv", ("en\n",)), "column_languages[0]"),
    ],
)
def test_upload_fields_are_checked_naming_the_field(upload: Upload, field: str) -> None:
    """(The format name is checked where the request is decoded: tests/test_codec.py.)"""
    from service.errors import InvalidArgumentError

    with pytest.raises(InvalidArgumentError) as caught:
        upload.validate()
    assert caught.value.field == field
    assert len(str(caught.value)) < 200, "the message repeats at most a little of the value"


def test_a_utf16_byte_order_mark_on_what_is_not_utf16_is_named(compiler: Compiler) -> None:
    data = b"\xff\xfe" + b"en,uk\n"[:5]  # an odd number of bytes cannot be UTF-16
    message = only_problem(check(data, "csv", compiler))
    assert "byte-order mark but is not UTF-16" in message
