"""What a word of a term can be in the nominative: noun or adjective, gender, number."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from service.glossary.paradigms.lookup import Morphology, is_nominative
from service.glossary.paradigms.word_lists import paradigm_lists

_CACHE_SIZE = 32768
_GENDERS = {"masc": "masculine", "femn": "feminine", "neut": "neuter"}
_PERSON_NAMES = frozenset({"Surn", "Name", "Patr"})
_NOT_EVIDENCE = _PERSON_NAMES | {"Fixd"}


def has_adjective_ending(lang: str, word: str) -> bool:
    """True when `word` ends like a full adjective in the nominative."""
    return word.lower().endswith(paradigm_lists(lang).adjective_endings)


@dataclass(frozen=True)
class Reading:
    """One nominative reading of a word."""

    pos: str
    """"NOUN" or "ADJF"."""
    gender: str | None
    """masculine, feminine or neuter; None for plurals, nouns of either gender, and guesses."""
    plural: bool | None
    """None when the reading is a guess from the ending, which does not tell the number."""
    known: bool = True
    """False when the reading comes from the analogy of the word's ending."""

    def agrees_with(self, noun: Reading) -> bool:
        """True when this adjective reading can stand before (or after) `noun` in one phrase."""
        if None in (self.plural, noun.plural):
            return True
        if self.plural != noun.plural:
            return False
        return bool(self.plural) or None in (self.gender, noun.gender) or self.gender == noun.gender


class Readings:
    """The nominative readings of words, from the dictionary or, for unknown words, by analogy.

    An unknown word is a noun when its ending points to nouns first, and may be an adjective
    whenever adjectives share its ending: before a noun, agreement then decides (Матвеев Курган).
    """

    def __init__(self, morphology: Morphology) -> None:
        self._morph = morphology
        self.of = lru_cache(maxsize=_CACHE_SIZE)(self._of)  # type: ignore[method-assign]

    def of(self, lang: str, word: str) -> tuple[Reading, ...]:
        """The readings of `word`: the dictionary's, else the analogy's, likeliest first."""
        return self._of(lang, word)

    def nouns(self, lang: str, word: str) -> tuple[Reading, ...]:
        """The noun readings of `word` (a guess counts only when nouns are the likeliest)."""
        found = self.of(lang, word)
        if found and not found[0].known:
            found = found[:1]
        return tuple(r for r in found if r.pos == "NOUN")

    def adjectives(self, lang: str, word: str) -> tuple[Reading, ...]:
        """The adjective readings of `word`."""
        return tuple(r for r in self.of(lang, word) if r.pos == "ADJF")

    def gender(self, lang: str, noun: str, entry: str | None) -> str | None:
        """The gender a head noun gives its adjectives: the entry's when the noun can have it,
        else the dictionary's (uk Вища рада, ru Высший совет: one entry, two genders). A guess
        from the ending never overrules the entry."""
        genders = [r.gender for r in self.nouns(lang, noun) if r.known]
        if entry in genders or not genders or genders[0] is None:
            return entry
        return genders[0]

    def agrees(self, lang: str, adjective: str, noun: str) -> bool:
        """True when `adjective` has an adjective reading agreeing with a noun reading of `noun`."""
        heads = self.nouns(lang, noun)
        return any(r.agrees_with(head) for r in self.adjectives(lang, adjective) for head in heads)

    def _of(self, lang: str, word: str) -> tuple[Reading, ...]:
        # Known words keep their readings, animate ones too: a town may be named after an animal
        # (Гусь-Хрустальный), and agreement, not animacy, tells an adjective from its head. A
        # person's name (Матвеев, Залеський) says nothing about a word of a place's name.
        found: list[Reading] = []
        for parse in self._morph.known_parses(lang, word):
            reading = _reading(parse.tag)
            if reading is None or _grammemes(parse.tag) & _PERSON_NAMES:
                continue
            found.append(reading)
            if reading.pos == "NOUN" and _adjectival(lang, parse):
                # A noun declined as an adjective (the town Хрустальний) can agree like one.
                found.append(Reading("ADJF", reading.gender, reading.plural))
        if found:
            return tuple(dict.fromkeys(found))
        kinds: dict[str, Callable[[Any], bool]] = {pos: _declining(pos) for pos in ("NOUN", "ADJF")}
        voted = self._morph.vote(lang, word, kinds)
        return tuple(Reading(pos, None, None, known=False) for pos in voted)


def _declining(pos: str) -> Callable[[Any], bool]:
    def accept(tag: Any) -> bool:
        # Indeclinable paradigms (хаки, беж) say nothing about how an unknown word declines,
        # nor do people's names about the words of other names.
        return bool(pos == tag.POS) and not _grammemes(tag) & _NOT_EVIDENCE

    return accept


def _adjectival(lang: str, parse: Any) -> bool:
    """True for a noun whose genitive has an adjective's ending (Хрустальний → Хрустального)."""
    plural = bool(_grammemes(parse.tag) & {"plur", "Pltm"})
    for form in parse.lexeme:
        # uk tags mark only the plural, so compare "plural or not" rather than sing/plur
        if form.tag.case == "gent" and plural == ("plur" in _grammemes(form.tag)):
            return str(form.word).endswith(paradigm_lists(lang).adjectival_genitive_endings)
    return False


def _grammemes(tag: Any) -> frozenset[str]:
    return frozenset(str(grammeme) for grammeme in tag.grammemes)


def _reading(tag: Any) -> Reading | None:
    if tag.POS not in ("NOUN", "ADJF") or not is_nominative(tag):
        return None
    grammemes = _grammemes(tag)
    plural = bool(grammemes & {"plur", "Pltm"})
    gender = None if plural else next((_GENDERS[g] for g in _GENDERS if g in grammemes), None)
    return Reading(str(tag.POS), gender, plural)
