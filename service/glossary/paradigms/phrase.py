"""Multi-word terms: adjectives agree with their head noun, names decline part by part."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.glossary.model import CASES, Paradigm
from service.glossary.paradigms.compound import Compounds, is_compound, join
from service.glossary.paradigms.lookup import Morphology, WordParadigm, WordSpec, frozen
from service.glossary.paradigms.names import PersonNames
from service.glossary.paradigms.readings import Reading, Readings, has_adjective_ending
from service.glossary.paradigms.spelling import is_frozen_token


@dataclass(frozen=True)
class TermSpec:
    """The glossary metadata that decides how one term inflects."""

    lang: str
    kind: str
    gender: str
    animate: bool
    declinable: bool
    adjectival_surname: bool | None = None
    """What the entry's other language says about the surname: adjective, noun, or no word."""

    @property
    def plural(self) -> bool:
        """True for pluralia tantum (Суми, Збройні сили): their forms are plural."""
        return self.gender == "plural"

    def word(self, gender: str | None) -> WordSpec:
        """The spec of one word of the term, agreeing with a head of `gender`."""
        role = "place" if self.kind == "place" else "common"
        return WordSpec(self.lang, gender, self.plural, self.animate, role)


@dataclass(frozen=True)
class Structure:
    """What each word of a term is: "head", "adjective" (agreeing with it) or "fixed"."""

    roles: tuple[str, ...]
    gender: str | None
    """The head noun's gender, which its adjectives take."""


class PhraseInflector:
    """Builds the Paradigm of a whole term from the paradigms of its words."""

    def __init__(self, morphology: Morphology, names: PersonNames, readings: Readings) -> None:
        self._morph = morphology
        self._names = names
        self._readings = readings
        self._compounds = Compounds(morphology, self._readings)

    def paradigm(self, term: str, spec: TermSpec) -> tuple[Paradigm, tuple[str, ...]]:
        """The term's paradigm and the problems met while building it."""
        tokens = term.split()
        if spec.kind == "person":
            words = self._person(tokens, spec)
            problems: list[str] = []
        else:
            words, problems = self._phrase(tokens, spec)
        return _combine(term, words, plural=spec.plural), tuple(problems)

    def _person(self, tokens: Sequence[str], spec: TermSpec) -> list[WordParadigm]:
        roles = ["given"] * (len(tokens) - 1) + ["surname"]
        if len(tokens) == 3:
            roles[1] = "patronymic"
        return [
            frozen(token)
            if is_frozen_token(token)
            else self._names.part(
                spec.lang, token, role, spec.gender, spec.declinable, spec.adjectival_surname
            )
            for token, role in zip(tokens, roles, strict=True)
        ]

    def _phrase(
        self, tokens: Sequence[str], spec: TermSpec
    ) -> tuple[list[WordParadigm], list[str]]:
        structure = self._structure(tokens, spec)
        words: list[WordParadigm] = []
        problems: list[str] = []
        for token, role in zip(tokens, structure.roles, strict=True):
            found = None if role == "fixed" else self._word(token, role, structure.gender, spec)
            if role != "fixed" and found is None:
                problems.append(f"{spec.lang}: cannot inflect '{token}'; it is kept unchanged")
            words.append(found or frozen(token))
        return words, problems

    def _structure(self, tokens: Sequence[str], spec: TermSpec) -> Structure:
        """Find the head noun: the first noun that is not an adjective agreeing with the next word.

        The words before it are its adjectives (Нова Одеса: нова is also a noun, but it agrees
        with Одеса). After it comes a complement that stays (сил України, з прав людини), except
        a last word that agrees with the head in the nominative (острів Зміїний).
        """
        fixed = [is_frozen_token(token) or not self._may_decline(token, spec) for token in tokens]
        start = next((i for i, stays in enumerate(fixed) if not stays), len(tokens))
        end = next((i for i in range(start, len(tokens)) if fixed[i]), len(tokens))
        roles = ["fixed"] * len(tokens)
        head = next((i for i in range(start, end) if self._is_head(tokens, i, end, spec)), None)
        if head is None:
            # No noun at all: an adjectival name (Покровське, Первомайський) or words no reading
            # fits; each declines as well as it can.
            roles[start:end] = ["adjective"] * (end - start)
            return Structure(tuple(roles), spec.gender)
        roles[start:head] = ["adjective"] * (head - start)
        roles[head] = "head"
        last = len(tokens) - 1
        if last == head + 1 and not fixed[last] and self._agrees(tokens[last], tokens[head], spec):
            roles[last] = "adjective"
        gender = self._readings.gender(spec.lang, self._key(tokens[head], spec), spec.gender)
        return Structure(tuple(roles), spec.gender if spec.plural else gender)

    def _is_head(self, tokens: Sequence[str], index: int, end: int, spec: TermSpec) -> bool:
        token = tokens[index]
        if index + 1 < end:
            if self._agrees(token, tokens[index + 1], spec):
                return False  # an adjective before its noun
        elif end < len(tokens) and self._agrees_with_entry(token, spec):
            return False  # the adjective of an abbreviation (Курська АЕС, Одеський НПЗ)
        if self._compound_name(token, spec) or self._readings.nouns(spec.lang, token):
            return True
        # An unknown word whose ending points to adjectives is one only when it has a full
        # adjective's ending (Кропивницький); Женева, Сава stay nouns.
        found = self._readings.of(spec.lang, token)
        guessed = bool(found) and not found[0].known
        return guessed and not has_adjective_ending(spec.lang, token)

    def _agrees_with_entry(self, token: str, spec: TermSpec) -> bool:
        """True when `token` is likeliest an adjective of the entry's gender (Курська, not Рада)."""
        found = self._readings.of(spec.lang, token)
        if not found or found[0].pos != "ADJF":
            return False  # pymorphy3 ranks a noun first: рада before радий's feminine
        if not found[0].known and not has_adjective_ending(spec.lang, token):
            return False
        gender = None if spec.plural else spec.gender
        return found[0].agrees_with(Reading("NOUN", gender, spec.plural))

    def _compound_name(self, token: str, spec: TermSpec) -> bool:
        """A hyphenated name (Кам'янка-Бузька), not a compound adjective (військово-морські)."""
        if not is_compound(token):
            return False
        # Only a word the dictionary knows as an adjective and never as a noun is one, or an
        # unknown one made like південно-західний: a first part in -о/-е that is no noun.
        kinds = {parse.tag.POS for parse in self._morph.known_parses(spec.lang, token)}
        if kinds:
            return "NOUN" in kinds or "ADJF" not in kinds
        *first, last = token.split("-")
        joined = all(
            p[-1:].lower() in "ое" and not self._readings.nouns(spec.lang, p) for p in first
        )
        return not (joined and has_adjective_ending(spec.lang, last))

    def _key(self, token: str, spec: TermSpec) -> str:
        """The word that gives `token` its gender and number: a compound's noun part."""
        if self._compound_name(token, spec):
            return self._compounds.noun_part(token, spec.word(spec.gender)) or token
        return token

    def _agrees(self, adjective: str, noun: str, spec: TermSpec) -> bool:
        key = self._key(noun, spec)
        return self._readings.agrees(spec.lang, adjective, key)

    def _may_decline(self, token: str, spec: TermSpec) -> bool:
        # declinable: false freezes the name itself; a lower-case generic head still declines
        # (спецпідрозділ «Ахмат» → спецпідрозділу «Ахмат»).
        return spec.declinable or token[:1].islower()

    def _word(
        self, token: str, role: str, gender: str | None, spec: TermSpec
    ) -> WordParadigm | None:
        word_spec = spec.word(gender)
        if self._compound_name(token, spec):
            found = self._compounds.paradigm(token, word_spec)
            if found is not None:
                return found
        if role == "adjective":
            return self._morph.adjective(token, word_spec) or self._noun(token, spec, gender)
        return self._noun(token, spec, gender) or self._morph.adjective(token, word_spec)

    def _noun(self, token: str, spec: TermSpec, gender: str | None) -> WordParadigm | None:
        found = self._morph.noun(token, spec.word(gender))
        if found is None and not spec.plural:
            found = self._morph.noun(token, spec.word(None))
        return found


def _combine(term: str, words: Sequence[WordParadigm], *, plural: bool) -> Paradigm:
    joined = join(words, " ")
    forms = {case: joined.forms[case][0] for case in CASES}
    variants = {case: found[1:] for case, found in joined.forms.items() if len(found) > 1}
    forms["nomn"] = term
    if plural:
        # A plurale tantum's six cases are its plural forms; plur_* says so explicitly.
        forms.update({f"plur_{case}": forms[case] for case in CASES})
        variants.update({f"plur_{case}": found for case, found in list(variants.items())})
    return Paradigm(term, forms, variants, guessed=joined.guessed)
