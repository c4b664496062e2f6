"""Language detection: short uk/ru lines told apart, accuracy on news lines, mixed texts warned."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from service.text.langid import LanguageDetector

DATA = Path(__file__).parent / "data" / "langid-news.tsv"


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


def test_accuracy_on_short_news_lines(detector: LanguageDetector) -> None:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = [(r["language"], r["text"]) for r in csv.DictReader(handle, delimiter="\t")]
    assert len(rows) >= 300
    for language in ("en", "uk", "ru"):
        assert sum(gold == language for gold, _ in rows) >= 100
    wrong = [(gold, text) for gold, text in rows if detector.detect(text).language != gold]
    assert 1 - len(wrong) / len(rows) >= 0.99, wrong


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Київ", "uk"),
        ("Їжак", "uk"),
        ("Съезд", "ru"),
        ("Всё хорошо", "ru"),
        ("Путін заявив про переговори", "uk"),
        ("Путин заявил о переговорах", "ru"),
        ("Breaking news", "en"),
        ("Dzień dobry, jak się masz?", "other"),
    ],
)
def test_one_short_line(detector: LanguageDetector, text: str, language: str) -> None:
    detection = detector.detect(text)
    assert detection.language == language
    assert detection.candidates[0].confidence > 0.5
    assert abs(sum(c.confidence for c in detection.candidates) - 1) < 1e-6
    assert {c.language for c in detection.candidates} <= {"en", "uk", "ru", "other"}


def test_mixed_text_gets_majority_language_and_a_warning(detector: LanguageDetector) -> None:
    text = (
        "Президент заявив, що переговори з партнерами тривають і дадуть результат.\n"
        "Уряд ухвалив рішення про нові виплати для переселенців з прифронтових громад.\n"
        "The ministry said the talks would resume next week in Brussels."
    )
    detection = detector.detect(text)
    assert detection.language == "uk"
    assert detection.warnings
    assert "en" in detection.warnings[0]
    assert detection.candidates[1].language == "en"


def test_text_without_letters_is_other(detector: LanguageDetector) -> None:
    assert detector.detect("").language == "other"
    assert detector.detect("12:30 — 45%").language == "other"
