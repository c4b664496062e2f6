"""End-to-end tests of the gRPC service on a real server with real fixture models."""

from __future__ import annotations

import asyncio
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from service.edge.status import retry_delay_of_call
from service.model_store.engine import Engine
from service.pb import translation_pb2 as pb
from tests.conftest import RunningServer, settings_for, start_server

SENTENCE = "Ukrainian troops advanced 2 km into the Kursk region."


def engine_output(models_dir: Path, pair: str, text: str) -> str:
    """What the raw engine makes of one sentence with the server's defaults."""
    engine = Engine(models_dir / pair, inter_threads=1, intra_threads=1, beam_size=2)
    return engine.translate_batch([text])[0][0].text


async def translate(
    server: RunningServer, texts: list[str], **fields: object
) -> pb.TranslateResponse:
    request = pb.TranslateRequest(
        texts=texts, **{"source_language": "en", "target_language": "uk", **fields}
    )
    return await server.stub.Translate(request)


async def test_one_sentence_equals_engine_output(server: RunningServer, models_dir: Path) -> None:
    response = await translate(server, [SENTENCE], request_id="req-1")
    assert response.request_id == "req-1"
    [result] = response.results
    assert result.text == engine_output(models_dir, "en-uk", SENTENCE)
    assert result.text
    assert result.source_language == "en"
    assert result.route == "en-uk"
    assert not result.demo_model, "the fixture models are real (not demo) models"
    assert not any("demo model" in warning for warning in result.warnings)


async def test_article_keeps_paragraphs_and_translates_each_sentence(
    server: RunningServer, models_dir: Path
) -> None:
    first, second, third = (
        "The president said that the talks will continue next week.",
        "Drones attacked the city at night.",
        "Nobody was hurt.",
    )
    article = f"  {first} {second}\n\n{third}\n"
    [result] = (await translate(server, [article])).results
    expected = [engine_output(models_dir, "en-uk", s) for s in (first, second, third)]
    assert result.text == f"  {expected[0]} {expected[1]}\n\n{expected[2]}\n"


async def test_concurrent_callers_share_batches(server: RunningServer) -> None:
    before = server.sample("tlumach_batch_size_sentences_count", {"pair": "en-uk"})
    singles = server.sample("tlumach_batch_size_sentences_bucket", {"pair": "en-uk", "le": "1.0"})
    texts = [f"The talks will continue in {n} weeks." for n in range(24)]
    responses = await asyncio.gather(*(translate(server, [text]) for text in texts))
    assert all(r.results[0].text for r in responses)
    batches = server.sample("tlumach_batch_size_sentences_count", {"pair": "en-uk"}) - before
    single = server.sample("tlumach_batch_size_sentences_bucket", {"pair": "en-uk", "le": "1.0"})
    assert batches < len(texts), "24 concurrent sentences should need fewer than 24 batches"
    assert single - singles < batches, "some batch must hold more than one sentence"


async def test_pivot_route_through_english(server: RunningServer, models_dir: Path) -> None:
    text = "Президент заявив, що переговори продовжаться."
    [result] = (
        await server.stub.Translate(
            pb.TranslateRequest(texts=[text], source_language="uk", target_language="ru")
        )
    ).results
    pivot = engine_output(models_dir, "uk-en", text)
    assert result.route == "uk-en+en-ru"
    assert result.text == engine_output(models_dir, "en-ru", pivot)


async def test_list_language_pairs_marks_pivots(server: RunningServer) -> None:
    response = await server.stub.ListLanguagePairs(pb.ListLanguagePairsRequest())
    pairs = {f"{p.source_language}-{p.target_language}": p for p in response.pairs}
    assert set(pairs) == {"en-uk", "uk-en", "en-ru", "uk-ru"}
    assert pairs["uk-ru"].pivot
    assert pairs["uk-ru"].pivot_language == "en"
    assert pairs["uk-ru"].model_name == "fixture-uk-en+fixture-en-ru"
    assert not pairs["en-uk"].pivot
    assert pairs["en-uk"].model_name == "fixture-en-uk"


async def test_stream_returns_every_item_and_reports_bad_ones(server: RunningServer) -> None:
    async def items():  # type: ignore[no-untyped-def]
        for n in range(12):
            request = pb.TranslateRequest(
                texts=[f"Drones attacked {n} towns."], source_language="en", target_language="uk"
            )
            yield pb.TranslateStreamRequest(item_id=f"item-{n}", request=request)
        bad = pb.TranslateRequest(texts=["x"], source_language="en", target_language="de")
        yield pb.TranslateStreamRequest(item_id="bad", request=bad)

    results = {r.item_id: r async for r in server.stub.TranslateStream(items())}
    assert set(results) == {f"item-{n}" for n in range(12)} | {"bad"}
    assert all(results[f"item-{n}"].response.results[0].text for n in range(12))
    assert results["bad"].status_code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert "target_language" in results["bad"].error_message


async def test_health_overall_and_per_pair(server: RunningServer) -> None:
    health = health_pb2_grpc.HealthStub(server.channel)
    serving = health_pb2.HealthCheckResponse.SERVING
    not_serving = health_pb2.HealthCheckResponse.NOT_SERVING
    overall = await health.Check(health_pb2.HealthCheckRequest(service=""))
    assert overall.status == serving
    per_pair = {
        pair: (
            await health.Check(
                health_pb2.HealthCheckRequest(service=f"tlumach.v1.TranslationService/{pair}")
            )
        ).status
        for pair in ("en-uk", "uk-ru", "ru-uk")
    }
    assert per_pair == {"en-uk": serving, "uk-ru": serving, "ru-uk": not_serving}


async def test_reflection_lists_the_service(server: RunningServer) -> None:
    stub = reflection_pb2_grpc.ServerReflectionStub(server.channel)

    async def ask():  # type: ignore[no-untyped-def]
        yield reflection_pb2.ServerReflectionRequest(list_services="")

    [answer] = [r async for r in stub.ServerReflectionInfo(ask())]
    names = {s.name for s in answer.list_services_response.service}
    assert {"tlumach.v1.TranslationService", "grpc.health.v1.Health"} <= names


@pytest.mark.parametrize(
    ("fields", "code", "needle"),
    [
        ({"texts": []}, grpc.StatusCode.INVALID_ARGUMENT, "texts"),
        ({"target_language": "de"}, grpc.StatusCode.INVALID_ARGUMENT, "target_language"),
        ({"source_language": "xx"}, grpc.StatusCode.INVALID_ARGUMENT, "source_language"),
        (
            {"source_language": "ru", "target_language": "uk"},
            grpc.StatusCode.FAILED_PRECONDITION,
            "ru-uk",
        ),
        ({"texts": ["a" * 5001]}, grpc.StatusCode.INVALID_ARGUMENT, "5000"),
        ({"texts": ["a"] * 17}, grpc.StatusCode.INVALID_ARGUMENT, "16"),
        (
            {"options": pb.TranslateOptions(beam_size=99)},
            grpc.StatusCode.INVALID_ARGUMENT,
            "beam_size",
        ),
        ({"text_format": 42}, grpc.StatusCode.INVALID_ARGUMENT, "text_format"),
        (
            {"source_language": "en", "target_language": "en"},
            grpc.StatusCode.INVALID_ARGUMENT,
            "source_language",
        ),
    ],
)
async def test_bad_input_names_the_field(
    server: RunningServer, fields: dict[str, object], code: grpc.StatusCode, needle: str
) -> None:
    values: dict[str, object] = {
        "texts": [SENTENCE],
        "source_language": "en",
        "target_language": "uk",
    }
    values.update(fields)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await server.stub.Translate(pb.TranslateRequest(**values))  # type: ignore[arg-type]
    assert caught.value.code() == code
    assert needle in (caught.value.details() or "")
    # The server keeps serving after a bad request.
    assert (await translate(server, [SENTENCE])).results[0].text


async def test_full_queue_answers_resource_exhausted(models_dir: Path) -> None:
    running = await start_server(settings_for(models_dir, max_queue_sentences=4))
    try:
        texts = [f"Sentence number {n}." for n in range(5)]
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await running.stub.Translate(
                pb.TranslateRequest(
                    texts=[" ".join(texts)], source_language="en", target_language="uk"
                )
            )
        assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        delay = retry_delay_of_call(caught.value)
        assert delay is not None, "RESOURCE_EXHAUSTED must carry google.rpc.RetryInfo"
        assert delay > 0
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)


async def test_expired_deadline_drops_queued_sentences(models_dir: Path) -> None:
    # Batches of one sentence make 1000 sentences take far longer than the deadline.
    running = await start_server(settings_for(models_dir, max_batch_size=1, max_text_chars=100_000))
    try:
        sentences = [f"Sentence {n} is about the war." for n in range(1000)]
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await running.stub.Translate(
                pb.TranslateRequest(
                    texts=[" ".join(sentences)], source_language="en", target_language="uk"
                ),
                timeout=0.2,
            )
        assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        await asyncio.sleep(1.0)  # let the workers drain what is left
        decoded = running.sample("tlumach_batch_size_sentences_sum", {"pair": "en-uk"})
        assert decoded < len(sentences), "sentences of an expired call must not all be decoded"
        # And the server still serves.
        assert (await translate(running, [SENTENCE])).results[0].text
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)


async def test_detect_language_tells_ukrainian_from_russian(server: RunningServer) -> None:
    response = await server.stub.DetectLanguage(
        pb.DetectLanguageRequest(
            texts=["Зеленський відвідав Харків.", "Зеленский посетил Харьков.", SENTENCE]
        )
    )
    best = [d.candidates[0].language for d in response.detections]
    assert best == ["uk", "ru", "en"]
    assert all(0 < d.candidates[0].confidence <= 1 for d in response.detections)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await server.stub.DetectLanguage(pb.DetectLanguageRequest())
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_empty_source_language_is_detected_per_text(server: RunningServer) -> None:
    response = await server.stub.Translate(
        pb.TranslateRequest(
            texts=[SENTENCE, "Президент заявив, що переговори тривають."], target_language="ru"
        )
    )
    english, ukrainian = response.results
    assert (english.source_language, english.route) == ("en", "en-ru")
    assert (ukrainian.source_language, ukrainian.route) == ("uk", "uk-en+en-ru")
    assert 0.5 < english.source_confidence <= 1


async def test_sentence_over_the_input_limit_is_split_not_truncated(models_dir: Path) -> None:
    running = await start_server(settings_for(models_dir, max_input_tokens=16))
    try:
        sentence = ", ".join(f"the talks will continue in week {n}" for n in range(12)) + "."
        [result] = (await translate(running, [sentence])).results
        decoded = running.sample("tlumach_batch_size_sentences_sum", {"pair": "en-uk"})
        assert decoded >= 4, "a sentence of ~100 tokens must reach the model in several parts"
        assert result.text
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)


async def test_empty_and_blank_texts_come_back_as_sent(server: RunningServer) -> None:
    response = await server.stub.Translate(
        pb.TranslateRequest(texts=["", "  \n\n ", SENTENCE], target_language="uk")
    )
    assert [r.text for r in response.results[:2]] == ["", "  \n\n "]
    assert response.results[2].text


async def test_cancelled_call_drops_queued_sentences(models_dir: Path) -> None:
    running = await start_server(settings_for(models_dir, max_batch_size=1, max_text_chars=100_000))
    try:
        sentences = [f"Sentence {n} is about the war." for n in range(1000)]
        call = running.stub.Translate(
            pb.TranslateRequest(
                texts=[" ".join(sentences)], source_language="en", target_language="uk"
            )
        )
        await asyncio.sleep(0.2)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        await asyncio.sleep(1.0)
        decoded = running.sample("tlumach_batch_size_sentences_sum", {"pair": "en-uk"})
        assert decoded < len(sentences), "sentences of a cancelled call must not all be decoded"
        assert running.sample("tlumach_queue_depth_sentences", {"pair": "en-uk"}) == 0
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)


async def test_model_directory_linked_from_outside_is_not_loaded(
    models_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "en-uk").symlink_to(models_dir / "en-uk", target_is_directory=True)
    running = await start_server(settings_for(folder))
    try:
        response = await running.stub.ListLanguagePairs(pb.ListLanguagePairsRequest())
        assert list(response.pairs) == []
    finally:
        await running.channel.close()
        await running.app.stop(grace=1)
