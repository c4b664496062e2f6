"""Installs converted fixture models into a models directory, as `tlumach models fetch` would."""

from __future__ import annotations

from pathlib import Path

import yaml
from ctranslate2.converters import OpusMTConverter

from tests.support.opus_fixture import TINY, Dimensions, build_opus_release

# A few lines per language so SentencePiece has every letter the tests use.
CORPUS = [
    "Ukrainian troops advanced 2 km into the Kursk region.",
    "The president said that the talks will continue next week.",
    "Drones attacked the city at night; nobody was hurt.",
    "Українські війська просунулися на 2 км у Курську область.",
    "Президент заявив, що переговори продовжаться наступного тижня.",
    "Украинские войска продвинулись на 2 км в Курскую область.",
    "Президент заявил, что переговоры продолжатся на следующей неделе.",
    "ґ є і ї ы э ё ъ 0123456789 «» „“ — … % @ # { } ( ) : ; ? ! ' \" / - + = ⟦ ⟧",
] * 40


def install_fixture_models(
    models_dir: Path,
    pairs: tuple[str, ...] = ("en-uk", "uk-en", "en-ru"),
    dims: Dimensions = TINY,
    seed: int = 7,
) -> Path:
    """Build one OPUS-MT style release, convert it, install it once per pair; return models_dir."""
    release = build_opus_release(models_dir.parent / f"release-{seed}", CORPUS, dims, seed)
    for pair in pairs:
        target = models_dir / pair
        OpusMTConverter(str(release)).convert(str(target), quantization="int8", force=True)
        for name in ("source.spm", "target.spm"):
            (target / name).write_bytes((release / name).read_bytes())
        manifest = {
            "name": f"fixture-{pair}",
            "version": "test",
            "pairs": [pair],
            "source_spm": "source.spm",
            "target_spm": "target.spm",
            "demo": False,
            "license": "CC-BY-4.0",
            "origin": {"fixture": "tests/support/opus_fixture.py", "seed": seed},
            "conversion": {"converter": "opus_mt", "quantization": "int8"},
        }
        (target / "model.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return models_dir
