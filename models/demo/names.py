"""Slot lists for the demo corpus: people, places and units with their uk/ru case forms."""

from __future__ import annotations

import random
from dataclasses import dataclass

# Case order used everywhere in this package (matches service.glossary.model.CASES).
NOM, GEN, DAT, ACC, INS, LOC = range(6)
Forms = tuple[str, str, str, str, str, str]


def decline(stem: str, endings: str) -> Forms:
    """Stem plus six endings written as 'nom gen dat acc ins loc' ('-' = no ending)."""
    parts = [stem + ("" if e == "-" else e) for e in endings.split()]
    assert len(parts) == 6, endings
    return (parts[0], parts[1], parts[2], parts[3], parts[4], parts[5])


def same(word: str) -> Forms:
    """An indeclinable word: one form for every case."""
    return (word,) * 6  # type: ignore[return-value]


def join(first: Forms, second: Forms) -> Forms:
    """Case-wise concatenation, e.g. first name + surname, adjective + noun."""
    return tuple(f"{a} {b}" for a, b in zip(first, second, strict=True))  # type: ignore[return-value]


# Ending tables, 'nom gen dat acc ins loc'. Ukrainian masculine names allow dative -ові or -у; we
# use -у and keep -ові for the locative, which no template needs for people.
UK = {
    "m_hard": "- а у а ом ові",
    "m_j": "й я ю я єм єві",  # Андрій (stem "Андрі")
    "m_o": "о а у а ом ові",  # Дмитро, Шевченко (stem without -о)
    "m_soft": "ь я ю я ем еві",  # Ігор-like soft stems written with ь
    "m_adj": "ий ого ому ого им ому",
    "m_ov": "- а у а им і",  # Умєров, Костін
    "f_a": "а и і у ою і",
    "f_ja": "я ї ї ю єю ї",  # Юлія (stem "Юлі")
    "f_adj": "а ої ій у ою ій",  # Зеленська, Венедіктова (as adjective)
    "city_m": "- а у - ом і",
    "city_k": "- а у - ом у",  # Курськ: у Курську
    "city_a": "а и і у ою і",
    "city_mixed": "а і і у ею і",  # Суджа, Буча
    "ivka": "ка ки ці ку кою ці",  # stem "Авдіїв"
    "ychi": "і - ам і ами ах",  # stem "...ич"
    "adj_f": "а ої ій у ою ій",
    "oblast": "область області області область областю області",
}
RU = {
    "m_hard": "- а у а ом е",
    "m_j": "й я ю я ем е",  # Андрей (stem "Андре")
    "m_ij": "й я ю я ем и",  # Дмитрий, Виталий (stem "Дмитри")
    "m_soft": "ь я ю я ем е",
    "m_adj": "ий ого ому ого им ом",
    "m_ov": "- а у а ым е",
    "f_a": "а ы е у ой е",
    "f_a_soft": "а и е у ой е",  # stems in к/г/х/ж/ш/ч/щ take -и
    "f_ija": "я и и ю ей и",  # Юлия (stem "Юли")
    "f_ja": "я и е ю ей е",  # Наталья (stem "Наталь")
    "f_adj": "ая ой ой ую ой ой",
    "f_ova": "а ой ой у ой ой",
    "city_m": "- а у - ом е",
    "city_a": "а ы е у ой е",
    "city_mixed": "а и е у ей е",
    "ovka": "ка ки ке ку кой ке",
    "ychi": "и - ам и ами ах",
    "adj_f": "ая ой ой ую ой ой",
    "oblast": "область области области область областью области",
}
_KEEP = "- - - - - -"


@dataclass(frozen=True)
class Person:
    """A person: full name and surname in every case; `female` drives verb agreement."""

    en: str
    en_surname: str
    uk: Forms
    uk_surname: Forms
    ru: Forms
    ru_surname: Forms
    female: bool


@dataclass(frozen=True)
class Place:
    """A settlement, region or country: English phrase and uk/ru case forms."""

    en: str
    uk: Forms
    ru: Forms


@dataclass(frozen=True)
class Unit:
    """A military unit (all feminine 'brigade' in uk and ru)."""

    en: str
    uk: Forms
    ru: Forms


def person(
    en: str, first: tuple[Forms, Forms], surname: tuple[Forms, Forms], female: bool
) -> Person:
    """Combine first-name and surname paradigms into a Person."""
    return Person(
        en=en,
        en_surname=en.split()[-1],
        uk=join(first[0], surname[0]),
        uk_surname=surname[0],
        ru=join(first[1], surname[1]),
        ru_surname=surname[1],
        female=female,
    )


def _first(uk_stem: str, uk_kind: str, ru_stem: str, ru_kind: str) -> tuple[Forms, Forms]:
    return decline(uk_stem, UK[uk_kind]), decline(ru_stem, RU[ru_kind])


MALE_FIRST = {
    "Oleksandr": _first("Олександр", "m_hard", "Александр", "m_hard"),
    "Volodymyr": _first("Володимир", "m_hard", "Владимир", "m_hard"),
    "Andrii": _first("Андрі", "m_j", "Андре", "m_j"),
    "Serhii": _first("Сергі", "m_j", "Серге", "m_j"),
    "Dmytro": _first("Дмитр", "m_o", "Дмитри", "m_ij"),
    "Vitalii": _first("Віталі", "m_j", "Витали", "m_ij"),
    "Oleh": _first("Олег", "m_hard", "Олег", "m_hard"),
    "Rustem": _first("Рустем", "m_hard", "Рустем", "m_hard"),
    "Petro": _first("Петр", "m_o", "Петр", "m_hard"),
    "Bohdan": _first("Богдан", "m_hard", "Богдан", "m_hard"),
    "Taras": _first("Тарас", "m_hard", "Тарас", "m_hard"),
    "Myroslav": _first("Мирослав", "m_hard", "Мирослав", "m_hard"),
    "Yaroslav": _first("Ярослав", "m_hard", "Ярослав", "m_hard"),
}
FEMALE_FIRST = {
    "Olena": _first("Олен", "f_a", "Елен", "f_a"),
    "Iryna": _first("Ірин", "f_a", "Ирин", "f_a"),
    "Oksana": _first("Оксан", "f_a", "Оксан", "f_a"),
    "Kateryna": _first("Катерин", "f_a", "Екатерин", "f_a"),
    "Liudmyla": _first("Людмил", "f_a", "Людмил", "f_a"),
    "Zoriana": _first("Зорян", "f_a", "Зорян", "f_a"),
    "Yuliia": _first("Юлі", "f_ja", "Юли", "f_ija"),
    "Nataliia": _first("Наталі", "f_ja", "Наталь", "f_ja"),
}


def _sur(uk_stem: str, uk_kind: str, ru_stem: str, ru_kind: str) -> tuple[Forms, Forms]:
    uk = same(uk_stem) if uk_kind == "same" else decline(uk_stem, UK[uk_kind])
    ru = same(ru_stem) if ru_kind == "same" else decline(ru_stem, RU[ru_kind])
    return uk, ru


def _m(en: str, sur: tuple[Forms, Forms]) -> Person:
    return person(en, MALE_FIRST[en.split()[0]], sur, female=False)


def _f(en: str, sur: tuple[Forms, Forms]) -> Person:
    return person(en, FEMALE_FIRST[en.split()[0]], sur, female=True)


def real_people() -> list[Person]:
    """Well-known people seen in training."""
    macron = person(
        "Emmanuel Macron",
        (decline("Еммануел", UK["m_soft"]), decline("Эммануэл", RU["m_soft"])),
        _sur("Макрон", "m_hard", "Макрон", "m_hard"),
        female=False,
    )
    blinken = person(
        "Antony Blinken",
        (same("Ентоні"), same("Энтони")),
        _sur("Блінкен", "m_hard", "Блинкен", "m_hard"),
        female=False,
    )
    return [
        _m("Volodymyr Zelensky", _sur("Зеленськ", "m_adj", "Зеленск", "m_adj")),
        _m("Oleksandr Syrskyi", _sur("Сирськ", "m_adj", "Сырск", "m_adj")),
        _m("Rustem Umerov", _sur("Умєров", "m_ov", "Умеров", "m_ov")),
        _m("Vitalii Klitschko", _sur("Кличк", "m_o", "Кличко", "same")),
        _m(
            "Andrii Sybiha",
            (
                ("Сибіга", "Сибіги", "Сибізі", "Сибігу", "Сибігою", "Сибізі"),
                decline("Сибиг", RU["f_a_soft"]),
            ),
        ),
        _m("Oleh Syniehubov", _sur("Синєгубов", "m_ov", "Синегубов", "m_ov")),
        _m("Dmytro Kuleba", _sur("Кулеб", "f_a", "Кулеб", "f_a")),
        _m("Serhii Lavrov", _sur("Лавров", "m_ov", "Лавров", "m_ov")),
        macron,
        blinken,
        _f("Iryna Vereshchuk", _sur("Верещук", "same", "Верещук", "same")),
        _f("Yuliia Svyrydenko", _sur("Свириденко", "same", "Свириденко", "same")),
        _f("Olena Zelenska", _sur("Зеленськ", "f_adj", "Зеленск", "f_adj")),
        _f("Oksana Markarova", _sur("Маркаров", "f_adj", "Маркаров", "f_ova")),
    ]


def held_out_real_people() -> list[Person]:
    """Real people that never appear in training."""
    return [
        _m("Andrii Kostin", _sur("Костін", "m_ov", "Костин", "m_ov")),
        _m(
            "Taras Kachka",
            (
                ("Качка", "Качки", "Качці", "Качку", "Качкою", "Качці"),
                decline("Качк", RU["f_a_soft"]),
            ),
        ),
        _f("Kateryna Pavlichenko", _sur("Павліченко", "same", "Павличенко", "same")),
    ]


def _city(en: str, uk: tuple[str, str], ru: tuple[str, str]) -> Place:
    uk_endings = UK.get(uk[1], uk[1])  # a table name or literal endings
    ru_endings = RU.get(ru[1], ru[1])
    return Place(en, decline(uk[0], uk_endings), decline(ru[0], ru_endings))


def _region(en: str, uk_stem: str, ru_stem: str) -> Place:
    uk = join(decline(uk_stem, UK["adj_f"]), decline("", UK["oblast"]))
    ru = join(decline(ru_stem, RU["adj_f"]), decline("", RU["oblast"]))
    return Place(f"the {en} region", uk, ru)


def real_cities() -> list[Place]:
    """Real settlements seen in training (several irregular stems spelled out)."""
    return [
        Place(
            "Kyiv",
            ("Київ", "Києва", "Києву", "Київ", "Києвом", "Києві"),
            decline("Киев", RU["city_m"]),
        ),
        Place(
            "Kharkiv",
            ("Харків", "Харкова", "Харкову", "Харків", "Харковом", "Харкові"),
            decline("Харьков", RU["city_m"]),
        ),
        Place(
            "Lviv",
            ("Львів", "Львова", "Львову", "Львів", "Львовом", "Львові"),
            decline("Львов", RU["city_m"]),
        ),
        Place(
            "Chernihiv",
            ("Чернігів", "Чернігова", "Чернігову", "Чернігів", "Черніговом", "Чернігові"),
            decline("Чернигов", RU["city_m"]),
        ),
        Place(
            "Zaporizhzhia",
            ("Запоріжжя", "Запоріжжя", "Запоріжжю", "Запоріжжя", "Запоріжжям", "Запоріжжі"),
            ("Запорожье", "Запорожья", "Запорожью", "Запорожье", "Запорожьем", "Запорожье"),
        ),
        Place(
            "Mariupol",
            ("Маріуполь", "Маріуполя", "Маріуполю", "Маріуполь", "Маріуполем", "Маріуполі"),
            ("Мариуполь", "Мариуполя", "Мариуполю", "Мариуполь", "Мариуполем", "Мариуполе"),
        ),
        Place("Dnipro", decline("Дніпр", "о а у о ом і"), decline("Днепр", RU["city_m"])),
        _city("Odesa", ("Одес", "city_a"), ("Одесс", "city_a")),
        _city("Sudzha", ("Судж", "city_mixed"), ("Судж", "city_mixed")),
        _city("Bucha", ("Буч", "city_mixed"), ("Буч", "city_mixed")),
        _city("Bakhmut", ("Бахмут", "city_m"), ("Бахмут", "city_m")),
        _city("Kherson", ("Херсон", "city_m"), ("Херсон", "city_m")),
        _city("Izium", ("Ізюм", "city_m"), ("Изюм", "city_m")),
        _city("Belgorod", ("Бєлгород", "city_m"), ("Белгород", "city_m")),
        _city("Pokrovsk", ("Покровськ", "city_k"), ("Покровск", "city_m")),
        _city("Kursk", ("Курськ", "city_k"), ("Курск", "city_m")),
        _city("Vovchansk", ("Вовчанськ", "city_k"), ("Волчанск", "city_m")),
        _city("Avdiivka", ("Авдіїв", "ivka"), ("Авдеев", "ovka")),
        _city("Sumy", ("Сум", "и - ам и ами ах"), ("Сум", "ы - ам ы ами ах")),
        _city("Cherkasy", ("Черкас", "и - ам и ами ах"), ("Черкасс", "ы - ам ы ами ах")),
        _city("Brovary", ("Бровар", "и ів ам и ами ах"), ("Бровар", "ы ов ам ы ами ах")),
    ]


def held_out_real_cities() -> list[Place]:
    """Real settlements that never appear in training."""
    return [
        _city("Enerhodar", ("Енергодар", "city_m"), ("Энергодар", "city_m")),
        _city("Poltava", ("Полтав", "city_a"), ("Полтав", "city_a")),
        _city("Vinnytsia", ("Вінниц", "я і і ю ею і"), ("Винниц", "а ы е у ей е")),
        _city("Kramatorsk", ("Краматорськ", "city_k"), ("Краматорск", "city_m")),
        _city("Lubny", ("Лубн", "и ів ам и ами ах"), ("Лубн", "ы ов ам ы ами ах")),
    ]


def real_regions() -> list[Place]:
    """Real regions seen in training."""
    pairs = [
        ("Kursk", "Курськ", "Курск"),
        ("Belgorod", "Бєлгородськ", "Белгородск"),
        ("Bryansk", "Брянськ", "Брянск"),
        ("Kharkiv", "Харківськ", "Харьковск"),
        ("Donetsk", "Донецьк", "Донецк"),
        ("Luhansk", "Луганськ", "Луганск"),
        ("Zaporizhzhia", "Запорізьк", "Запорожск"),
        ("Kherson", "Херсонськ", "Херсонск"),
        ("Sumy", "Сумськ", "Сумск"),
        ("Dnipropetrovsk", "Дніпропетровськ", "Днепропетровск"),
        ("Odesa", "Одеськ", "Одесск"),
        ("Mykolaiv", "Миколаївськ", "Николаевск"),
        ("Chernihiv", "Чернігівськ", "Черниговск"),
    ]
    return [_region(en, uk, ru) for en, uk, ru in pairs]


def held_out_real_regions() -> list[Place]:
    """Real regions that never appear in training."""
    return [
        _region("Poltava", "Полтавськ", "Полтавск"),
        _region("Vinnytsia", "Вінницьк", "Винницк"),
    ]


def countries() -> list[Place]:
    """Countries for diplomacy and aid templates."""
    return [
        _city("Germany", ("Німеччин", "city_a"), ("Германи", "я и и ю ей и")),
        _city("France", ("Франці", "я ї ї ю єю ї"), ("Франци", "я и и ю ей и")),
        _city("Poland", ("Польщ", "а і і у ею і"), ("Польш", "city_mixed")),
        _city("Turkey", ("Туреччин", "city_a"), ("Турци", "я и и ю ей и")),
        _city("Italy", ("Італі", "я ї ї ю єю ї"), ("Итали", "я и и ю ей и")),
        _city("Romania", ("Румуні", "я ї ї ю єю ї"), ("Румыни", "я и и ю ей и")),
        _city("Lithuania", ("Литв", "city_a"), ("Литв", "city_a")),
        _city("Japan", ("Японі", "я ї ї ю єю ї"), ("Япони", "я и и ю ей и")),
    ]


def units() -> list[Unit]:
    """Brigades (feminine in uk and ru)."""
    rows = [
        ("3rd Assault Brigade", "3-", "тя ї ій тю ю ій", "штурмов", "3-", "я й й ю й й", "штурмов"),
        (
            "47th Mechanized Brigade",
            "47-",
            "ма ї ій му ю ій",
            "механізован",
            "47-",
            "я й й ю й й",
            "механизированн",
        ),
        (
            "80th Air Assault Brigade",
            "80-",
            "та ї ій ту ю ій",
            "десантно-штурмов",
            "80-",
            "я й й ю й й",
            "десантно-штурмов",
        ),
        (
            "92nd Assault Brigade",
            "92-",
            "га ї ій гу ю ій",
            "штурмов",
            "92-",
            "я й й ю й й",
            "штурмов",
        ),
        (
            "110th Mechanized Brigade",
            "110-",
            "та ї ій ту ю ій",
            "механізован",
            "110-",
            "я й й ю й й",
            "механизированн",
        ),
    ]
    out = []
    for en, uk_num, uk_num_end, uk_adj, ru_num, ru_num_end, ru_adj in rows:
        uk = join(
            join(decline(uk_num, uk_num_end), decline(uk_adj, UK["adj_f"])),
            decline("бригад", UK["f_a"]),
        )
        ru = join(
            join(decline(ru_num, ru_num_end), decline(ru_adj, RU["adj_f"])),
            decline("бригад", RU["f_a"]),
        )
        out.append(Unit(en, uk, ru))
    return out


# --- Invented names: stems built from parallel uk/ru syllables; English is the uk transliteration.

_ONSETS = [
    "мст",
    "хр",
    "збр",
    "пш",
    "дзв",
    "тк",
    "кв",
    "жм",
    "стр",
    "гл",
    "бр",
    "шк",
    "зд",
    "вр",
    "пр",
    "тр",
    "д",
    "л",
    "н",
    "р",
    "в",
    "с",
    "т",
    "к",
    "п",
    "з",
    "ч",
    "ш",
    "б",
    "м",
    "г",
]
_MIDDLES = [
    "ст",
    "рн",
    "вд",
    "к",
    "л",
    "н",
    "р",
    "в",
    "д",
    "т",
    "б",
    "м",
    "ш",
    "ж",
    "ч",
    "ц",
    "зв",
    "хл",
]
_CODAS = [
    "н",
    "р",
    "л",
    "в",
    "м",
]  # codas that take -ський, -івка, -ичі and the locative -і cleanly
_VOWELS = {"о": "о", "а": "а", "у": "у", "е": "е", "и": "ы", "і": "и"}
_HUSHING = set("кгхжшчщ")
_TRANSLIT = dict(
    zip(
        "абвгґдежзиіклмнопрстуфхцчшщь'",
        [
            "a",
            "b",
            "v",
            "h",
            "g",
            "d",
            "e",
            "zh",
            "z",
            "y",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "_",
        ],
        strict=True,
    )
)
_TRANSLIT_IOTATED = {
    "є": ("Ye", "ie"),
    "ї": ("Yi", "i"),
    "й": ("Y", "i"),
    "ю": ("Yu", "iu"),
    "я": ("Ya", "ia"),
}


def translit_uk(word: str) -> str:
    """Ukrainian national (KMU 2010) romanization, as used for names in English news."""
    out = []
    low = word.lower()
    for i, ch in enumerate(low):
        if ch in _TRANSLIT_IOTATED:
            initial = i == 0 or not low[i - 1].isalpha()
            out.append(_TRANSLIT_IOTATED[ch][0].lower() if initial else _TRANSLIT_IOTATED[ch][1])
        elif ch == "г" and i > 0 and low[i - 1] == "з":
            out.append("gh")
        else:
            mapped = _TRANSLIT.get(ch, ch)
            out.append("" if mapped == "_" else mapped)
    text = "".join(out)
    return "-".join(part[:1].upper() + part[1:] for part in text.split("-"))


def _syllable(uk_cons: str, vowel: str) -> tuple[str, str]:
    ru_vowel = _VOWELS[vowel]
    if ru_vowel == "ы" and uk_cons[-1] in _HUSHING:
        ru_vowel = "и"  # Russian spelling rule: жи, ши, ки, never жы
    return uk_cons + vowel, uk_cons + ru_vowel


def invented_stem(rng: random.Random) -> tuple[str, str]:
    """A capitalised (uk, ru) stem like ('Мстолин', 'Мстолын'): onset cluster, two vowels, coda."""
    vowels = list(_VOWELS)
    uk1, ru1 = _syllable(rng.choice(_ONSETS), rng.choice(vowels))
    uk2, ru2 = _syllable(rng.choice(_MIDDLES), rng.choice(vowels))
    coda = rng.choice(_CODAS)
    uk, ru = uk1 + uk2 + coda, ru1 + ru2 + coda
    return uk.capitalize(), ru.capitalize()


def invented_place(stem: tuple[str, str], shape: int) -> Place:
    """A settlement or region from a stem; `shape` picks the pattern (0-4 settlements, 5 region)."""
    uk, ru = stem
    en = translit_uk(uk)
    if shape == 0:
        return Place(en, decline(uk, UK["city_m"]), decline(ru, RU["city_m"]))
    if shape == 1:
        return Place(en + "a", decline(uk, UK["city_a"]), decline(ru, RU["city_a"]))
    if shape == 2:
        return Place(en + "sk", decline(uk + "ськ", UK["city_k"]), decline(ru + "ск", RU["city_m"]))
    if shape == 3:
        return Place(en + "ivka", decline(uk + "ів", UK["ivka"]), decline(ru + "ов", RU["ovka"]))
    if shape == 4:
        return Place(en + "ychi", decline(uk + "ич", UK["ychi"]), decline(ru + "ич", RU["ychi"]))
    return _region(en, uk + "ськ", ru + "ск")


def invented_person(stem: tuple[str, str], rng: random.Random, female: bool) -> Person:
    """A person with a real first name and an invented surname of a common shape."""
    uk, ru = stem
    en_sur = translit_uk(uk)
    shape = rng.randrange(4)
    if female:
        first = rng.choice(sorted(FEMALE_FIRST))
        shapes = [
            ("ska", _sur(uk + "ськ", "f_adj", ru + "ск", "f_adj")),
            ("ova", _sur(uk + "ов", "f_adj", ru + "ов", "f_ova")),
            ("enko", _sur(uk + "енко", "same", ru + "енко", "same")),
            ("iuk", _sur(uk + "юк", "same", ru + "юк", "same")),
        ]
        suffix, sur = shapes[shape]
        return person(f"{first} {en_sur}{suffix}", FEMALE_FIRST[first], sur, female=True)
    first = rng.choice(sorted(MALE_FIRST))
    shapes = [
        ("skyi", _sur(uk + "ськ", "m_adj", ru + "ск", "m_adj")),
        ("ov", _sur(uk + "ов", "m_ov", ru + "ов", "m_ov")),
        ("enko", _sur(uk + "енк", "m_o", ru + "енко", "same")),
        ("iuk", _sur(uk + "юк", "m_hard", ru + "юк", "m_hard")),
    ]
    suffix, sur = shapes[shape]
    return person(f"{first} {en_sur}{suffix}", MALE_FIRST[first], sur, female=False)
