"""Person names: shevchenko declines Ukrainian names, pytrovich Russian ones."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import shevchenko
from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker
from shevchenko.word_declension.bootstrap import word_inflector
from shevchenko.word_declension.declension_types import ApplicationType
from shevchenko.word_declension.word_inflector import DeclensionParams

from service.glossary.model import CASES
from service.glossary.paradigms.compound import is_compound, join
from service.glossary.paradigms.lookup import Morphology, WordParadigm, WordSpec, frozen
from service.glossary.paradigms.readings import Readings
from service.glossary.paradigms.spelling import ends_in_consonant, hushing_spelling
from service.glossary.paradigms.word_lists import paradigm_lists

_UK_CASES = {
    "nomn": shevchenko.GrammaticalCase.NOMINATIVE,
    "gent": shevchenko.GrammaticalCase.GENITIVE,
    "datv": shevchenko.GrammaticalCase.DATIVE,
    "accs": shevchenko.GrammaticalCase.ACCUSATIVE,
    "ablt": shevchenko.GrammaticalCase.ABLATIVE,
    "loct": shevchenko.GrammaticalCase.LOCATIVE,
}
_RU_CASES = {
    "gent": Case.GENITIVE,
    "datv": Case.DATIVE,
    "accs": Case.ACCUSATIVE,
    "ablt": Case.INSTRUMENTAL,
    "loct": Case.PREPOSITIONAL,
}
_RU_PARTS = {"given": NamePart.FIRSTNAME, "patronymic": NamePart.MIDDLENAME}
# Which surnames decline like adjectives, which -о surnames decline, and after which letters
# -ом/-ові become -ем/-еві (uk) or -ой becomes -ей (ru): data/<language>.yaml.
_SHEVCHENKO_KEYS = {"given": "givenName", "patronymic": "patronymicName", "surname": "familyName"}


class PersonNames:
    """Declines the parts of a person's name (given name, patronymic, surname) by gender."""

    def __init__(self, morphology: Morphology, readings: Readings) -> None:
        self._morph = morphology
        self._readings = readings
        self._petrovich = PetrovichDeclinationMaker()
        self._ru_detector = PetrovichGenderDetector()
        # Given names repeat across entries and shevchenko scans its rule list on every call.
        self.part = lru_cache(maxsize=16384)(self._part)  # type: ignore[method-assign]

    def infer_gender(self, lang: str, given_name: str) -> str | None:
        """The gender the given name implies, or None when the libraries cannot tell."""
        if lang == "uk":
            found = shevchenko.detect_gender({"givenName": given_name}).get("gender")
            return str(found.value) if found is not None else None
        detected = self._ru_detector.detect(firstname=given_name)  # type: ignore[no-untyped-call]
        return {Gender.MALE: "masculine", Gender.FEMALE: "feminine"}.get(detected)

    def part(
        self,
        lang: str,
        word: str,
        role: str,
        gender: str,
        declinable: bool,
        adjectival: bool | None = None,
    ) -> WordParadigm:
        """The paradigm of one name part; role is "given", "patronymic" or "surname".

        `adjectival` is what the entry's other language says about the surname (None: nothing).
        """
        return self._part(lang, word, role, gender, declinable, adjectival)

    def adjectival_by_spelling(self, lang: str, surname: str, gender: str) -> bool | None:
        """Whether `surname` is spelled as an adjective; None when its spelling cannot tell."""
        if is_compound(surname):
            return None
        if surname.lower().endswith(
            paradigm_lists(lang).adjectival_surname_endings.get(gender, ())
        ):
            return True
        return False if lang == "ru" else None

    def _part(
        self,
        lang: str,
        word: str,
        role: str,
        gender: str,
        declinable: bool,
        hint: bool | None = None,
    ) -> WordParadigm:
        if is_compound(word):
            # Double names decline part by part, each by its own analysis: Гулака-Артемовського,
            # Жана-Клода; a woman's Косач-Квітка keeps Косач and declines Квітка.
            pieces = word.split("-")
            return join([self.part(lang, p, role, gender, declinable) for p in pieces], "-")
        if self._stays(lang, word, role, gender, declinable):
            return frozen(word)
        adjectival = role == "surname" and self._adjectival(lang, word, gender, hint)
        if adjectival:
            # Through pymorphy3's adjective paradigm when the dictionary knows the adjective;
            # an unknown one goes to the name libraries' surname rules, which beat analogy there.
            spec = WordSpec(lang, gender, plural=False, animate=True, role="surname")
            found = self._morph.adjective(word, spec, guess=False)
            if found is not None:
                return found
        if lang == "uk":
            forms = {case: self._uk_form(word, role, gender, case, adjectival) for case in CASES}
            return WordParadigm(_uk_variants(word, forms, gender))
        ru_forms = {
            case: hushing_spelling(word, self._ru_form(word, role, gender, case)) for case in CASES
        }
        return WordParadigm(_ru_variants(ru_forms, gender))

    def _stays(self, lang: str, word: str, role: str, gender: str, declinable: bool) -> bool:
        if role == "surname":
            # House rule: a woman's consonant-final surname (Верещук, Каллас) never declines.
            foreign_o = lang == "uk" and word.lower().endswith("о")
            declining = paradigm_lists(lang).declining_o_surname_endings
            foreign_o = foreign_o and not word.lower().endswith(declining)
            return not declinable or foreign_o or (gender == "feminine" and ends_in_consonant(word))
        spec = WordSpec(lang, gender, plural=False, animate=True, role="given")
        if self._morph.is_fixed(lang, word, spec):
            return True  # the dictionary lists it as indeclinable (Джо)
        known = self._morph.knows(lang, word, "Name")
        # Unknown given names ending in a vowel other than а/я (Джо, Ніко) are foreign: fixed.
        return not known and not ends_in_consonant(word) and word[-1].lower() not in "ая"

    def _adjectival(self, lang: str, word: str, gender: str, hint: bool | None) -> bool:
        """True for a surname that declines as an adjective of its gender."""
        if word.lower().endswith(paradigm_lists(lang).adjectival_surname_endings.get(gender, ())):
            return True
        if lang != "uk" or gender != "feminine" or word[-1:].lower() not in "ая":
            return False
        if hint is not None:
            return hint
        # No other language to ask: the dictionary's reading. The analogy of an unknown word's
        # ending is no help here (uk adjectives outnumber nouns in -а: Губа would get -ої).
        readings = self._readings.of(lang, word)
        return any(r.known and r.pos == "ADJF" and r.gender == "feminine" for r in readings)

    def _uk_form(self, word: str, role: str, gender: str, case: str, adjectival: bool) -> str:
        grammatical_gender = shevchenko.GrammaticalGender(gender)
        if role == "surname":
            word_class = shevchenko.WordClass.ADJECTIVE if adjectival else shevchenko.WordClass.NOUN
            params = DeclensionParams(
                grammatical_case=_UK_CASES[case],
                gender=grammatical_gender,
                word_class=word_class,
                application_type=ApplicationType.FAMILY_NAME,
            )
            form = str(word_inflector.inflect(word, params))
        else:
            key = _SHEVCHENKO_KEYS[role]
            result: dict[str, Any] = dict(
                shevchenko.inflect({"gender": gender, key: word}, _UK_CASES[case])
            )
            form = str(result[key])
        return _uk_mixed(word, form) if gender == "masculine" and not adjectival else form

    def _ru_form(self, word: str, role: str, gender: str, case: str) -> str:
        if case == "nomn":
            return word
        part = _RU_PARTS.get(role, NamePart.LASTNAME)
        sex = Gender.FEMALE if gender == "feminine" else Gender.MALE
        return str(self._petrovich.make(part, sex, _RU_CASES[case], word))


def _uk_mixed(word: str, form: str) -> str:
    """-ом → -ем, -ові → -еві after a final ж ч ш щ (Кулішем, Лущеві)."""
    if word[-1:].lower() not in paradigm_lists("uk").hushing_letters or len(form) <= len(word):
        return form
    stem, ending = form[: len(word)], form[len(word) :]
    return stem + {"ом": "ем", "ові": "еві"}.get(ending, ending)


def _uk_variants(word: str, forms: dict[str, str], gender: str) -> dict[str, tuple[str, ...]]:
    """Other standard uk dative/locative endings of a man's name (Олександрові, Сирськім)."""
    table = {case: [form] for case, form in forms.items()}
    if gender == "masculine":
        for case, extras in _uk_masculine_extras(word, forms).items():
            table[case] += [extra for extra in extras if extra not in table[case]]
    return {case: tuple(found) for case, found in table.items()}


def _uk_masculine_extras(word: str, forms: dict[str, str]) -> dict[str, list[str]]:
    dative, genitive = forms["datv"], forms["gent"]
    adjectival = paradigm_lists("uk").adjectival_surname_endings["masculine"]
    for ending in ("ьому", "ому"):
        if dative.endswith(ending) and word.lower().endswith(adjectival):
            return {"loct": [dative[: -len(ending)] + "ім"]}
    if not ends_in_consonant(word) or genitive == word:
        return {}
    stem = genitive[:-1]
    if genitive.endswith("а"):
        hushing = stem[-1:].lower() in paradigm_lists("uk").hushing_letters
        long = stem + ("еві" if hushing else "ові")
        locative = [long, stem + "у"]
        if stem[-1:].lower() not in "кгх":
            locative.append(stem + "і")
        return {"datv": [long], "loct": locative}
    if genitive.endswith("я") and stem.endswith("і"):
        return {"datv": [stem + "єві"], "loct": [stem + "єві", stem + "ю", stem[:-1] + "ії"]}
    if genitive.endswith("я") and not ends_in_consonant(stem):
        return {"datv": [stem + "єві"], "loct": [stem + "єві", stem + "ю"]}  # Андрей → Андреєві
    if genitive.endswith("я"):
        return {"datv": [stem + "еві"], "loct": [stem + "еві", stem + "ю", stem + "і"]}
    return {}


def _ru_variants(forms: dict[str, str], gender: str) -> dict[str, tuple[str, ...]]:
    """The bookish Russian instrumental -ою/-ею of feminine names (Ириною) is also accepted."""
    instrumental = forms["ablt"]
    hushing = instrumental[-3:-2].lower() in paradigm_lists("ru").hushing_letters
    if hushing and instrumental.endswith("ой"):
        # After ж ш щ ч ц an unstressed ending is -ей (Сашей); pytrovich writes -ой for surnames.
        instrumental = instrumental[:-2] + "ей"
    table: dict[str, tuple[str, ...]] = {case: (form,) for case, form in forms.items()}
    table["ablt"] = (instrumental,)
    if gender == "feminine" and instrumental.endswith(("ой", "ей")):
        table["ablt"] = (instrumental, instrumental[:-1] + "ю")
    return table
