"""Alignment as a model call: a forced decode with attention, through the engine and the batcher."""

from __future__ import annotations

from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from service.glossary.consistency.names import Mention
from service.glossary.consistency.rendering import word_masses
from service.glossary.enforcement.tokens import tokenize
from service.metrics import Metrics
from service.model_store.engine import Engine, piece_spans
from service.model_store.registry import Route
from service.translation.routes import RouteTranslator, leg_batcher
from tests.support.model_path import LIMITS, engine_leg

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "models" / "demo" / "tlumach-demo"
SOURCE = "Explosions were heard in Zhovtoriv."


@pytest.fixture(scope="module")
def demo() -> Engine:
    return Engine(DEMO)


def test_piece_spans_find_every_piece_in_the_text() -> None:
    text = "Taras  Hnatiuk's office"
    pieces = ["▁", "T", "aras", "▁H", "na", "tiuk", "'", "s", "▁office"]
    spans = piece_spans(text, pieces)
    assert spans[0] == (0, 0)  # a bare "▁" stands for the space before a word
    assert [text[a:b] for a, b in spans[1:]] == ["T", "aras", "H", "na", "tiuk", "'", "s", "office"]


def test_a_piece_the_normaliser_changed_gets_an_empty_span_and_the_rest_go_on() -> None:
    spans = piece_spans("a ｂ c", ["▁a", "▁b", "▁c"])
    assert spans[1] == (2, 2)
    assert spans[2] == (4, 5)


def test_alignment_rows_follow_the_target_pieces_and_attend_to_the_source(demo: Engine) -> None:
    [translation] = demo.translate_batch([SOURCE], target_token=">>ukr<<", beam_size=2)
    target = translation[0].text
    [alignment] = demo.align_batch([SOURCE], [target], target_token=">>ukr<<")
    assert len(alignment.weights) == len(alignment.target_spans)
    assert all(len(row) == len(alignment.source_spans) for row in alignment.weights)
    # The language token's column is dropped: what is left is a share of each row.
    assert all(0.0 < sum(row) <= 1.0 + 1e-6 for row in alignment.weights)
    assert all(0 <= a <= b <= len(SOURCE) for a, b in alignment.source_spans)
    assert all(0 <= a <= b <= len(target) for a, b in alignment.target_spans)


def test_the_name_is_aligned_to_the_word_the_model_wrote_for_it(demo: Engine) -> None:
    target = "У Жмоторіві пролунали вибухи."  # what the demo model writes for an unseen town
    [alignment] = demo.align_batch([SOURCE], [target], target_token=">>ukr<<")
    start = SOURCE.index("Zhovtoriv")
    mention = Mention(0, start, start + len("Zhovtoriv"), "Zhovtoriv")
    tokens = tokenize(target, "uk")
    masses = word_masses(alignment, mention, tokens)
    best = max(range(len(tokens)), key=masses.__getitem__)
    assert tokens[best].text == "Жмоторіві"


async def test_alignment_goes_through_the_batcher_as_its_own_operation(demo: Engine) -> None:
    metrics = Metrics(CollectorRegistry(), process=False)
    leg = engine_leg(demo, "en-uk", ">>ukr<<")
    batcher = leg_batcher(leg, LIMITS, metrics)
    batcher.start()
    try:
        translator = RouteTranslator(Route("en-uk", (leg,)), {"en-uk": batcher})
        target = "У Жмоторіві пролунали вибухи."
        [through] = await translator.align([SOURCE], [target])
        [direct] = demo.align_batch([SOURCE], [target], target_token=">>ukr<<")
        assert through.target_spans == direct.target_spans
        pairs = zip(through.weights, direct.weights, strict=True)
        assert max(abs(a - b) for x, y in pairs for a, b in zip(x, y, strict=True)) < 1e-4
        sample = metrics.registry.get_sample_value(
            "tlumach_batches_total", {"pair": "en-uk", "op": "align"}
        )
        assert sample == 1.0
        pivot = RouteTranslator(Route("uk-ru", (leg, leg)), {"en-uk": batcher})
        with pytest.raises(ValueError, match="pivot"):
            await pivot.align([SOURCE], [target])
    finally:
        await batcher.stop()
