"""What the words around a term say about its case: government, coordination, source hints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.glossary.analyzers import analyzer
from service.glossary.enforcement.tokens import Token, next_word, previous_word
from service.glossary.enforcement.word_lists import grammar_lists, in_any_language
from service.glossary.model import CASES

_ALL = frozenset(CASES)
# The object of "з"/"с" before a person is more likely "with" (instrumental) than "from".
_GEN_ABL = frozenset({"gent", "ablt"})
# The language's prepositions, verbs and hints are data: data/<language>.yaml (word_lists.py).


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
    governed = grammar_lists(language).prepositions.get(word)
    if governed is not None:
        preferred = ("ablt",) if governed == _GEN_ABL and animate else ()
        return Constraint(governed, f"preposition {word}", preferred)
    if word in in_any_language().conjunctions:
        return _coordination(tokens, before, end, language)
    return _verb_constraint(word, language)


def _verb_constraint(word: str, language: str) -> Constraint:
    copulas, dative_verbs = in_any_language().copulas, grammar_lists(language).dative_verbs
    for parse in parses(word, language):
        if parse.tag.POS not in ("VERB", "INFN") or parse.normal_form in copulas:
            continue
        dative = parse.normal_form in dative_verbs
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
    if (
        not found
        or found[0].tag.POS != "NOUN"
        or found[0].normal_form in in_any_language().classifiers
    ):
        return False
    return not {"Name", "Surn"} & found[0].tag.grammemes


def source_hints(tokens: list[Token], start: int, end: int, language: str) -> tuple[str, ...]:
    """Cases the source context suggests for the target (English prepositions, possessives)."""
    after = end if end < len(tokens) else None
    if language == "en" and after is not None and tokens[after].text == "'s":
        return ("gent",)
    lists = grammar_lists(language)
    before = previous_word(tokens, start)
    if before is not None and tokens[before].key in lists.articles:
        before = previous_word(tokens, before)
    if before is None:
        return ()
    word = tokens[before].key
    if language == "en":
        earlier = previous_word(tokens, before)
        phrase = (tokens[earlier].key if earlier is not None else "", word)
        return lists.phrase_case_hints.get(phrase, lists.case_hints.get(word, ()))
    return ("accs",) if word in in_any_language().directional_prepositions else ()


def agree_verb(word: str, gender: str, language: str) -> str | None:
    """The past-tense `word` made to agree with a subject of `gender`; None when it already does."""
    wanted = {"masculine": "masc", "feminine": "femn", "neuter": "neut", "plural": "plur"}.get(
        gender
    )
    found = parses(word, language)
    if wanted is None or not found or found[0].tag.POS != "VERB" or found[0].tag.tense != "past":
        return None
    tag = found[0].tag
    # pymorphy3 refuses to compare a gender with "plur": compare plain strings.
    current = "plur" if tag.number == "plur" else (str(tag.gender) if tag.gender else None)
    if current is None or current == wanted:
        return None
    changed = found[0].inflect({wanted} if wanted == "plur" else {wanted, "sing"})
    if changed is None:
        changed = found[0].inflect({wanted})
    if changed is None:
        return None
    text = str(changed.word)
    return text[:1].upper() + text[1:] if word[:1].isupper() else text
