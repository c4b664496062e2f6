"""Target-language guard: is a translation in the requested language, and what to suppress."""

from __future__ import annotations

import re

from service.text.langid import RUSSIAN_ONLY, UKRAINIAN_ONLY, LanguageDetector

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
# Below this many letters a line is a name, a number or a fragment: lingua guesses at random
# there, so only hard alphabet evidence can fail it.
_MIN_LETTERS = 16
# The other language must be this sure before a sentence fails the guard.
_MIN_CONFIDENCE = 0.6

# Words and letters the other East Slavic language writes but the target never does, most
# frequent first (news usage). OPUS-MT en->uk drifts into Russian; suppressing these tokens on a
# re-decode steers it back. Shared words (и/i, не, в, на) are left out on purpose.
_FOREIGN: dict[str, tuple[str, ...]] = {
    "uk": (
        "что", "это", "как", "который", "которые", "также", "было", "были", "его", "её", "ее",
        "они", "мы", "вы", "если", "только", "или", "уже", "еще", "ещё", "сейчас", "года",
        "ы", "э", "ё", "ъ",
    ),
    "ru": (
        "що", "це", "як", "та", "який", "які", "також", "було", "були", "його", "її", "вони",
        "ми", "ви", "якщо", "лише", "або", "вже", "ще", "зараз", "року",
        "і", "ї", "є", "ґ",
    ),
    "en": (),
}  # fmt: skip


class LanguageGuard:
    """Checks translations against the requested target language."""

    def __init__(self, detector: LanguageDetector) -> None:
        self._detector = detector

    def check(self, sentence: str, target: str) -> bool:
        """False only when the sentence is clearly in another language than `target`."""
        letters = "".join(_WORD.findall(sentence))
        if _other_slavic_letters(letters, target):
            return False
        if len(letters) < _MIN_LETTERS or _names_only(sentence):
            return True
        if _wrong_script(letters, target):
            return False
        best = self._detector.scores(sentence)[0]
        return best.language == target or best.confidence < _MIN_CONFIDENCE

    def suppressed_words(self, target: str) -> list[str]:
        """Words and letters of the other East Slavic language, for a re-decode's suppression."""
        return list(_FOREIGN.get(target, ()))


def _other_slavic_letters(letters: str, target: str) -> bool:
    """Letters only the other East Slavic language writes, and none of the target's own.

    One stray letter in a long sentence may be a quoted name; two, or one in a short line, is
    the model writing the wrong language.
    """
    own, foreign = {
        "uk": (UKRAINIAN_ONLY, RUSSIAN_ONLY),
        "ru": (RUSSIAN_ONLY, UKRAINIAN_ONLY),
    }.get(target, (frozenset(), frozenset()))
    wrong = sum(ch in foreign for ch in letters)
    if not wrong or any(ch in own for ch in letters):
        return False
    return wrong >= 2 or len(letters) < 4 * _MIN_LETTERS


def _wrong_script(letters: str, target: str) -> bool:
    """Mostly Cyrillic in English, or mostly Latin in Ukrainian or Russian."""
    cyrillic = len(_CYRILLIC.findall(letters)) / len(letters)
    latin = len(_LATIN.findall(letters)) / len(letters)
    return cyrillic > 0.5 if target == "en" else latin > 0.8


def _names_only(sentence: str) -> bool:
    """A line of capitalised words only (a name, a place, a byline) says nothing of language."""
    words = _WORD.findall(sentence)
    return bool(words) and all(word[0].isupper() for word in words)
