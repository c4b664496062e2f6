"""Fuzz the parts in process: input checks, segmenter, markup, protect/restore, the cut to the
model's input, the rebuild, and every glossary importer. Nothing but a named caller error may
come out of them (tests/support/fuzz.py, fuzz_files.py; profiles in tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sentencepiece as spm
from hypothesis import given
from hypothesis import strategies as st

from service.errors import InvalidArgumentError
from service.glossary.check import check_glossary
from service.glossary.enforcement.report import TermReport
from service.glossary.paradigms.compiler import Compiler
from service.hypothesis import Hypothesis
from service.text import protect
from service.text.input_check import check_text
from service.text.segment import split_text
from service.translation.units import prepare_units, rebuild
from service.vocab import LANGUAGES, TEXT_FORMATS
from tests.support import fuzz
from tests.support.fuzz_files import FuzzedFile, glossary_files

MAX_TOKENS = 24
"""A small input bound, so that fuzzed sentences are cut often."""


@pytest.fixture(scope="module")
def count_tokens(models_dir: Path) -> Callable[[str], int]:
    """The fixture model's own SentencePiece, as the engine counts source tokens."""
    processor = spm.SentencePieceProcessor(model_file=str(models_dir / "en-uk" / "source.spm"))
    return lambda text: len(processor.encode(text))


@pytest.fixture(scope="module")
def compiler() -> Compiler:
    return Compiler()


texts = st.one_of(fuzz.texts_of(400), fuzz.odd_text(400))


@fuzz.fuzz_settings(2.0)
@given(text=texts, language=st.sampled_from(LANGUAGES))
def test_the_segmenter_keeps_every_character(text: str, language: str) -> None:
    pieces = split_text(text, language)
    assert "".join(piece.text for piece in pieces) == text


@fuzz.fuzz_settings(2.0)
@given(
    text=texts,
    text_format=st.sampled_from(TEXT_FORMATS),
    language=st.sampled_from(LANGUAGES),
    fate=st.lists(st.sampled_from(("same", "drop", "twice", "empty", "odd")), max_size=40),
    odd=fuzz.odd_text(20),
)
def test_check_cut_and_rebuild_any_text(
    count_tokens: Callable[[str], int],
    text: str,
    text_format: str,
    language: str,
    fate: list[str],
    odd: str,
) -> None:
    """What a request's text goes through before and after the model, with a model that keeps,
    drops, repeats, empties or garbles each part (its protected-span tokens with it)."""
    checked = check_text(text, "texts[0]")
    document, units = prepare_units(checked.text, text_format, language, count_tokens, MAX_TOKENS)
    parts = [part for unit in units for part in unit.parts]
    assert all(count_tokens(part) <= MAX_TOKENS for part in parts)
    outputs = []
    for index, part in enumerate(parts):
        how = fate[index] if index < len(fate) else "same"
        output = {"same": part, "drop": "", "twice": f"{part} {part}", "empty": " ", "odd": odd}
        outputs.append([Hypothesis(output[how], -1.0, ())])
    reports: list[tuple[TermReport, ...]] = [() for _ in parts]
    rebuilt = rebuild(document, units, outputs, reports, checked, text, 0)
    assert isinstance(rebuilt.text, str)
    # Parts of a cut sentence come back joined by a space, so only uncut plain text is exact.
    uncut = all(len(unit.parts) <= 1 for unit in units)
    if text_format == "plain" and uncut and all(how == "same" for how in fate[: len(parts)]):
        assert rebuilt.text == checked.text


@fuzz.fuzz_settings(2.0)
@given(sentence=texts, output=fuzz.odd_text(80), data=st.data())
def test_restore_survives_any_model_output(sentence: str, output: str, data: st.DataObject) -> None:
    masked = protect.mask(sentence)
    assert protect.restore(masked.text, masked).text == sentence
    tokens = [masked.token(i) for i in range(len(masked.spans))]
    pieces = data.draw(st.lists(st.sampled_from([*tokens, output, " ", "⟦", "QZ"]), max_size=12))
    restored = protect.restore(" ".join(pieces), masked)
    assert isinstance(restored.text, str)


@fuzz.fuzz_settings(1.0)
@given(text=st.text(st.one_of(st.characters(), st.sampled_from("\ud800\udfff")), max_size=60))
def test_the_input_check_refuses_only_with_the_field_named(text: str) -> None:
    """(Lone surrogates cannot arrive over gRPC, but the check must refuse them cleanly.)"""
    try:
        check_text(text, "texts[3]")
    except InvalidArgumentError as exc:
        refused = exc.field
    else:
        refused = "texts[3]"
    assert refused == "texts[3]"


@fuzz.fuzz_settings(4.0)
@given(upload=glossary_files(), columns=st.sampled_from(((), ("en", "uk"), ("uk", "xx", "ru"))))
def test_every_importer_reports_and_never_raises(
    compiler: Compiler, upload: FuzzedFile, columns: tuple[str, ...]
) -> None:
    result = check_glossary(
        upload.content,
        fmt=upload.fmt,
        glossary_id="fuzzed",
        source="upload",
        compiler=compiler,
        column_languages=columns or None,
        max_entries=5000,
    )
    if not result.ok:
        assert result.problems
    for problem in result.problems:
        assert problem.message
