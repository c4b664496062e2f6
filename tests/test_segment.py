"""Sentence segmentation: exact reassembly, layout kept out of units, long sentences cut safely."""

from __future__ import annotations

import pytest

from service.markup import parse
from service.segment import Piece, split_long, split_text


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
