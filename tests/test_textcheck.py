"""Bad input is normalised with a warning, or rejected naming the field; nothing lost silently."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.errors import InvalidArgumentError
from service.text.input_check import check_text


def test_latin_letter_inside_a_cyrillic_word_is_made_cyrillic() -> None:
    checked = check_text("Kиїв i Рrague", "texts[0]")
    assert checked.text == "Київ i Prague"
    assert "2 word(s)" in checked.warnings[0]


def test_invisible_and_control_characters_are_removed_with_a_warning() -> None:
    checked = check_text("Зеле\u200bнський\x07 прибув\u00ad.\tTab\r\n👩\u200d💻", "texts[2]")
    assert checked.text == "Зеленський прибув.\tTab\r\n👩\u200d💻"
    assert any("control" in w for w in checked.warnings)
    assert any("zero-width" in w and "texts[2]" in w for w in checked.warnings)


def test_decomposed_letters_are_composed() -> None:
    assert check_text("и\u0306", "t").text == "й"


def test_unpaired_surrogate_is_rejected_naming_the_field() -> None:
    with pytest.raises(InvalidArgumentError, match=r"texts\[1\]: unpaired UTF-16 surrogate"):
        check_text("bad \ud800 text", "texts[1]")


def test_clean_text_is_untouched() -> None:
    text = "Mr. Smith — «Київ» 1,5 км\n\n  - item"
    assert check_text(text, "t") == check_text(text, "t")
    assert check_text(text, "t").text == text
    assert check_text(text, "t").warnings == ()


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=100))
@settings(max_examples=300, deadline=None)
def test_never_crashes_and_keeps_layout(text: str) -> None:
    checked = check_text(text, "t")
    assert checked.text.count("\n") == text.count("\n")
    if checked.text != text:
        assert checked.warnings
