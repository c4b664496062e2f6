"""Hyphenated names: each part declined by its own analysis, the parts joined case by case."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from service.glossary.model import CASES
from service.glossary.paradigms.lookup import Morphology, WordParadigm, WordSpec, frozen
from service.glossary.paradigms.readings import Readings, has_adjective_ending
from service.glossary.paradigms.spelling import ends_in_consonant, is_frozen_token

MAX_VARIANTS = 24
"""Cap on the combinations of per-word variants kept for one case (matching cost, not style)."""


def join(words: Sequence[WordParadigm], separator: str) -> WordParadigm:
    """One paradigm from the paradigms of consecutive words: the preferred forms first."""
    forms: dict[str, tuple[str, ...]] = {}
    for case in CASES:
        combos = itertools.product(*(word.forms[case] for word in words))
        joined = [separator.join(combo) for combo in itertools.islice(combos, MAX_VARIANTS + 1)]
        forms[case] = tuple(dict.fromkeys(joined))
    return WordParadigm(forms, guessed=any(word.guessed for word in words))


def is_compound(token: str) -> bool:
    """True for a hyphenated word whose parts are words (not "-" alone or a leading hyphen)."""
    return "-" in token.strip("-")


class Compounds:
    """Declines hyphenated place and organisation names part by part.

    A lower-case part (Слов'янськ-на-Кубані) and everything after it is a complement that stays.
    An adjective part agreeing with the noun before it declines with it (Каменськ-Уральський). Of
    noun parts only the last that can decline does (Тель-Авів, Йошкар-Ола; the first, when a
    foreign last part stays), as grammars prescribe for compound names.
    """

    def __init__(self, morphology: Morphology, readings: Readings) -> None:
        self._morph = morphology
        self._readings = readings

    def paradigm(self, token: str, spec: WordSpec) -> WordParadigm | None:
        """The paradigm of a hyphenated name, or None when a declining part has no paradigm."""
        core, tail = _split(token)
        roles = self._roles(core, spec)
        if "adjective" not in roles and self._morph.noun_known(token, spec):
            return None  # one part declines: the dictionary's own lexeme (Тель-Авів) is right
        words: list[WordParadigm] = []
        for part, role in zip(core, roles, strict=True):
            found = self._part(part, role, core, roles, spec)
            if found is None:
                return None
            words.append(found)
        words += [frozen(part) for part in tail]
        return join(words, "-")

    def noun_part(self, token: str, spec: WordSpec) -> str | None:
        """The part that gives the compound its gender and number, or None when all stay."""
        core, _tail = _split(token)
        roles = self._roles(core, spec)
        return core[roles.index("noun")] if "noun" in roles else None

    def _roles(self, parts: Sequence[str], spec: WordSpec) -> list[str]:
        roles = ["fixed"] * len(parts)
        for index, part in enumerate(parts):
            if (
                index
                and self._is_adjective(part, spec)
                and self._agrees(part, parts[index - 1], spec)
            ):
                roles[index] = "adjective"
                roles[index - 1] = "noun"
        if "noun" not in roles:
            declining = [i for i, part in enumerate(parts) if not self._stays(part, spec)]
            if declining:
                roles[declining[-1]] = "noun"
        return roles

    def _part(
        self, part: str, role: str, parts: Sequence[str], roles: Sequence[str], spec: WordSpec
    ) -> WordParadigm | None:
        if role == "fixed":
            return frozen(part)
        if role == "noun":
            return self._noun(part, spec)
        head = parts[roles.index("noun")] if "noun" in roles else part
        return self._morph.adjective(part, replace(spec, gender=self._gender(head, spec)))

    def _noun(self, part: str, spec: WordSpec) -> WordParadigm | None:
        found = self._morph.noun(part, replace(spec, gender=self._gender(part, spec)))
        if found is None and not spec.plural:
            found = self._morph.noun(part, replace(spec, gender=None))
        if found is None and not spec.animate:
            found = self._morph.noun_as_inanimate(part, spec)
        return found

    def _gender(self, noun: str, spec: WordSpec) -> str | None:
        return spec.gender if spec.plural else self._readings.gender(spec.lang, noun, spec.gender)

    def _is_adjective(self, part: str, spec: WordSpec) -> bool:
        """Only a full adjective follows its noun (Подільський, Бугская); a short possessive (-ів,
        -ов) never does, so Тель-Авів is two nouns, and an unknown Ола is no adjective."""
        if any(r.known for r in self._readings.adjectives(spec.lang, part)):
            return not ends_in_consonant(part) or part[-1:].lower() == "й"
        return has_adjective_ending(spec.lang, part)

    def _agrees(self, adjective: str, noun: str, spec: WordSpec) -> bool:
        return self._readings.agrees(spec.lang, adjective, noun)

    def _stays(self, part: str, spec: WordSpec) -> bool:
        if is_frozen_token(part) or self._morph.is_fixed(spec.lang, part, spec):
            return True
        # A foreign part ending in a vowel other than а/я never declines (Шрі, Уде, Бісау); a
        # neuter name's -о/-е part is a Slavic neuter noun that does (Орехово-Зуєво → -Зуєва).
        if self._morph.known_parses(spec.lang, part) or ends_in_consonant(part):
            return False
        declining = "ая" + ("ое" if spec.gender == "neuter" else "")
        return part[-1].lower() not in declining


def _split(token: str) -> tuple[list[str], list[str]]:
    """The parts that may decline, and the complement from the first lower-case part on."""
    parts = token.split("-")
    tail = next((i for i, part in enumerate(parts) if i and part[:1].islower()), len(parts))
    return parts[:tail], parts[tail:]
