"""The paradigm compiler, one construction at a time: each word declined by its own analysis."""

from __future__ import annotations

from typing import Any

import pytest

from service.glossary.model import Entry, Paradigm
from service.glossary.paradigms.compiler import Compiler
from service.glossary.paradigms.spelling import hushing_spelling

OBLIQUE = ("gent", "datv", "accs", "ablt", "loct")


@pytest.fixture(scope="module")
def compiler() -> Compiler:
    return Compiler()


def _compile(compiler: Compiler, **fields: Any) -> dict[str, Paradigm]:
    kind = fields.get("kind", "place")
    entry = Entry(**{"id": "x", "kind": kind, "animate": kind == "person", **fields})
    compiled = compiler.compile_entry(entry)
    return {lang: terms.preferred for lang, terms in compiled.languages.items()}


def _oblique(paradigm: Paradigm) -> list[str]:
    return [paradigm.forms[case] for case in OBLIQUE]


def test_adjective_that_is_also_a_noun_agrees_with_the_head(compiler: Compiler) -> None:
    # uk нова, ru главное are nouns too; agreement with the next word makes them adjectives.
    uk = _compile(compiler, gender="feminine", terms={"uk": ("Нова Каховка",)})["uk"]
    assert _oblique(uk) == [
        "Нової Каховки",
        "Новій Каховці",
        "Нову Каховку",
        "Новою Каховкою",
        "Новій Каховці",
    ]
    ru = _compile(
        compiler, kind="organization", gender="neuter", terms={"ru": ("Главное управление связи",)}
    )["ru"]
    assert ru.forms["ablt"] == "Главным управлением связи"
    assert ru.forms["loct"] == "Главном управлении связи"


def test_possessive_adjectives_decline_as_adjectives(compiler: Compiler) -> None:
    found = _compile(
        compiler, gender="masculine", terms={"uk": ("Матвіїв Курган",), "ru": ("Матвеев Курган",)}
    )
    assert found["uk"].forms["ablt"] == "Матвієвим Курганом"
    assert found["uk"].forms["loct"] == "Матвієвому Кургані"
    assert _oblique(found["ru"]) == [
        "Матвеева Кургана",
        "Матвееву Кургану",
        "Матвеев Курган",
        "Матвеевым Курганом",
        "Матвеевом Кургане",
    ]
    femn = _compile(compiler, gender="feminine", terms={"ru": ("Марьина Роща",)})["ru"]
    assert femn.forms["loct"] == "Марьиной Роще"


def test_superlative_keeps_its_own_stem(compiler: Compiler) -> None:
    # высший is a form of высокий in the dictionary; its forms must not become высокого.
    ru = _compile(
        compiler, kind="organization", gender="masculine", terms={"ru": ("Высший совет",)}
    )["ru"]
    assert ru.forms["gent"] == "Высшего совета"
    assert ru.forms["loct"] == "Высшем совете"


def test_adjectives_follow_each_languages_head_noun(compiler: Compiler) -> None:
    # One entry, one gender field: uk рада is feminine, ru совет masculine.
    found = _compile(
        compiler,
        kind="organization",
        gender="feminine",
        terms={"uk": ("Вища рада правосуддя",), "ru": ("Высший совет правосудия",)},
    )
    assert found["uk"].forms["ablt"] == "Вищою радою правосуддя"
    assert found["ru"].forms["ablt"] == "Высшим советом правосудия"


def test_final_adjective_agreeing_with_a_generic_head_declines(compiler: Compiler) -> None:
    found = _compile(
        compiler, gender="masculine", terms={"uk": ("острів Зміїний",), "ru": ("остров Змеиный",)}
    )
    assert found["uk"].forms["gent"] == "острова Зміїного"
    assert found["ru"].forms["loct"] == "острове Змеином"


def test_genitive_complement_and_indeclinable_head_stay(compiler: Compiler) -> None:
    found = _compile(
        compiler,
        kind="organization",
        gender="neuter",
        terms={"uk": ("Федеральне бюро розслідувань",), "ru": ("Федеральное бюро расследований",)},
    )
    assert found["uk"].forms["gent"] == "Федерального бюро розслідувань"
    assert found["ru"].forms["ablt"] == "Федеральным бюро расследований"


def test_adjective_before_an_abbreviation_agrees_with_the_entry(compiler: Compiler) -> None:
    found = _compile(compiler, gender="feminine", terms={"uk": ("Курська АЕС",)})["uk"]
    assert found.forms["gent"] == "Курської АЕС"


def test_unknown_one_word_name_is_an_adjective_only_with_an_adjectives_ending(
    compiler: Compiler,
) -> None:
    adjectival = _compile(compiler, gender="masculine", terms={"ru": ("Краснолиманский",)})["ru"]
    assert adjectival.guessed
    assert adjectival.forms["gent"] == "Краснолиманского"
    hidden = Compiler(hidden={"женева"}.__contains__)
    noun = _compile(hidden, gender="feminine", terms={"uk": ("Женева",)})["uk"]
    assert noun.forms["gent"] == "Женеви"


@pytest.mark.parametrize(
    ("lang", "term", "gender", "genitive", "locative"),
    [
        ("ru", "Каменск-Уральский", "masculine", "Каменска-Уральского", "Каменске-Уральском"),
        ("uk", "Переславль-Залеський", "masculine", "Переславля-Залеського", None),
        ("ru", "Каменка-Днепровская", "feminine", "Каменки-Днепровской", "Каменке-Днепровской"),
        ("ru", "Славянск-на-Кубани", "masculine", "Славянска-на-Кубани", "Славянске-на-Кубани"),
        ("uk", "Йошкар-Ола", "feminine", "Йошкар-Оли", "Йошкар-Олі"),
        ("ru", "Тель-Авив", "masculine", "Тель-Авива", "Тель-Авиве"),
    ],
)
def test_hyphenated_place_names_decline_part_by_part(
    compiler: Compiler, lang: str, term: str, gender: str, genitive: str, locative: str | None
) -> None:
    found = _compile(compiler, gender=gender, terms={lang: (term,)})[lang]
    assert found.forms["gent"] == genitive
    if locative:
        assert found.forms["loct"] == locative


def test_compound_adjective_keeps_its_first_part(compiler: Compiler) -> None:
    found = _compile(
        compiler, kind="organization", gender="plural", terms={"uk": ("Військово-морські сили",)}
    )["uk"]
    assert found.forms["gent"] == "Військово-морських сил"


def test_double_names_decline_part_by_part(compiler: Compiler) -> None:
    man = _compile(
        compiler,
        kind="person",
        gender="masculine",
        terms={"uk": ("Семен Гулак-Артемовський",), "ru": ("Жан-Клод Юнкер",)},
    )
    assert man["uk"].forms["gent"] == "Семена Гулака-Артемовського"
    assert man["uk"].forms["ablt"] == "Семеном Гулаком-Артемовським"
    assert man["ru"].forms["gent"] == "Жана-Клода Юнкера"
    woman = _compile(
        compiler, kind="person", gender="feminine", terms={"uk": ("Лариса Косач-Квітка",)}
    )
    assert woman["uk"].forms["datv"] == "Ларисі Косач-Квітці"


def test_ukrainian_feminine_adjectival_surname(compiler: Compiler) -> None:
    # Known to the dictionary as an adjective (and as a noun surname): adjective endings.
    known = _compile(compiler, kind="person", gender="feminine", terms={"uk": ("Тетяна Тиха",)})
    assert _oblique(known["uk"]) == [
        "Тетяни Тихої",
        "Тетяні Тихій",
        "Тетяну Тиху",
        "Тетяною Тихою",
        "Тетяні Тихій",
    ]
    # Unknown: the Russian spelling of the same entry says adjective (-ая) or noun (-а).
    terms = {"uk": ("Ганна Сивоконна",), "ru": ("Анна Сивоконная",)}
    both = _compile(compiler, kind="person", gender="feminine", terms=terms)
    assert both["uk"].forms["gent"] == "Ганни Сивоконної"
    assert both["ru"].forms["gent"] == "Анны Сивоконной"
    noun = _compile(
        compiler,
        kind="person",
        gender="feminine",
        terms={"uk": ("Ірина Гайдамака",), "ru": ("Ирина Гайдамака",)},
    )
    assert noun["uk"].forms["datv"] == "Ірині Гайдамаці"


def test_adjectival_surnames_come_from_adjective_paradigms(compiler: Compiler) -> None:
    man = _compile(
        compiler,
        kind="person",
        gender="masculine",
        terms={"uk": ("Святослав Береговий",), "ru": ("Сергей Садовничий",)},
    )
    assert man["uk"].forms["gent"] == "Святослава Берегового"
    assert "Святославові Береговім" in man["uk"].variants["loct"]
    # A surname never takes a possessive's -ьего, even where the dictionary has one.
    assert man["ru"].forms["gent"] == "Сергея Садовничего"
    woman = _compile(compiler, kind="person", gender="feminine", terms={"ru": ("Ирина Мудрая",)})
    assert woman["ru"].forms["ablt"] == "Ириной Мудрой"
    assert "Ириной Мудрою" in woman["ru"].variants["ablt"]


def test_hushing_and_ts_final_names(compiler: Compiler) -> None:
    # uk: the mixed group (ж ч ш щ) takes -ем/-еві; a hard -ц stem keeps -ом (Курцом, палацом).
    mixed = _compile(
        compiler, kind="person", gender="masculine", terms={"uk": ("Пантелеймон Куліш",)}
    )["uk"]
    assert mixed.forms["ablt"] == "Пантелеймоном Кулішем"
    assert "Пантелеймону Кулішеві" in mixed.variants["datv"]
    hard = _compile(
        compiler,
        kind="person",
        gender="masculine",
        terms={"uk": ("Себастьян Курц",), "ru": ("Себастьян Курц",)},
    )
    assert hard["uk"].forms["ablt"] == "Себастьяном Курцом"
    assert hard["ru"].forms["ablt"] == "Себастьяном Курцем"
    stem_in_a_vowel = _compile(
        compiler, kind="person", gender="masculine", terms={"uk": ("Андрей Бабіш",)}
    )["uk"]
    assert stem_in_a_vowel.forms["ablt"] == "Андреєм Бабішем"
    assert "Андреєві Бабішу" in stem_in_a_vowel.variants["datv"]
    ru = _compile(compiler, kind="person", gender="feminine", terms={"ru": ("Анна Гоща",)})["ru"]
    assert ru.forms["ablt"] == "Анной Гощей"


def test_russian_writes_i_after_hushing_letters_in_endings() -> None:
    assert hushing_spelling("Ладожа", "Ладожы") == "Ладожи"
    assert hushing_spelling("ЛАДОЖА", "ЛАДОЖЫ") == "ЛАДОЖИ"
    assert hushing_spelling("Шымкент", "Шымкента") == "Шымкента"  # the name's own spelling stays


def test_noun_before_an_abbreviation_stays_a_noun(compiler: Compiler) -> None:
    # рада is also радий's feminine; pymorphy3 ranks the noun first, so it is the head.
    found = _compile(compiler, kind="organization", gender="feminine", terms={"uk": ("Рада ЄС",)})
    assert found["uk"].forms["gent"] == "Ради ЄС"


def test_unknown_compound_adjective_declines_as_one_adjective(compiler: Compiler) -> None:
    found = _compile(compiler, gender="feminine", terms={"ru": ("Южно-Украинская АЭС",)})["ru"]
    assert found.forms["gent"] == "Южно-Украинской АЭС"


def test_neuter_slavic_parts_decline_and_foreign_vowel_parts_stay(compiler: Compiler) -> None:
    neuter = _compile(compiler, gender="neuter", terms={"ru": ("Орехово-Зуево",)})["ru"]
    assert neuter.forms["loct"] == "Орехово-Зуеве"
    foreign = _compile(compiler, gender="masculine", terms={"uk": ("Монте-Карло",)})["uk"]
    assert foreign.forms["gent"] == "Монте-Карло"


def test_possessive_whose_nominative_the_dictionary_leaves_without_a_case(
    compiler: Compiler,
) -> None:
    # The uk dictionary tags some possessives' nominative "ADJF,masc" with no case (орлів).
    found = _compile(compiler, gender="masculine", terms={"uk": ("Орлів Яр",)})["uk"]
    assert found.forms["gent"] == "Орлового Яру"
    assert found.forms["ablt"] == "Орловим Яром"
