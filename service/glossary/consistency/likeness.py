"""How much a translation's word looks like a source name: both romanised, then compared."""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

import translitua

# Official romanisation for Ukrainian (as English news writes names), a plain one for Russian.
_TABLES: dict[str, type[translitua.TransliterationTable]] = {
    "uk": translitua.UkrainianKMU,
    "ru": translitua.RussianSimple,
}


@lru_cache(maxsize=65536)
def romanised(text: str, language: str) -> str:
    """`text` in Latin letters, lower case (English as it is)."""
    table = _TABLES.get(language)
    latin = translitua.translit(text, table) if table is not None else text
    return str(latin).casefold()


def likeness(source: str, source_language: str, target: str, target_language: str) -> float:
    """0..1: how alike two words are once romanised; a case ending costs little."""
    a = romanised(source, source_language)
    b = romanised(target, target_language)
    if not a or not b:
        return 0.0
    # Compare stems: case endings differ by design (Shapoval, Шаповалом).
    stem = min(len(a), len(b), max(len(a) - 1, 3))
    return SequenceMatcher(None, a[:stem], b[: stem + 1], autojunk=False).ratio()
