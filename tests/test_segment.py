"""Sentence segmentation: exact reassembly, layout kept out of units, long sentences cut safely."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.text.markup import parse
from service.text.segment import Piece, split_long, split_text
from tests.support.gold import GOLD, errors, load_gold, score


def test_pieces_rebuild_the_text_and_keep_layout_out_of_units() -> None:
    text = "  Mr. Smith arrived.  He left!\n\n- Вул. ім. Шевченка закрита.\n\t2024\n"
    pieces = split_text(text, "en")
    assert "".join(p.text for p in pieces) == text
    units = [p.text for p in pieces if p.translate]
    assert units == ["Mr. Smith arrived.", "He left!", "Вул. ім. Шевченка закрита."]
    # A line with no letters (a date, a number) is layout: the model would only damage it.
    assert pieces[-1] == Piece("\n\t2024\n", False)
    assert all(u == u.strip() for u in units)


def test_a_newline_always_ends_a_sentence() -> None:
    pieces = split_text("Headline without stop\nBody starts here.", "en")
    assert [p.text for p in pieces] == ["Headline without stop", "\n", "Body starts here."]


def test_split_long_cuts_at_clauses_and_never_loses_text() -> None:
    sentence = "Officials said on Monday, after a long meeting; that the bridge would reopen soon."
    parts = split_long(sentence, 30)
    assert "".join(parts) == sentence
    assert all(len(p) <= 30 for p in parts)
    assert parts[0] == "Officials said on Monday, "
    assert all(not p.startswith(" ") for p in parts)


def test_split_long_cuts_an_overlong_word_only_as_a_last_resort() -> None:
    word = "x" * 25
    assert split_long(f"see {word} now", 10) == ["see ", "x" * 10, "x" * 10, "xxxxx now"]
    with pytest.raises(ValueError, match="positive"):
        split_long("a", 0)


def test_plain_document_renders_translations_in_place() -> None:
    text = "One. Two!\n\nThree?"
    doc = parse(text, "plain", "en")
    assert doc.units == ["One.", "Two!", "Three?"]
    assert doc.render(doc.units) == text
    assert doc.render(["1", "2", "3"]) == "1 2\n\n3"
    with pytest.raises(ValueError, match="expected 3"):
        doc.render(["1"])


@pytest.mark.parametrize("gold_file", ["segmentation-gold.jsonl", "segmentation-heldout.jsonl"])
@pytest.mark.parametrize("language", ["en", "uk", "ru"])
def test_boundary_f1_on_hand_marked_news(gold_file: str, language: str) -> None:
    paragraphs = [p for p in load_gold(GOLD.parent / gold_file) if p.language == language]
    assert len(paragraphs) >= 6

    def ends(text: str, lang: str) -> list[int]:
        out, cursor = [], 0
        for piece in split_text(text, lang):
            cursor += len(piece.text)
            if piece.translate:
                out.append(cursor)
        return out

    result = score(ends, paragraphs)
    assert result.f1 >= 0.99, errors(ends, paragraphs)


def test_gold_file_is_large_enough_and_marks_the_hard_cases() -> None:
    gold = load_gold()
    assert len(gold) >= 60
    text = "\n".join(p.text for p in gold)
    for case in ("Mr.", "U.S.", "ім.", "т.е.", "ст.", "км", "В. Зеленський", "«", '"', "—", "..."):
        assert case in text, case


@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\t\u00a0«»—-1,ЯїЫ")), max_size=200))
@settings(max_examples=300, deadline=None)
def test_reassembly_is_exact_and_keeps_paragraph_structure(text: str) -> None:
    for language in ("en", "uk"):
        pieces = split_text(text, language)
        assert "".join(p.text for p in pieces) == text
        for piece in pieces:
            assert piece.text
            if piece.translate:
                assert piece.text == piece.text.strip()
                assert "\n" not in piece.text
        doc = parse(text, "plain", language)
        rendered = doc.render(["X" for _ in doc.units])
        # Every newline and every whitespace run outside sentences comes back untouched.
        assert rendered.count("\n") == text.count("\n")
        assert [len(line) == 0 for line in rendered.split("\n")] == [
            len(line) == 0 for line in text.split("\n")
        ]


@given(st.text(max_size=300), st.integers(min_value=1, max_value=40))
@settings(max_examples=200, deadline=None)
def test_split_long_never_loses_or_reorders_text(sentence: str, limit: int) -> None:
    parts = split_long(sentence, limit)
    assert "".join(parts) == sentence
    assert all(0 < len(p) <= limit for p in parts)
