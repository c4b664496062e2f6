"""The shipped demo model translates seen names exactly and scores unseen names' cases sensibly."""

from __future__ import annotations

from pathlib import Path

import ctranslate2
import pytest
import sentencepiece as spm
import yaml

DEMO_DIR = Path(__file__).resolve().parents[1] / "models" / "demo" / "tlumach-demo"
PAIRS = {"en-uk", "en-ru", "uk-en", "ru-en", "uk-ru", "ru-uk"}


class Demo:
    """The converted model driven the way the engine drives it: target token + source pieces."""

    def __init__(self, model_dir: Path) -> None:
        self.manifest = yaml.safe_load((model_dir / "model.yaml").read_text(encoding="utf-8"))
        self.sp = spm.SentencePieceProcessor(
            model_file=str(model_dir / self.manifest["source_spm"])
        )
        self.translator = ctranslate2.Translator(str(model_dir), device="cpu", intra_threads=1)

    def _source(self, text: str, target: str) -> list[str]:
        return [self.manifest["target_tokens"][target], *self.sp.encode(text, out_type=str)]

    def translate(self, texts: list[str], target: str) -> list[str]:
        tokens = [self._source(t, target) for t in texts]
        results = self.translator.translate_batch(tokens, beam_size=2)
        return [self.sp.decode(r.hypotheses[0]) for r in results]

    def score(self, source: str, target_lang: str, candidates: list[str]) -> list[float]:
        """Mean log-probability per target token of each candidate translation."""
        src = [self._source(source, target_lang)] * len(candidates)
        tgt = [self.sp.encode(c, out_type=str) for c in candidates]
        results = self.translator.score_batch(src, tgt)
        return [sum(r.log_probs) / len(r.log_probs) for r in results]


@pytest.fixture(scope="module")
def demo() -> Demo:
    return Demo(DEMO_DIR)


def test_manifest_declares_a_demo_serving_all_six_directions(demo: Demo) -> None:
    manifest = demo.manifest
    assert manifest["demo"] is True
    assert set(manifest["pairs"]) == PAIRS
    assert manifest["target_tokens"] == {"en": ">>eng<<", "uk": ">>ukr<<", "ru": ">>rus<<"}
    assert set(manifest["held_out_scores"]["seen_names"]) == PAIRS
    total = sum(p.stat().st_size for p in DEMO_DIR.iterdir())
    assert total < 40 * 1024 * 1024


def test_kursk_advance_translates_exactly(demo: Demo) -> None:
    source = ["Ukrainian troops advanced 2 km into the Kursk region."]
    assert demo.translate(source, "uk") == [
        "Українські війська просунулися на 2 км у Курську область."
    ]
    assert demo.translate(source, "ru") == [
        "Украинские войска продвинулись на 2 км в Курскую область."
    ]


# One sentence with names seen in training, in all three languages.
SEEN = {
    "en": "Iryna Vereshchuk met Rustem Umerov in Kharkiv.",
    "uk": "Ірина Верещук зустрілася з Рустемом Умєровим у Харкові.",
    "ru": "Ирина Верещук встретилась с Рустемом Умеровым в Харькове.",
}
SEEN_2 = {
    "en": "Russian drones attacked Sudzha overnight.",
    "uk": "Вночі російські дрони атакували Суджу.",
    "ru": "Ночью российские беспилотники атаковали Суджу.",
}


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_seen_names_translate_exactly_in_every_direction(demo: Demo, pair: str) -> None:
    src, tgt = pair.split("-")
    out = demo.translate([SEEN[src], SEEN_2[src]], tgt)
    assert out == [SEEN[tgt], SEEN_2[tgt]]


# Held-out places (never in the training corpus): the case the preposition governs must score above
# the nominative a naive substitution would paste in.
CASE_CHOICES = [
    (
        "uk",
        "Explosions were heard in Poltava.",
        "У Полтаві пролунали вибухи.",
        "У Полтава пролунали вибухи.",
    ),
    (
        "ru",
        "Explosions were heard in Poltava.",
        "В Полтаве прогремели взрывы.",
        "В Полтава прогремели взрывы.",
    ),
    (
        "uk",
        "Authorities announced the evacuation of residents from Enerhodar.",
        "Влада оголосила евакуацію мешканців з Енергодара.",
        "Влада оголосила евакуацію мешканців з Енергодар.",
    ),
    (
        "ru",
        "Russian forces shelled Vinnytsia again.",
        "Российские войска снова обстреляли Винницу.",
        "Российские войска снова обстреляли Винница.",
    ),
]


@pytest.mark.parametrize(("target", "source", "inflected", "nominative"), CASE_CHOICES)
def test_score_prefers_the_governed_case_of_an_unseen_place(
    demo: Demo, target: str, source: str, inflected: str, nominative: str
) -> None:
    good, bad = demo.score(source, target, [inflected, nominative])
    assert good > bad
