"""The bundled demo models through the real server: exact seen-name articles, glossary repair."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio

from service.model_store.engine import Engine
from service.model_store.registry import Leg, ModelInfo, Route
from service.pb import translation_pb2 as pb
from service.translation.request import DEMO_MODEL_WARNING
from tests.conftest import RunningServer, settings_for, start_server

DEMO = Path(__file__).resolve().parents[1] / "models" / "demo" / "tlumach-demo"
ARTICLE = {
    "en": "Ukrainian troops advanced 2 km into the Kursk region.\n\n"
    "Iryna Vereshchuk met Rustem Umerov in Kharkiv. Russian drones attacked Sudzha overnight.\n",
    "uk": "Українські війська просунулися на 2 км у Курську область.\n\n"
    "Ірина Верещук зустрілася з Рустемом Умєровим у Харкові. "
    "Вночі російські дрони атакували Суджу.\n",
    "ru": "Украинские войска продвинулись на 2 км в Курскую область.\n\n"
    "Ирина Верещук встретилась с Рустемом Умеровым в Харькове. "
    "Ночью российские беспилотники атаковали Суджу.\n",
}
# Kramatorsk never occurs in the demo training data: the model garbles it.
KRAMATORSK = pb.InlineGlossaryEntry(
    id="kramatorsk",
    kind="place",
    gender="masculine",
    terms={
        "en": pb.TermList(terms=["Kramatorsk"]),
        "uk": pb.TermList(terms=["Краматорськ"]),
        "ru": pb.TermList(terms=["Краматорск"]),
    },
)


@pytest_asyncio.fixture(scope="module")
async def demo_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningServer]:
    models = tmp_path_factory.mktemp("demo-only") / "models"
    shutil.copytree(DEMO, models / "demo" / DEMO.name)
    running = await start_server(settings_for(models))
    yield running
    await running.channel.close()
    await running.app.stop(grace=1)


async def test_demo_models_serve_every_direction_and_say_so(demo_server: RunningServer) -> None:
    response = await demo_server.stub.ListLanguagePairs(pb.ListLanguagePairsRequest())
    pairs = {f"{p.source_language}-{p.target_language}": p for p in response.pairs}
    assert set(pairs) == {"en-uk", "en-ru", "uk-en", "ru-en", "uk-ru", "ru-uk"}
    assert all(p.demo and not p.pivot and p.model_name == "tlumach-demo" for p in pairs.values())


async def test_every_demo_translation_says_a_demo_model_wrote_it(
    demo_server: RunningServer,
) -> None:
    request = pb.TranslateRequest(
        texts=[ARTICLE["en"], "", ARTICLE["uk"]], source_language="", target_language="uk"
    )
    translated, empty, unchanged = (await demo_server.stub.Translate(request)).results
    assert translated.demo_model
    assert translated.warnings[0] == DEMO_MODEL_WARNING
    # Nothing was translated in these two, so no model wrote them.
    assert not empty.demo_model
    assert DEMO_MODEL_WARNING not in empty.warnings
    assert not unchanged.demo_model
    assert DEMO_MODEL_WARNING not in unchanged.warnings


async def test_streamed_demo_results_carry_the_flag_too(demo_server: RunningServer) -> None:
    async def items():  # type: ignore[no-untyped-def]
        request = pb.TranslateRequest(texts=[ARTICLE["ru"]], target_language="en")
        yield pb.TranslateStreamRequest(item_id="one", request=request)

    [item] = [r async for r in demo_server.stub.TranslateStream(items())]
    [result] = item.response.results
    assert result.demo_model
    assert DEMO_MODEL_WARNING in result.warnings


def test_a_route_is_demo_when_any_of_its_legs_is(models_dir: Path) -> None:
    engine = Engine(models_dir / "en-uk")
    real = ModelInfo.read(models_dir / "en-uk")
    demo = replace(real, demo=True)
    assert not Route("uk-ru", (Leg("uk-en", engine, real), Leg("en-ru", engine, real))).demo
    assert Route("uk-ru", (Leg("uk-en", engine, real), Leg("en-ru", engine, demo))).demo
    assert Route("en-uk", (Leg("en-uk", engine, demo),)).demo


@pytest.mark.parametrize(
    ("source", "target"), [("en", "uk"), ("en", "ru"), ("uk", "ru"), ("ru", "uk"), ("uk", "en")]
)
async def test_seen_name_article_translates_exactly(
    demo_server: RunningServer, source: str, target: str
) -> None:
    response = await demo_server.stub.Translate(
        pb.TranslateRequest(texts=[ARTICLE[source]], target_language=target)
    )
    [result] = response.results
    assert result.source_language == source  # detected
    assert result.text == ARTICLE[target]


@pytest.mark.parametrize(("target", "form"), [("uk", "Краматорськ"), ("ru", "Краматорск")])
async def test_unseen_name_is_repaired_by_the_glossary(
    demo_server: RunningServer, target: str, form: str
) -> None:
    text = "Russian forces shelled Kramatorsk again."
    plain = await demo_server.stub.Translate(
        pb.TranslateRequest(texts=[text], source_language="en", target_language=target)
    )
    assert form not in plain.results[0].text, "the demo model should not know this name"
    enforced = await demo_server.stub.Translate(
        pb.TranslateRequest(
            texts=[text],
            source_language="en",
            target_language=target,
            inline_entries=[KRAMATORSK],
            options=pb.TranslateOptions(return_term_report=True),
        )
    )
    [result] = enforced.results
    [report] = result.terms
    assert form in result.text
    assert report.entry_id == "kramatorsk"
    assert report.target_text == form
    assert report.outcome in (pb.TERM_OUTCOME_REPAIRED_FORM, pb.TERM_OUTCOME_REPAIRED_REDECODE)
    assert report.original_text
    assert report.original_text != form
    assert text[report.source_start : report.source_end] == "Kramatorsk"


async def test_disabled_enforcement_reports_without_changing(demo_server: RunningServer) -> None:
    text = "Russian forces shelled Kramatorsk again."
    request = pb.TranslateRequest(
        texts=[text],
        source_language="en",
        target_language="uk",
        inline_entries=[KRAMATORSK],
        options=pb.TranslateOptions(return_term_report=True, disable_glossary_enforcement=True),
    )
    [result] = (await demo_server.stub.Translate(request)).results
    assert "Краматорськ" not in result.text
    assert [t.outcome for t in result.terms] == [pb.TERM_OUTCOME_NOT_ENFORCED]
