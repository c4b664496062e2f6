"""What the translation's prepositions and verbs say about a term's case, and whether it is the
subject: a nominative is right for a subject and wrong for the object of a verb that has one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from service.glossary.enforcement.evidence import OBLIQUE, Evidence
from service.glossary.enforcement.readings import lemma_key, parses
from service.glossary.enforcement.tokens import Token, next_word, previous_word
from service.glossary.enforcement.word_lists import grammar_lists, in_any_language

IMPERSONAL = "impersonal verb"
"""The kind of the clues a plural or impersonal verb after the term gives: it is the object."""
_GEN_ABL = frozenset({"gent", "ablt"})
_NOMINATIVE = frozenset({"nomn"})
_SUBJECT_POS = frozenset({"NOUN", "NPRO"})
_NAME_GRAMMEMES = frozenset({"Surn", "Name", "Patr"})
_GENDERS = {"masculine": "masc", "feminine": "femn", "neuter": "neut", "plural": "plur"}


@dataclass(frozen=True)
class Term:
    """What government needs to know of the term: its entry's gender and animacy."""

    gender: str | None
    """masc, femn, neut, plur (pymorphy3's grammemes), or None when the entry says nothing."""
    animate: bool


def term_of(gender: str | None, animate: bool | None) -> Term:
    """The government view of an entry's `gender` ("masculine"...) and `animate`."""
    return Term(_GENDERS.get(gender or ""), bool(animate))


SubjectAt = Callable[[int], "str | None"]
"""Token index -> the gender (masc, femn, neut, plur) of another term standing there in the
nominative, or None: other glossary terms can be a verb's subject too."""


def preposition_evidence(
    tokens: list[Token], start: int, language: str, term: Term
) -> list[Evidence]:
    """The preposition right before the term: the cases it governs (a domain)."""
    before = previous_word(tokens, start)
    if before is None:
        return []
    word = tokens[before].key
    governed = grammar_lists(language).prepositions.get(word)
    if governed is None:
        return []
    found = [Evidence("preposition", governed, 0.0, word, governs=True)]
    if governed == _GEN_ABL and term.animate:
        # "з Будановим": before a person "з" is more often "with" than "from".
        found.append(Evidence("preposition", frozenset({"ablt"}), 1.0, word))
    return found


def governing_cases(tokens: list[Token], index: int, language: str) -> list[frozenset[str]]:
    """What the word before token `index` governs there: a preposition's or a verb's cases."""
    before = previous_word(tokens, index)
    if before is None:
        return []
    governed = grammar_lists(language).prepositions.get(tokens[before].key)
    if governed is not None:
        return [governed]
    parse = _verb_parse(tokens[before].text, language)
    if parse is None:
        return []
    verb = grammar_lists(language).verb_government.get(lemma_key(parse.normal_form))
    return [verb] if verb else []


def verb_evidence(
    tokens: list[Token], start: int, end: int, language: str, term: Term, subject_at: SubjectAt
) -> list[Evidence]:
    """The verb before the term (its government, and whether the term can be its subject), or
    the verb after it when that verb cannot agree with the term ("Полтава атакували")."""
    before = previous_word(tokens, start)
    if before is not None:
        found = _verb_before(tokens, before, language, term, subject_at)
        if found is not None:
            return found
    after = _past_adverbs(tokens, next_word(tokens, end), language)
    if (
        after is None
        or _conjoined(tokens, start, end)
        or not _opens_clause(tokens, start, language)
    ):
        return []
    return _verb_after(tokens, after, language, term, subject_at)


def _past_adverbs(tokens: list[Token], index: int | None, language: str) -> int | None:
    """The first word at or after `index` past adverbs and short prepositional phrases
    ("Вінницю знову обстріляли", "Стармеру у понеділок зателефонував")."""
    prepositions = grammar_lists(language).prepositions
    for _ in range(3):
        if index is None:
            return None
        if tokens[index].key in prepositions:
            object_ = next_word(tokens, index + 1)
            index = next_word(tokens, object_ + 1) if object_ is not None else None
        elif _adverb(tokens[index].text, language):
            index = next_word(tokens, index + 1)
        else:
            return index
    return index


def _adverb(word: str, language: str) -> bool:
    return any(p.tag.POS == "ADVB" for p in parses(word, language))


def _opens_clause(tokens: list[Token], start: int, language: str) -> bool:
    """True when nothing but adverbs stands before the term in its clause ("Вчора Полтаву...");
    after a noun ("Командующего Черноморским флотом отправили") the term is no verb's object."""
    index = previous_word(tokens, start)
    while index is not None:
        if not _adverb(tokens[index].text, language):
            return False
        index = previous_word(tokens, index)
    return True


def _verb_before(
    tokens: list[Token], verb: int, language: str, term: Term, subject_at: SubjectAt
) -> list[Evidence] | None:
    parse = _verb_parse(tokens[verb].text, language)
    if parse is None:
        return None
    lemma = lemma_key(parse.normal_form)
    if lemma in in_any_language().copulas:
        return [Evidence("copula", frozenset({"nomn", "ablt"}), 2.0, lemma)]
    governed = grammar_lists(language).verb_government.get(lemma)
    found = [Evidence("verb", governed, 4.0, lemma)] if governed else []
    grammemes = parse.tag.grammemes
    if parse.tag.POS == "INFN" or "infn" in grammemes or "Impe" in grammemes:
        # An infinitive or an impersonal "-но/-то" form has no subject: the term is an object.
        return [*found, Evidence("no subject", OBLIQUE, 3.0, lemma)]
    if _has_subject(tokens, verb, parse, language, subject_at):
        return [*found, Evidence("subject present", OBLIQUE, 3.0)]
    if not _agrees(parse, term):
        return [*found, Evidence("verb agreement", OBLIQUE, 3.0, lemma)]
    if found:
        return [*found, Evidence("inverted subject", _NOMINATIVE, 2.0)]
    return found


def _verb_after(
    tokens: list[Token], verb: int, language: str, term: Term, subject_at: SubjectAt
) -> list[Evidence]:
    """The verb right after a term that opens its clause, when the term cannot be its subject:
    a plural or impersonal verb after a singular term ("Полтаву атакували"), or a verb whose
    subject follows it ("Стармеру зателефонував Зеленський"). The term is then its object."""
    parse = _verb_parse(tokens[verb].text, language)
    if parse is None or term.gender is None:
        return []
    impersonal = "Impe" in parse.tag.grammemes
    plural = term.gender != "plur" and parse.tag.number == "plur" and parse.tag.POS == "VERB"
    if not (impersonal or plural or _subject_after(tokens, verb, parse, language, subject_at)):
        return []
    lemma = lemma_key(parse.normal_form)
    governed = grammar_lists(language).verb_government.get(lemma) or frozenset({"accs"})
    return [
        Evidence(IMPERSONAL, OBLIQUE, 3.0, lemma),
        Evidence(IMPERSONAL, governed, 3.0, lemma),
    ]


def _subject_after(
    tokens: list[Token], verb: int, parse: Any, language: str, subject_at: SubjectAt
) -> bool:
    """True when the word after the verb is a nominative that agrees with it (its subject)."""
    after = next_word(tokens, verb + 1)
    if after is None:
        return False
    other = subject_at(after)
    if other is not None:
        return _agrees(parse, Term(other, True))
    return _nominative_agreeing(tokens[after].text, parse, language)


def _verb_parse(word: str, language: str) -> Any | None:
    """The first verb or infinitive reading of `word`, if it has one."""
    return next((p for p in parses(word, language) if p.tag.POS in ("VERB", "INFN")), None)


def _has_subject(
    tokens: list[Token], verb: int, parse: Any, language: str, subject_at: SubjectAt
) -> bool:
    """True when a nominative that agrees with the verb stands before it in its clause."""
    index = previous_word(tokens, verb)
    while index is not None:
        other = subject_at(index)
        if other is not None and _agrees(parse, Term(other, True)):
            return True
        before = previous_word(tokens, index)
        governed = before is not None and tokens[before].key in grammar_lists(language).prepositions
        if not governed and _nominative_agreeing(tokens[index].text, parse, language):
            return True
        index = before
    return False


def _nominative_agreeing(word: str, verb: Any, language: str) -> bool:
    """True for a word that can only be a nominative noun or pronoun and agrees with the verb.

    "Документ підписав Зеленський": an inanimate noun that may be an accusative object is no
    proof that the verb has its subject already.
    """
    readings = parses(word, language)
    if word[:1].isupper():
        # A name ("Зеленський"): its surname reading counts, not the adjective it looks like.
        readings = [p for p in readings if _NAME_GRAMMEMES & p.tag.grammemes] or readings
    if not readings or any(p.tag.POS not in _SUBJECT_POS for p in readings):
        return False  # "Як повідомив": "як" is also a noun (yak), but first a conjunction
    if any(p.tag.case == "accs" for p in readings):
        return False
    for reading in readings:
        tag = reading.tag
        if tag.case != "nomn":
            continue
        number = "plur" if tag.number == "plur" else (str(tag.gender) if tag.gender else None)
        if number is not None and _agrees(verb, Term(number, True)):
            return True
    return False


def _agrees(verb: Any, term: Term) -> bool:
    """True when the verb form can have a subject of the term's gender (or we cannot tell)."""
    if term.gender is None:
        return True
    tag = verb.tag
    if tag.number == "plur" or term.gender == "plur":
        return tag.number == "plur" and term.gender == "plur"
    if tag.tense == "past" and tag.gender is not None:
        return str(tag.gender) == term.gender
    return True


def _conjoined(tokens: list[Token], start: int, end: int) -> bool:
    """ "Полтава і Суми зазнали": one of two subjects takes a plural verb."""
    conjunctions = in_any_language().conjunctions
    before, after = previous_word(tokens, start), next_word(tokens, end)
    return any(i is not None and tokens[i].key in conjunctions for i in (before, after))
