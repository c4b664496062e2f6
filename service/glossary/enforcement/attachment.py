"""What the term attaches to in the translation: a title it stands in apposition to, a conjoined
term, an adjective, or a noun it is the genitive of; each agrees with it or governs its case."""

from __future__ import annotations

from collections.abc import Callable

from service.glossary.enforcement.evidence import ALL_CASES, Evidence
from service.glossary.enforcement.government import Term, governing_cases
from service.glossary.enforcement.readings import lemma_key, parses
from service.glossary.enforcement.tokens import Token, next_word, previous_word
from service.glossary.enforcement.word_lists import grammar_lists, in_any_language

PartnerCases = Callable[[int], "frozenset[str] | None"]
"""Token index just past another term -> the cases that term can have there, or None."""
_COMPLEMENT_WORDS = 4
"""Genitive words that may stand between a title and a name ("речниці МЗС Росії")."""
_CLAUSE_WORDS = 4
"""How far after a conjoined term its own verb is looked for."""


def attachment_evidence(
    tokens: list[Token],
    start: int,
    end: int,
    language: str,
    term: Term,
    person: bool,
    partner_cases: PartnerCases,
) -> list[Evidence]:
    """Apposition (persons), coordination, an agreeing adjective, or a genitive's head noun."""
    found = _quoted(tokens, start, end)
    if person:
        title = _apposition(tokens, start, language)
        if title is not None:
            return [*found, *title]
    coordinated = _coordination(tokens, start, end, language, term, partner_cases)
    if coordinated is not None:
        return [*found, coordinated]
    adjective = _adjective(tokens, start, language, term)
    if adjective is not None:
        return [*found, adjective]
    if genitive_head(tokens, start, language):
        found.append(Evidence("genitive attribute", frozenset({"gent"}), 2.0))
    return found


def _quoted(tokens: list[Token], start: int, end: int) -> list[Evidence]:
    """ "спецпідрозділ «Ахмат»": a quoted name beside a noun stays in the nominative."""
    opened = tokens[start].text == '"' or (start > 0 and tokens[start - 1].text == '"')
    return [Evidence("quoted name", frozenset({"nomn"}), 3.0)] if opened else []


def _apposition(tokens: list[Token], start: int, language: str) -> list[Evidence] | None:
    """ "з президентом Туреччини Ердоганом": a title before the name lends it its case."""
    titles = grammar_lists(language).titles
    index = previous_word(tokens, start)
    for _ in range(_COMPLEMENT_WORDS + 1):
        if index is None:
            return None
        found = parses(tokens[index].text, language)
        roles = [
            p
            for p in found
            if lemma_key(p.normal_form) in titles and p.tag.case and p.tag.number != "plur"
        ]
        if roles:
            cases = frozenset(str(p.tag.case) for p in roles) & ALL_CASES
            return _head_cases(tokens, index, language, cases)
        if not _genitive_complement(tokens[index].text, found):
            return None
        index = previous_word(tokens, index)
    return None


def _genitive_complement(word: str, found: list[object]) -> bool:
    """A word that can depend on a title: a genitive, or an abbreviation (МЗС, США, НАТО)."""
    if len(word) > 1 and word.isupper():
        return True
    return any(getattr(getattr(p, "tag", None), "case", None) == "gent" for p in found)


def _head_cases(
    tokens: list[Token], head: int, language: str, cases: frozenset[str]
) -> list[Evidence]:
    """The name takes the title's case (narrowed by what governs the title: a preposition, a
    verb, a noun before it), or is its genitive possessor ("заступник Єрмака")."""
    for governed in (*governing_cases(tokens, head, language), frozenset()):
        if governed and cases & governed:
            cases = cases & governed
    if "gent" in cases and len(cases) > 1 and genitive_head(tokens, head, language):
        cases = frozenset({"gent"})  # "заяву речниці": the title is itself a genitive
    return [
        Evidence("apposition", cases | {"gent"}, 3.0),
        Evidence("apposition", cases, 1.0),
    ]


def _coordination(
    tokens: list[Token],
    start: int,
    end: int,
    language: str,
    term: Term,
    partner_cases: PartnerCases,
) -> Evidence | None:
    """ "у Полтаві та Вінниці", "до Бучі, Ірпеня та Гостомеля": conjuncts share their case."""
    before = previous_word(tokens, start)
    joined = before is not None and tokens[before].key in in_any_language().conjunctions
    if joined and before is not None:
        first = previous_word(tokens, before)
    elif start > 1 and tokens[start - 1].text == "," and _listed(tokens, end):
        first = start - 2 if tokens[start - 2].is_word else None
        if first is None or partner_cases(first + 1) is None:
            return None
    else:
        return None
    if first is None or _starts_clause(tokens, end, language, term):
        return None
    cases = partner_cases(first + 1) or _noun_cases(tokens[first].text, language)
    if not cases or cases == ALL_CASES or (not joined and "nomn" in cases):
        return None
    return Evidence("coordination", cases, 4.0)


def _listed(tokens: list[Token], end: int) -> bool:
    """True when a comma or a conjunction follows: the term is an item of a list."""
    after = tokens[end].key if end < len(tokens) else ""
    return after == "," or after in in_any_language().conjunctions


def _noun_cases(word: str, language: str) -> frozenset[str]:
    """The cases of an oblique noun before a conjunction ("над Львовом і ..."); none if it may
    be a nominative (then the conjunction may join two subjects)."""
    cases = {str(p.tag.case) for p in parses(word, language) if p.tag.POS == "NOUN" and p.tag.case}
    return frozenset() if "nomn" in cases else frozenset(cases) & ALL_CASES


def _starts_clause(tokens: list[Token], end: int, language: str, term: Term) -> bool:
    """ "з Одеси і Тихий про це сказав": a verb that agrees with the term, later in the same
    clause, makes the term the subject of a clause of its own."""
    index = next_word(tokens, end)
    for _ in range(_CLAUSE_WORDS):
        if index is None:
            return False
        for parse in parses(tokens[index].text, language):
            if parse.tag.POS == "VERB":
                return _verb_agrees(parse.tag, term)
        index = next_word(tokens, index + 1)
    return False


def _verb_agrees(tag: object, term: Term) -> bool:
    number, gender = getattr(tag, "number", None), getattr(tag, "gender", None)
    if term.gender is None:
        return True
    if number == "plur":
        return term.gender == "plur"
    return gender is None or str(gender) == term.gender


def _adjective(tokens: list[Token], start: int, language: str, term: Term) -> Evidence | None:
    """ "у прифронтовому Вовчанську": an adjective before the name agrees with it."""
    before = previous_word(tokens, start)
    if before is None or term.gender is None:
        return None
    word = tokens[before]
    if word.text[:1].isupper():
        return None  # another name's adjective, or one opening the sentence ("Командующего")
    found = parses(word.text, language)
    if any(p.tag.POS == "NOUN" for p in found):
        return None
    cases = frozenset(
        str(p.tag.case)
        for p in found
        if p.tag.POS in ("ADJF", "PRTF") and p.tag.case and _same_gender(p.tag, term)
    )
    return Evidence("adjective", cases & ALL_CASES, 2.0) if cases & ALL_CASES else None


def _same_gender(tag: object, term: Term) -> bool:
    number, gender = getattr(tag, "number", None), getattr(tag, "gender", None)
    if term.gender == "plur":
        return number == "plur"
    return number != "plur" and str(gender) == term.gender


def genitive_head(tokens: list[Token], start: int, language: str) -> bool:
    """True when the word before `start` is a noun a genitive can depend on (not "місто", not a
    title, which a name stands in apposition to, not another name)."""
    before = previous_word(tokens, start)
    if before is None or (tokens[before].text[:1].isupper() and not tokens[before].sentence_start):
        return False  # a capitalised word before a name is more likely part of a name
    found = parses(tokens[before].text, language)
    if not found or found[0].tag.POS != "NOUN":
        return False
    lemma = lemma_key(found[0].normal_form)
    if lemma in in_any_language().classifiers or lemma in grammar_lists(language).titles:
        return False
    return not {"Name", "Surn"} & found[0].tag.grammemes
