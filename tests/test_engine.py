"""The engine on a real converted fixture model: n-best, forced prefixes, suppression, scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.model_store.engine import Engine

SENTENCE = "The president said that the talks will continue next week."


@pytest.fixture(scope="module")
def engine(models_dir: Path) -> Engine:
    return Engine(models_dir / "en-uk", beam_size=2)


def test_n_best_hypotheses_are_ranked(engine: Engine) -> None:
    [hypotheses] = engine.translate_batch([SENTENCE], num_hypotheses=3, beam_size=4)
    assert len(hypotheses) == 3
    scores = [h.score for h in hypotheses]
    assert scores == sorted(scores, reverse=True)


def test_target_prefix_is_kept(engine: Engine) -> None:
    [[best]] = engine.translate_batch([SENTENCE], target_prefixes=["Президент заявив"])
    assert best.text.startswith("Президент заявив")


def test_suppressing_words_outside_the_vocabulary_is_harmless(engine: Engine) -> None:
    plain = engine.translate_batch([SENTENCE])
    suppressed = engine.translate_batch([SENTENCE], suppress_sequences=["ẞ", "𝔘", "що"])
    assert len(suppressed) == len(plain) == 1


def test_scores_are_mean_log_probabilities(engine: Engine) -> None:
    [best] = engine.translate_batch([SENTENCE])[0][:1]
    own, other = engine.score_batch([SENTENCE, SENTENCE], [best.text, "Києві Києві Києві"])
    assert own < 0
    assert own > other, "the model's own translation must score above an arbitrary string"


def test_batch_results_do_not_depend_on_batch_company(engine: Engine) -> None:
    alone = engine.translate_batch([SENTENCE])[0][0].text
    together = engine.translate_batch(
        [SENTENCE, "Drones attacked the city at night; nobody was hurt. " * 3]
    )[0][0].text
    assert alone == together
