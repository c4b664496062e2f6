"""Fuzz every rpc through a real server: every answer is OK or a caller error naming the field,
never INTERNAL, UNKNOWN or a crash, and an unrelated call answers after each (support/fuzz.py).
"""

from __future__ import annotations

from typing import Any

import grpc
from hypothesis import given
from hypothesis import strategies as st

from service.edge.status import CODES_BY_VALUE
from service.pb import translation_pb2 as pb
from tests.conftest import FuzzTarget
from tests.support import fuzz
from tests.support.fuzz_files import FuzzedFile, glossary_files

SERVICE = pb.DESCRIPTOR.services_by_name["TranslationService"]


async def answered(rpc: str, call: Any) -> Any:
    """Await `call`; check the property on its status; the reply, or None for an error."""
    try:
        reply = await call
    except grpc.aio.AioRpcError as exc:
        fuzz.check_answer(rpc, exc.code(), exc.details() or "")
        return None
    fuzz.check_answer(rpc, grpc.StatusCode.OK, "")
    return reply


async def still_serving(target: FuzzTarget) -> None:
    """The unrelated call that must answer after every fuzzed one."""
    reply = await target.stub.ListLanguagePairs(pb.ListLanguagePairsRequest(), timeout=30)
    assert reply.pairs


@fuzz.fuzz_settings(1.0)
@given(
    request=st.one_of(
        fuzz.translate_requests(), fuzz.plausible_requests(), fuzz.plausible_requests()
    )
)
async def test_translate(fuzz_target: FuzzTarget, request: pb.TranslateRequest) -> None:
    call = fuzz_target.stub.Translate(request, timeout=fuzz.CALL_TIMEOUT_S)
    reply = await answered("Translate", call)
    if reply is not None:
        assert len(reply.results) == len(request.texts)
    await still_serving(fuzz_target)


@fuzz.fuzz_settings(0.5)
@given(items=fuzz.stream_items())
async def test_translate_stream(
    fuzz_target: FuzzTarget, items: list[pb.TranslateStreamRequest]
) -> None:
    call = fuzz_target.stub.TranslateStream(iter(items), timeout=fuzz.CALL_TIMEOUT_S)
    answers = []
    try:
        async for answer in call:
            answers.append(answer)
    except grpc.aio.AioRpcError as exc:
        fuzz.check_answer("TranslateStream", exc.code(), exc.details() or "")
    else:
        fuzz.check_answer("TranslateStream", grpc.StatusCode.OK, "")
    assert len(answers) == len(items), "every item is answered"
    for answer in answers:
        code = CODES_BY_VALUE.get(answer.status_code, grpc.StatusCode.UNKNOWN)
        fuzz.check_answer("TranslateStream item", code, answer.error_message)
    await still_serving(fuzz_target)


@fuzz.fuzz_settings(0.5)
@given(request=fuzz.detect_requests())
async def test_detect_language(fuzz_target: FuzzTarget, request: pb.DetectLanguageRequest) -> None:
    call = fuzz_target.stub.DetectLanguage(request, timeout=fuzz.CALL_TIMEOUT_S)
    reply = await answered("DetectLanguage", call)
    if reply is not None:
        assert len(reply.detections) == len(request.texts)
    await still_serving(fuzz_target)


@fuzz.fuzz_settings(0.5)
@given(glossary_id=fuzz.glossary_ids())
async def test_get_glossary(fuzz_target: FuzzTarget, glossary_id: str) -> None:
    request = pb.GetGlossaryRequest(glossary_id=glossary_id)
    await answered("GetGlossary", fuzz_target.stub.GetGlossary(request, timeout=30))
    await still_serving(fuzz_target)


@fuzz.fuzz_settings(1.0)
@given(
    upload=glossary_files(),
    # Mostly the file's own format and no column languages, so that most files reach a parser.
    fmt=st.sampled_from((None,) * 6 + ("", "yaml", "docx", "x" * 300)),
    columns=st.one_of(
        st.just([]),
        st.just(["en", "uk"]),
        st.lists(st.sampled_from(("en", "uk", "ru", "xx", "e" * 20)), max_size=4),
    ),
)
async def test_check_glossary(
    fuzz_target: FuzzTarget, upload: FuzzedFile, fmt: str | None, columns: list[str]
) -> None:
    request = pb.CheckGlossaryRequest(
        content=upload.content,
        format=upload.fmt if fmt is None else fmt,
        column_languages=columns,
    )
    call = fuzz_target.stub.CheckGlossary(request, timeout=fuzz.CALL_TIMEOUT_S)
    reply = await answered("CheckGlossary", call)
    if reply is not None and not reply.valid:
        assert reply.problems, "an invalid file says what is wrong with it"
    await still_serving(fuzz_target)


_REQUESTS = {
    "Translate": pb.TranslateRequest(texts=["Hi."], target_language="uk", request_id="r"),
    "TranslateStream": pb.TranslateStreamRequest(
        item_id="1", request=pb.TranslateRequest(texts=["Hi."], target_language="uk")
    ),
    "DetectLanguage": pb.DetectLanguageRequest(texts=["Привіт."]),
    "ListLanguagePairs": pb.ListLanguagePairsRequest(),
    "ListGlossaries": pb.ListGlossariesRequest(),
    "GetGlossary": pb.GetGlossaryRequest(glossary_id="news-ua"),
    "CheckGlossary": pb.CheckGlossaryRequest(content="en,uk\nKyiv,Київ\n".encode(), format="csv"),
}


@fuzz.fuzz_settings(1.0)
@given(data=st.data(), rpc=st.sampled_from(sorted(_REQUESTS)))
async def test_raw_bytes_on_the_wire(
    fuzz_target: FuzzTarget, data: st.DataObject, rpc: str
) -> None:
    """Any bytes as the request of any rpc: mostly near-valid messages, cut or flipped."""
    payload = data.draw(fuzz.wire_bytes(_REQUESTS[rpc]))
    path = f"/{SERVICE.full_name}/{rpc}"
    if rpc == "TranslateStream":
        stream = fuzz_target.channel.stream_stream(path)
        try:
            async for _ in stream(iter([payload]), timeout=fuzz.CALL_TIMEOUT_S):
                pass
        except grpc.aio.AioRpcError as exc:
            fuzz.check_answer(rpc, exc.code(), exc.details() or "")
        else:
            fuzz.check_answer(rpc, grpc.StatusCode.OK, "")
    else:
        unary = fuzz_target.channel.unary_unary(path)
        await answered(rpc, unary(payload, timeout=fuzz.CALL_TIMEOUT_S))
    await still_serving(fuzz_target)
