"""Language detection among en/uk/ru and "other": lingua n-gram models plus alphabet evidence."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from lingua import Language, LanguageDetectorBuilder

from service.text.segment import split_text
from service.vocab import LANGUAGES

logger = logging.getLogger(__name__)

OTHER = "other"

# lingua chooses only among the languages it is built with, so a few neighbours stand for
# "other": without them a Belarusian or Polish text would be forced into uk/ru/en.
_LINGUA = {
    Language.ENGLISH: "en",
    Language.UKRAINIAN: "uk",
    Language.RUSSIAN: "ru",
    Language.BELARUSIAN: OTHER,
    Language.BULGARIAN: OTHER,
    Language.SERBIAN: OTHER,
    Language.POLISH: OTHER,
    Language.GERMAN: OTHER,
    Language.FRENCH: OTHER,
    Language.SPANISH: OTHER,
}
# The service receives en/uk/ru news almost always; neighbours need clear evidence to win a
# short line ("Все добре" looks Bulgarian to lingua). Measured with bench/langid.py.
_OTHER_PRIOR = 0.3
# Letters only one of the two languages writes: one of them decides a short line.
UKRAINIAN_ONLY = frozenset("іїєґІЇЄҐ")
RUSSIAN_ONLY = frozenset("ыэёъЫЭЁЪ")
_ALPHABET_WEIGHT = 30.0
# A second language holding at least this share of a text's letters earns a warning.
_MIXED_SHARE = 0.2
_MIN_PART_LETTERS = 12
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class LanguageGuess:
    """One candidate language (en, uk, ru or other) and its confidence in [0, 1]."""

    language: str
    confidence: float


@dataclass(frozen=True)
class Detection:
    """Candidates ranked best first (confidences sum to 1) and warnings such as mixed language."""

    candidates: tuple[LanguageGuess, ...]
    warnings: tuple[str, ...] = ()

    @property
    def language(self) -> str:
        return self.candidates[0].language


class LanguageDetector:
    """Builds lingua once (about 2 s, models preloaded so the first request is not slow)."""

    def __init__(self) -> None:
        self._lingua = (
            LanguageDetectorBuilder.from_languages(*_LINGUA)
            .with_preloaded_language_models()
            .build()
        )
        logger.info("language detector ready: %d languages", len(_LINGUA))

    def detect(self, text: str) -> Detection:
        """Rank en/uk/ru/other for `text`; a mixed text gets its majority language and a warning."""
        whole = self.scores(text)
        parts = self._part_languages(text)
        letters: dict[str, int] = {}
        for language, count in parts:
            letters[language] = letters.get(language, 0) + count
        total = sum(letters.values())
        warnings: tuple[str, ...] = ()
        if len(letters) > 1 and total:
            majority = max(letters, key=lambda lang: letters[lang])
            minor = sorted(
                lang
                for lang in letters
                if lang != majority and letters[lang] / total >= _MIXED_SHARE
            )
            if minor:
                shares = ", ".join(f"{lang} {letters[lang] / total:.0%}" for lang in minor)
                warnings = (f"mixed-language text: mostly {majority}, also {shares}",)
                whole = _shares(letters)
        return Detection(whole, warnings)

    def scores(self, text: str) -> tuple[LanguageGuess, ...]:
        """Ranked candidates for `text` taken as one language."""
        merged = dict.fromkeys((*LANGUAGES, OTHER), 0.0)
        for value in self._lingua.compute_language_confidence_values(text):
            code = _LINGUA[value.language]
            merged[code] += value.value * (_OTHER_PRIOR if code == OTHER else 1.0)
        _weigh_alphabets(merged, text)
        total = sum(merged.values())
        if total <= 0:
            return (LanguageGuess(OTHER, 1.0),)
        ranked = sorted(merged.items(), key=lambda item: item[1], reverse=True)
        return tuple(LanguageGuess(lang, value / total) for lang, value in ranked)

    def _part_languages(self, text: str) -> list[tuple[str, int]]:
        """(language, letter count) of each sentence long enough to judge on its own."""
        found = []
        for piece in split_text(text, "en"):
            count = len(_LETTER.findall(piece.text)) if piece.translate else 0
            if count >= _MIN_PART_LETTERS:
                found.append((self.scores(piece.text)[0].language, count))
        return found


def _weigh_alphabets(scores: dict[str, float], text: str) -> None:
    """Letters only Ukrainian or only Russian writes outweigh n-gram guesses on short lines."""
    uk = sum(ch in UKRAINIAN_ONLY for ch in text)
    ru = sum(ch in RUSSIAN_ONLY for ch in text)
    if uk and not ru:
        scores["uk"] = (scores["uk"] + 0.05) * _ALPHABET_WEIGHT
    elif ru and not uk:
        scores["ru"] = (scores["ru"] + 0.05) * _ALPHABET_WEIGHT


def _shares(letters: dict[str, int]) -> tuple[LanguageGuess, ...]:
    """Candidates of a mixed text: each language's share of the letters, majority first."""
    total = sum(letters.values())
    ranked = sorted(letters.items(), key=lambda item: item[1], reverse=True)
    return tuple(LanguageGuess(lang, count / total) for lang, count in ranked)
