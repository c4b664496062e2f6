"""A pivot translation longer than the next model's input bound is cut to fit, never INTERNAL."""

from __future__ import annotations

from pathlib import Path

from service.model_store.engine import Engine
from service.pb import translation_pb2 as pb
from tests.conftest import RunningServer

# The fixture uk-en model turns this word into 256 tokens (its max_output_tokens) of repetition,
# 257 source tokens for en-ru, whose input bound is 200: the pivot's second leg used to refuse it.
RUNAWAY = "Суджа"


def test_the_fixture_model_runs_away_on_this_word(models_dir: Path) -> None:
    """The premise of the next test, so that it cannot pass for want of a long output."""
    first = Engine(models_dir / "uk-en", source_spm="source.spm", target_spm="target.spm")
    second = Engine(models_dir / "en-ru", source_spm="source.spm", target_spm="target.spm")
    output = first.translate_batch([RUNAWAY])[0][0]
    assert second.count_tokens(output.text) > second.max_input_tokens
    assert second.count_tokens(second.fit(output.text)) <= second.max_input_tokens
    assert second.fit("Drones attacked.") == "Drones attacked."


async def test_a_runaway_pivot_output_is_cut_for_the_second_leg(server: RunningServer) -> None:
    request = pb.TranslateRequest(texts=[RUNAWAY], source_language="uk", target_language="ru")
    response = await server.stub.Translate(request, timeout=60)
    assert response.results[0].route == "uk-en+en-ru"
    assert response.results[0].text
