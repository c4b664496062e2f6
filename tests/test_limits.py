"""Every field of every rpc has a limit, and going past it is INVALID_ARGUMENT naming the field
and the limit, through a real server (the shared one: 16 texts of 5,000 characters at most).

The first three tests are the INTERNALs issue 13 saw: a single-letter inline term, a TMX upload
with 1,500 nested inline elements and a CSV upload with one 10 MB field.
"""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import pytest

from service.config import Settings
from service.errors import InvalidArgumentError
from service.pb import translation_pb2 as pb
from service.translation.request import MAX_INLINE_TERMS, check_texts
from tests.conftest import RunningServer

SENTENCE = "Ukrainian troops advanced 2 km into the Kursk region."
MAX_DETAILS_CHARS = 1000


def entry(entry_id: str = "e", **terms: list[str]) -> pb.InlineGlossaryEntry:
    return pb.InlineGlossaryEntry(
        id=entry_id,
        kind="place",
        gender="feminine",
        terms={language: pb.TermList(terms=values) for language, values in terms.items()},
    )


def translate(**fields: Any) -> pb.TranslateRequest:
    values: dict[str, Any] = {"texts": [SENTENCE], "source_language": "en"}
    values |= {"target_language": "uk", **fields}
    return pb.TranslateRequest(**values)


KURSK = {"en": ["Kursk"], "uk": ["Курськ"]}
ODD_KEY = "x" * 300
MANY_TERMS = [entry(f"e{n}", en=[f"K{n}" for n in range(30)]) for n in range(70)]


async def refused(call: Any, field: str) -> str:
    """The details of a call that must fail INVALID_ARGUMENT naming `field` first."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    details = caught.value.details() or ""
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, details
    assert details.startswith(f"{field}: "), details
    assert len(details) <= MAX_DETAILS_CHARS
    return details


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"en": ["a"], "uk": ["Акація"]}, "inline_entries[1].terms.en[0]"),
        ({"en": ["Sudzha"], "uk": ["а"]}, "inline_entries[1].terms.uk[0]"),
    ],
)
async def test_a_single_letter_inline_term_is_refused_naming_it(
    server: RunningServer, terms: dict[str, list[str]], field: str
) -> None:
    request = translate(inline_entries=[entry("kursk", **KURSK), entry("a", **terms)])
    details = await refused(server.stub.Translate(request), field)
    assert "single character" in details


async def test_a_tmx_upload_nested_1500_deep_is_refused_naming_content(
    server: RunningServer,
) -> None:
    segment = "<hi>" * 1500 + "Sudzha" + "</hi>" * 1500
    tmx = f"<tmx><body><tu><tuv xml:lang='en'><seg>{segment}</seg></tuv></tu></body></tmx>"
    call = server.stub.CheckGlossary(pb.CheckGlossaryRequest(content=tmx.encode(), format="tmx"))
    assert "nested more than 64 deep" in await refused(call, "content")


async def test_a_csv_upload_with_a_10_mb_field_is_refused_naming_content(
    server: RunningServer,
) -> None:
    content = b"en,uk\n" + b"a" * 10_000_000 + ",\xd0\xb1\n".encode()
    call = server.stub.CheckGlossary(pb.CheckGlossaryRequest(content=content, format="csv"))
    assert "a cell longer than" in await refused(call, "content")


@pytest.mark.parametrize(
    ("request_fields", "field"),
    [
        ({"texts": []}, "texts"),
        ({"texts": ["Hi."] * 17}, "texts"),
        ({"texts": ["Hi.", "x" * 5001]}, "texts[1]"),
        ({"source_language": "x" * 10_000}, "source_language"),
        ({"target_language": ""}, "target_language"),
        ({"text_format": 7}, "text_format"),
        ({"options": pb.TranslateOptions(beam_size=9)}, "options.beam_size"),
        ({"options": pb.TranslateOptions(alternatives=2**32 - 1)}, "options.alternatives"),
        ({"glossary_ids": ["news-ua"] * 17}, "glossary_ids"),
        ({"glossary_ids": ["news-ua", "g" * 129]}, "glossary_ids[1]"),
        ({"glossary_ids": ["news\nua"]}, "glossary_ids[0]"),
        ({"glossary_ids": [""]}, "glossary_ids[0]"),
        ({"request_id": "r1\n2026-12-03 ERROR forged"}, "request_id"),
        ({"request_id": "r" * 129}, "request_id"),
        ({"inline_entries": [entry("i" * 129, **KURSK)]}, "inline_entries[0].id"),
        ({"inline_entries": [entry(en=["Kursk"], uk=["в"])]}, "inline_entries[0].terms.uk[0]"),
        ({"inline_entries": [entry(en=["Kursk"], uk=["—"])]}, "inline_entries[0].terms.uk[0]"),
        ({"inline_entries": [entry(en=["K" * 201], uk=["Курськ"])]},
         "inline_entries[0].terms.en[0]"),
        ({"inline_entries": [entry(en=["in the"], uk=["Курськ"])]},
         "inline_entries[0].terms.en[0]"),
        ({"inline_entries": [entry(en=["Kursk"], uk=[f"Курськ{n}" for n in range(33)])]},
         "inline_entries[0].terms.uk"),
        ({"inline_entries": [entry(en=["Kursk"], **{ODD_KEY: ["Курськ"]})]},
         "inline_entries[0].terms['xxxxxxxxxxxxxxxx'... (300 characters)]"),
        ({"inline_entries": MANY_TERMS}, "inline_entries"),
    ],
)  # fmt: skip
async def test_each_translate_field_is_checked(
    server: RunningServer, request_fields: dict[str, Any], field: str
) -> None:
    await refused(server.stub.Translate(translate(**request_fields)), field)


def test_the_inline_term_total_of_the_last_case_is_over_the_limit() -> None:
    assert sum(len(e.terms["en"].terms) for e in MANY_TERMS) > MAX_INLINE_TERMS


async def test_a_stream_item_names_its_field_and_the_stream_goes_on(
    server: RunningServer,
) -> None:
    items = [
        pb.TranslateStreamRequest(item_id="i" * 129, request=translate()),
        pb.TranslateStreamRequest(item_id="2", request=translate(texts=["x" * 5001])),
        pb.TranslateStreamRequest(item_id="3", request=translate()),
    ]
    answers = [answer async for answer in server.stub.TranslateStream(iter(items), timeout=60)]
    by_id = {answer.item_id: answer for answer in answers}
    invalid = grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert by_id["i" * 129].status_code == invalid
    assert by_id["i" * 129].error_message.startswith("item_id: ")
    assert by_id["2"].status_code == invalid
    assert by_id["2"].error_message.startswith("texts[0]: ")
    assert by_id["3"].status_code == 0


@pytest.mark.parametrize(
    ("texts", "field"),
    [([], "texts"), (["Hi."] * 17, "texts"), (["Hi.", "x" * 5001], "texts[1]")],
)
async def test_detection_shares_the_text_limits_of_translate(
    server: RunningServer, texts: list[str], field: str
) -> None:
    call = server.stub.DetectLanguage(pb.DetectLanguageRequest(texts=texts))
    await refused(call, field)


def test_the_total_character_limit_is_shared_too() -> None:
    settings = Settings(max_text_chars=10, max_request_chars=15)
    check_texts(("a" * 10, "b" * 5), settings)
    with pytest.raises(InvalidArgumentError, match="16 characters in all exceed the limit of 15"):
        check_texts(("a" * 10, "b" * 6), settings)


@pytest.mark.parametrize("glossary_id", ["", "g" * 129, "news\nua"])
async def test_a_glossary_id_is_checked_before_it_is_looked_up(
    server: RunningServer, glossary_id: str
) -> None:
    call = server.stub.GetGlossary(pb.GetGlossaryRequest(glossary_id=glossary_id))
    await refused(call, "glossary_id")


async def test_an_unknown_glossary_is_not_found_and_its_id_is_cut(server: RunningServer) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await server.stub.GetGlossary(pb.GetGlossaryRequest(glossary_id="n" * 128))
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert "(128 characters)" in (caught.value.details() or "")


@pytest.mark.parametrize(
    ("upload", "field"),
    [
        (pb.CheckGlossaryRequest(content=b"x", format="x" * 20_000), "format"),
        (pb.CheckGlossaryRequest(content=b"x", format="csv", column_languages=["en"] * 4),
         "column_languages"),
        (pb.CheckGlossaryRequest(content=b"x", format="csv", column_languages=["e" * 17]),
         "column_languages[0]"),
    ],
)  # fmt: skip
async def test_each_check_glossary_field_is_checked(
    server: RunningServer, upload: pb.CheckGlossaryRequest, field: str
) -> None:
    await refused(server.stub.CheckGlossary(upload), field)


@pytest.mark.parametrize("length", [999, 1000, 1001, 5000, 10**7])
def test_a_status_message_is_cut_to_the_limit_with_its_length(length: int) -> None:
    from service.edge.status import MAX_MESSAGE_CHARS, bounded

    message = "texts[0]: " + "x" * (length - 10)
    shown = bounded(message)
    assert len(shown) <= MAX_MESSAGE_CHARS
    assert shown.startswith("texts[0]: ")
    assert shown == message or shown.endswith(f"({length} characters)")


async def test_many_hostile_uploads_at_once_are_refused_and_the_server_answers(
    server: RunningServer,
) -> None:
    """The upload checks run in worker threads: 24 hostile files at once are all refused by
    name, and an unrelated call answers while they are being read."""
    deep = "<tmx><body><tu><tuv xml:lang='en'><seg>" + "<hi>" * 1500 + "</hi>" * 1500
    wide = "<tmx><body>" + "<x/>" * 600_000 + "</body></tmx>"
    cell = "en,uk\n" + "a" * 1_000_000 + ",б\n"
    uploads = [
        pb.CheckGlossaryRequest(content=content.encode(), format=fmt)
        for content, fmt in ((deep, "tmx"), (wide, "tmx"), (cell, "csv")) * 8
    ]
    calls = [server.stub.CheckGlossary(upload, timeout=120) for upload in uploads]
    pending = asyncio.gather(*(refused(call, "content") for call in calls))
    pairs = await server.stub.ListLanguagePairs(pb.ListLanguagePairsRequest(), timeout=30)
    assert pairs.pairs
    assert len(await pending) == len(uploads)
