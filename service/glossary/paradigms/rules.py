"""Textbook declension of inanimate proper nouns by ending, for words no dictionary knows."""

from __future__ import annotations

# Sibilants and ц take -е- where a hard stem takes -о- in unstressed endings (Воронежем, Суджею).
_SIBILANTS = "жчшщц"
_RU_VELARS_SIBILANTS = "гкхжчшщ"
# uk dative/locative of feminine -а nouns alternates the velar (Прилука → Прилуці).
_UK_VELAR_SHIFT = {"к": "ц", "г": "з", "х": "с"}


def decline(lang: str, word: str, gender: str | None, plural: bool) -> dict[str, list[str]] | None:
    """Case -> forms of a lower-case inanimate noun, or None when its ending has no rule here."""
    if plural or gender is None:
        return None
    rule = _uk_rule if lang == "uk" else _ru_rule
    found = rule(word, gender)
    if found is None:
        return None
    gent, datv, ablt, loct = found
    accs = _accusative(lang, word, gender)
    genitives = [gent]
    if lang == "uk" and gent.endswith("а") and gender == "masculine":
        # Cities take -а (Харкова), countries, rivers and regions -у (Лаосу): accept both.
        genitives.append(gent[:-1] + "у")
    return {
        "nomn": [word],
        "gent": genitives,
        "datv": [datv],
        "accs": [accs],
        "ablt": [ablt],
        "loct": [loct],
    }


def _accusative(lang: str, word: str, gender: str) -> str:
    if gender == "feminine" and word.endswith("а"):
        return word[:-1] + "у"
    if gender == "feminine" and word.endswith("я"):
        return word[:-1] + "ю"
    return word


def _ru_rule(word: str, gender: str) -> tuple[str, str, str, str] | None:
    stem, last = word[:-1], word[-1]
    soft_o = "е" if stem[-1:] in _SIBILANTS else "о"
    if gender == "feminine" and last == "а":
        y = "и" if stem[-1:] in _RU_VELARS_SIBILANTS else "ы"
        return stem + y, stem + "е", stem + soft_o + "й", stem + "е"
    if gender == "feminine" and last == "я":
        dative = stem + ("и" if stem.endswith("и") else "е")
        return stem + "и", dative, stem + "ей", dative
    if gender == "feminine" and last == "ь":
        return stem + "и", stem + "и", word + "ю", stem + "и"
    if gender == "masculine" and last in "йь":
        return stem + "я", stem + "ю", stem + "ем", stem + ("и" if stem.endswith("и") else "е")
    if gender == "masculine" and last not in "аеёиоуыэюя":
        oblique = _ru_fleeting(word)
        o = "е" if last in _SIBILANTS else "о"
        return oblique + "а", oblique + "у", oblique + o + "м", oblique + "е"
    if gender == "neuter" and last == "о":
        return stem + "а", stem + "у", stem + "ом", stem + "е"
    return None


def _uk_rule(word: str, gender: str) -> tuple[str, str, str, str] | None:
    stem, last = word[:-1], word[-1]
    if gender == "feminine" and last == "а":
        shifted = stem[:-1] + _UK_VELAR_SHIFT.get(stem[-1:], stem[-1:])
        gent = stem + ("і" if stem[-1:] in "жчшщ" else "и")
        ablt = stem + ("ею" if stem[-1:] in _SIBILANTS else "ою")
        return gent, shifted + "і", ablt, shifted + "і"
    if gender == "feminine" and last == "я":
        i = "ї" if stem[-1:] in "аеиіоуюяєї'" else "і"
        ablt = stem + ("єю" if i == "ї" else "ею")
        return stem + i, stem + i, ablt, stem + i
    if gender == "masculine" and last in "йь":
        return (
            stem + "я",
            stem + "ю",
            stem + ("єм" if last == "й" else "ем"),
            stem + ("ї" if last == "й" else "і"),
        )
    if gender == "masculine" and last not in "аеєиіїоуюя'":
        oblique = _uk_open_syllable(word)
        o = "е" if last in _SIBILANTS else "о"
        locative = oblique + ("у" if last in "кгх" else "і")
        return oblique + "а", oblique + "у", oblique + o + "м", locative
    if gender == "neuter" and last == "о":
        return stem + "а", stem + "у", stem + "ом", stem + ("у" if stem[-1:] in "кгх" else "і")
    return None


def _uk_open_syllable(word: str) -> str:
    """Харків → Харков-, Львів → Львов-: -ів reverts to -ов- once the syllable opens."""
    if len(word) > 3 and word.endswith("ів"):
        return word[:-2] + "о" + word[-1]
    return word


def _ru_fleeting(word: str) -> str:
    """The fleeting vowel of -ец/-ок drops once an ending follows (Елец → Ельца, Городок → -дка)."""
    if len(word) > 4 and word.endswith("ок"):
        return word[:-2] + "к"
    if len(word) > 3 and word.endswith("ец"):
        before = word[-3]
        if before in "аеёиоуыэюя":
            return word[:-2] + "йц"
        return word[:-2] + ("ьц" if before == "л" else "ц")
    return word
