"""What the words around a term say about its case: government, coordination, source hints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.glossary.analyzers import analyzer
from service.glossary.enforcement.tokens import Token, next_word, previous_word
from service.glossary.model import CASES

_ALL = frozenset(CASES)
_LOC_ACC = frozenset({"accs", "loct"})
_GEN = frozenset({"gent"})
_GEN_ABL = frozenset({"gent", "ablt"})
_ABL_ACC = frozenset({"ablt", "accs"})
# Cases each preposition governs; only the ones possible before a name. "по" takes the dative
# before names in both languages (uk "по Харкові" is a locative of time/surface, wrong for
# strikes on a city), "з"/"с" the genitive (from) or instrumental (with).
_GENITIVE_UK = "від до для біля поблизу коло навколо довкола без після серед проти крім окрім "
_GENITIVE_UK += "замість щодо вздовж уздовж вглиб углиб всередині усередині неподалік край"
_GENITIVE_RU = "от до для без безо у около возле вблизи близ из изо после против среди кроме "
_GENITIVE_RU += "вместо вдоль вглубь внутри ради из-за из-под посреди мимо"
PREPOSITIONS: dict[str, dict[str, frozenset[str]]] = {
    "uk": {
        **dict.fromkeys(_GENITIVE_UK.split(), _GEN),
        **dict.fromkeys(("у", "в", "на"), _LOC_ACC),
        **dict.fromkeys(("з", "із", "зі", "зо"), _GEN_ABL),
        **dict.fromkeys(("через", "про", "крізь"), frozenset({"accs"})),
        **dict.fromkeys(("над", "під", "за"), _ABL_ACC),
        **dict.fromkeys(("перед", "поміж", "між"), frozenset({"ablt"})),
        **dict.fromkeys(
            ("по", "завдяки", "всупереч", "назустріч", "відповідно"), frozenset({"datv"})
        ),
        **dict.fromkeys(("при",), frozenset({"loct"})),
        **dict.fromkeys(("о", "об"), _LOC_ACC),
    },
    "ru": {
        **dict.fromkeys(_GENITIVE_RU.split(), _GEN),
        **dict.fromkeys(("в", "во", "на"), _LOC_ACC),
        **dict.fromkeys(("с", "со"), _GEN_ABL),
        **dict.fromkeys(("через", "про", "сквозь"), frozenset({"accs"})),
        **dict.fromkeys(("под", "подо", "за"), _ABL_ACC),
        **dict.fromkeys(("над", "надо", "перед", "передо", "между"), frozenset({"ablt"})),
        **dict.fromkeys(
            ("к", "ко", "по", "благодаря", "вопреки", "навстречу", "согласно"), frozenset({"datv"})
        ),
        **dict.fromkeys(("при",), frozenset({"loct"})),
        **dict.fromkeys(("о", "об", "обо"), _LOC_ACC),
    },
}
# Verbs whose object is a dative and never an accusative person or place (uk дякувати кому,
# ru велеть кому). A nominative after them may still be an inverted subject.
DATIVE_VERBS = {
    "uk": frozenset(
        [
            "дякувати",
            "подякувати",
            "допомагати",
            "допомогти",
            "наказати",
            "наказувати",
            "загрожувати",
            "погрожувати",
            "пригрозити",
            "дозволити",
            "дозволяти",
            "заборонити",
            "забороняти",
            "сказати",
            "казати",
            "відповісти",
            "відповідати",
            "обіцяти",
            "пообіцяти",
            "телефонувати",
            "зателефонувати",
            "запропонувати",
            "пропонувати",
            "радити",
            "порадити",
            "заважати",
            "завадити",
            "протистояти",
            "співчувати",
            "довіряти",
        ]
    ),
    "ru": frozenset(
        [
            "помогать",
            "помочь",
            "велеть",
            "приказать",
            "приказывать",
            "угрожать",
            "грозить",
            "пригрозить",
            "позволить",
            "позволять",
            "запретить",
            "запрещать",
            "сказать",
            "ответить",
            "отвечать",
            "обещать",
            "пообещать",
            "звонить",
            "позвонить",
            "предложить",
            "предлагать",
            "советовать",
            "посоветовать",
            "мешать",
            "помешать",
            "противостоять",
            "сочувствовать",
            "доверять",
        ]
    ),
}
CONJUNCTIONS = frozenset({"і", "й", "та", "або", "чи", "и", "или", "либо", "and", "or"})
# Generic nouns a name stands in apposition to without agreeing ("місто Суджа").
_CLASSIFIERS = frozenset(
    [
        "місто",
        "город",
        "село",
        "селище",
        "посёлок",
        "поселок",
        "область",
        "район",
        "регіон",
        "регион",
        "річка",
        "река",
        "столиця",
        "столица",
        "країна",
        "страна",
        "спецпідрозділ",
        "спецназ",
        "підрозділ",
        "подразделение",
        "станція",
        "станция",
        "острів",
        "остров",
        "гора",
        "організація",
        "организация",
        "компанія",
        "компания",
        "угруповання",
    ]
)
_COPULAS = frozenset({"бути", "быть", "стати", "стать"})
# English words before a term, and the target case they usually become.
_ENGLISH_HINTS = {
    **dict.fromkeys(("in", "at", "inside", "within"), ("loct",)),
    **dict.fromkeys(("into", "to", "towards", "toward", "onto"), ("accs",)),
    **dict.fromkeys(("of", "near", "from", "outside", "without", "around"), ("gent",)),
    "with": ("ablt",),
    "over": ("ablt",),
}
_ENGLISH_PHRASES = {
    ("according", "to"): ("gent",),
    ("thanks", "to"): ("datv",),
    ("due", "to"): ("gent",),
}
_DIRECTIONAL = frozenset({"до", "к", "ко"})
_ARTICLES = frozenset({"the", "a", "an"})


@dataclass(frozen=True)
class Constraint:
    """Cases the target context allows for a term, and why (None: the context says nothing)."""

    allowed: frozenset[str] | None = None
    reason: str = ""
    preferred: tuple[str, ...] = ()


def parses(word: str, language: str) -> list[Any]:
    """pymorphy3 parses of `word` (uk/ru); an empty list for other languages."""
    if language not in ("uk", "ru"):
        return []
    return list(analyzer(language).parse(word))


def context_constraint(
    tokens: list[Token], start: int, end: int, language: str, *, animate: bool
) -> Constraint:
    """What the words before token `start` (and after `end`) allow for the term's case."""
    before = previous_word(tokens, start)
    if before is None:
        return Constraint()
    word = tokens[before].key
    governed = PREPOSITIONS.get(language, {}).get(word)
    if governed is not None:
        preferred = ("ablt",) if governed == _GEN_ABL and animate else ()
        return Constraint(governed, f"preposition {word}", preferred)
    if word in CONJUNCTIONS:
        return _coordination(tokens, before, end, language)
    return _verb_constraint(word, language)


def _verb_constraint(word: str, language: str) -> Constraint:
    for parse in parses(word, language):
        if parse.tag.POS not in ("VERB", "INFN") or parse.normal_form in _COPULAS:
            continue
        dative = parse.normal_form in DATIVE_VERBS.get(language, frozenset())
        # ru tags infinitives INFN; the uk dictionary tags them VERB with an "infn" grammeme.
        if parse.tag.POS == "INFN" or "infn" in parse.tag.grammemes:
            # An infinitive has no subject: a nominative after it is a pasted form.
            allowed = frozenset({"datv"}) if dative else _ALL - {"nomn"}
            return Constraint(allowed, f"infinitive {parse.normal_form}")
        if dative:
            return Constraint(frozenset({"datv", "nomn"}), f"verb {parse.normal_form}", ("datv",))
    return Constraint()


def _coordination(tokens: list[Token], conjunction: int, end: int, language: str) -> Constraint:
    """`X і Y`: Y takes the case of X, when X is an oblique noun and Y is no clause's subject."""
    first = previous_word(tokens, conjunction)
    after = next_word(tokens, end)
    if first is None or (after is not None and _is_finite_verb(tokens[after].text, language)):
        return Constraint()
    cases = {
        str(parse.tag.case)
        for parse in parses(tokens[first].text, language)
        if parse.tag.POS == "NOUN" and parse.tag.case in _ALL
    }
    if not cases or "nomn" in cases:
        return Constraint()
    return Constraint(frozenset(cases), "coordination")


def _is_finite_verb(word: str, language: str) -> bool:
    return any(parse.tag.POS == "VERB" for parse in parses(word, language))


def genitive_attribute(tokens: list[Token], start: int, language: str) -> bool:
    """True when the word before `start` is a noun a genitive can depend on (not "місто")."""
    before = previous_word(tokens, start)
    if before is None:
        return False
    found = parses(tokens[before].text, language)
    if not found or found[0].tag.POS != "NOUN" or found[0].normal_form in _CLASSIFIERS:
        return False
    return not {"Name", "Surn"} & found[0].tag.grammemes


def source_hints(tokens: list[Token], start: int, end: int, language: str) -> tuple[str, ...]:
    """Cases the source context suggests for the target (English prepositions, possessives)."""
    after = end if end < len(tokens) else None
    if language == "en" and after is not None and tokens[after].text == "'s":
        return ("gent",)
    before = previous_word(tokens, start)
    if before is not None and language == "en" and tokens[before].key in _ARTICLES:
        before = previous_word(tokens, before)
    if before is None:
        return ()
    word = tokens[before].key
    if language == "en":
        earlier = previous_word(tokens, before)
        phrase = (tokens[earlier].key if earlier is not None else "", word)
        return _ENGLISH_PHRASES.get(phrase, _ENGLISH_HINTS.get(word, ()))
    return ("accs",) if word in _DIRECTIONAL else ()


def agree_verb(word: str, gender: str, language: str) -> str | None:
    """The past-tense `word` made to agree with a subject of `gender`; None when it already does."""
    wanted = {"masculine": "masc", "feminine": "femn", "neuter": "neut", "plural": "plur"}.get(
        gender
    )
    found = parses(word, language)
    if wanted is None or not found or found[0].tag.POS != "VERB" or found[0].tag.tense != "past":
        return None
    tag = found[0].tag
    current = "plur" if tag.number == "plur" else tag.gender
    if current is None or current == wanted:
        return None
    changed = found[0].inflect({wanted} if wanted == "plur" else {wanted, "sing"})
    if changed is None:
        changed = found[0].inflect({wanted})
    if changed is None:
        return None
    text = str(changed.word)
    return text[:1].upper() + text[1:] if word[:1].isupper() else text
