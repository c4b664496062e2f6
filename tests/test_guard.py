"""Target-language guard: drift into the other East Slavic language is caught, names pass."""

from __future__ import annotations

import pytest

from service.text.guard import LanguageGuard
from service.text.langid import LanguageDetector


@pytest.fixture(scope="module")
def guard() -> LanguageGuard:
    return LanguageGuard(LanguageDetector())


@pytest.mark.parametrize(
    ("sentence", "target", "ok"),
    [
        ("Президент заявив, що переговори тривають.", "uk", True),
        ("Президент заявил, что переговоры продолжаются.", "uk", False),
        ("Президент заявил, что переговоры продолжаются.", "ru", True),
        ("Президент заявив, що переговори тривають.", "ru", False),
        ("The president said the talks continue.", "en", True),
        ("Президент заявив, що переговори тривають.", "en", False),
        ("The president said the talks continue.", "uk", False),
        # Drift without a single distinctive letter: lingua decides.
        ("Он сказал, что все будет хорошо и они придут завтра", "uk", False),
    ],
)
def test_check(guard: LanguageGuard, sentence: str, target: str, ok: bool) -> None:
    assert guard.check(sentence, target) is ok


@pytest.mark.parametrize(
    ("sentence", "target"),
    [
        ("Володимир Зеленський", "ru"),
        ("Так.", "ru"),
        ("NATO", "uk"),
        ("iPhone 15 Pro", "uk"),
        ("", "en"),
    ],
)
def test_short_and_name_only_lines_pass(guard: LanguageGuard, sentence: str, target: str) -> None:
    assert guard.check(sentence, target)


def test_one_stray_letter_in_a_short_line_fails(guard: LanguageGuard) -> None:
    assert not guard.check("Всё", "uk")
    assert not guard.check("Їх", "ru")


def test_suppressed_words_belong_to_the_other_language(guard: LanguageGuard) -> None:
    for_uk = guard.suppressed_words("uk")
    for_ru = guard.suppressed_words("ru")
    assert {"что", "ы"} <= set(for_uk)
    assert {"що", "і"} <= set(for_ru)
    assert not set(for_uk) & set(for_ru)
    assert guard.suppressed_words("en") == []
    # Nothing the target itself writes is suppressed.
    assert not any(ch in "іїєґ" for word in for_uk for ch in word)
    assert not any(ch in "ыэёъ" for word in for_ru for ch in word)
