"""The compiled test glossary the enforcement tests share (compiled once per session)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ctranslate2.converters import OpusMTConverter

from service.glossary.enforcement.enforcer import Enforcer
from service.glossary.enforcement.report import EnforcementResult
from service.glossary.enforcement.steps import complete
from service.glossary.io import load_glossary
from service.glossary.model import CompiledEntry
from service.glossary.paradigms.compiler import Compiler
from service.hypothesis import Hypothesis
from service.model_store.engine import Engine
from tests.support import models
from tests.support.opus_fixture import build_opus_release

GLOSSARY = Path(__file__).resolve().parents[1] / "data" / "glossary-enforce.yaml"


@cache
def entries() -> tuple[CompiledEntry, ...]:
    """Every entry of tests/data/glossary-enforce.yaml, compiled by the project's Compiler."""
    return Compiler().compile(load_glossary(GLOSSARY)).entries


def entry(entry_id: str) -> CompiledEntry:
    """One compiled entry by id."""
    return next(item for item in entries() if item.entry.id == entry_id)


def enforce_rules(
    source: str,
    source_lang: str,
    target_lang: str,
    hypotheses: list[Hypothesis],
    compiled: tuple[CompiledEntry, ...],
    *,
    enabled: bool = True,
) -> EnforcementResult:
    """Enforcement without a model: the verify/repair rules only."""
    steps = Enforcer().enforce(
        source, source_lang, target_lang, hypotheses, compiled, enabled=enabled
    )
    return complete(steps)


def draft(text: str, score: float = 0.0) -> list[Hypothesis]:
    """A single given translation, as the model-free path receives it."""
    return [Hypothesis(text, score, ())]


def term_engine(directory: Path) -> Engine:
    """A tiny random OPUS-MT model whose vocabulary spells every test term (converted, real)."""
    corpus = [*models.CORPUS, *_TERM_LINES * 40]
    release = build_opus_release(directory / "release", corpus)
    target = directory / "en-uk"
    OpusMTConverter(str(release)).convert(str(target), quantization="int8", force=True)
    for name in ("source.spm", "target.spm"):
        (target / name).write_bytes((release / name).read_bytes())
    return Engine(target)


# Every letter of the terms the tests force or score, in both cases.
_TERM_LINES = [
    "Residents of Sudzha, Odesa, Lviv and Kursk left. Shelling on Odesa.",
    "Жителі Суджі, Суджа, Суджу, Суджею пішли. Обстріли на Одесу, Одесі, Одеса.",
    "Курська область, Курську область. Кирило Буданов, Львів, Латвія, Естонія.",
]
