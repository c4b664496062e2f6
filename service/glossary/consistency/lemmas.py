"""Nominative hypotheses for a name's rendering: the words themselves, parses, bare stems."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from service.glossary.consistency.word_lists import name_lists
from service.glossary.enforcement.grammar import parses

PER_WORD = 6
"""Nominative hypotheses kept per word of a rendering."""
GENDERS = {"masc": "masculine", "femn": "feminine", "neut": "neuter"}
_VOWELS = frozenset("аеєиіїоуюяыэё")


@dataclass(frozen=True)
class Lemma:
    """One hypothesis for the nominative of a name as a translation renders it."""

    words: tuple[str, ...]
    gender: str
    nominative: float
    """1 when every word reads as a nominative (or nothing says otherwise), 0 when none does."""


def lemma_candidates(words: Sequence[str], language: str) -> list[Lemma]:
    """Hypotheses for the lemma of the rendering `words`, each word's options combined."""
    per_word = [word_nominatives(word, language) for word in words]
    options = []
    for combo in itertools.product(*per_word):
        if any(look == 0.0 for _, _, look in combo):
            continue  # a lemma is a nominative: no word of it may be a known oblique form
        found = tuple(word for word, _, _ in combo)
        # The last word is the head: the noun of a name, the classifier of a region's name.
        gender = combo[-1][1] or guess_gender(found[-1])
        options.append(Lemma(found, gender, sum(n for _, _, n in combo) / len(combo)))
    return options


def word_nominatives(word: str, language: str) -> list[tuple[str, str | None, float]]:
    """(form, gender, nominative look) options for one word of a rendering."""
    found = parses(word, language)
    itself = 1.0 if not found or any(p.tag.case == "nomn" for p in found[:3]) else 0.0
    options: list[tuple[str, str | None, float]] = [(word, None, itself)]
    for parse in found:
        if parse.tag.POS not in ("NOUN", "ADJF"):
            continue
        plural = parse.tag.number == "plur"
        gender = "plural" if plural else GENDERS.get(str(parse.tag.gender))
        inflected = parse.inflect({"nomn"} if plural else {"nomn", "sing"})
        for form in (inflected.word if inflected else None, parse.normal_form):
            if form and form != word.lower():
                options.append((capitalised_like(form, word), gender, 1.0))
    options.extend((stem, "masculine", 0.5) for stem in stems(word, language))
    unique: dict[tuple[str, str | None], float] = {}
    for form, gender, score in options:
        unique.setdefault((form, gender), score)
    return [(form, gender, score) for (form, gender), score in unique.items()][:PER_WORD]


def stems(word: str, language: str) -> list[str]:
    """Consonant-final stems after one case ending (Рібумська -> Рібумськ; uk Жовторова ->
    Жовтор... -> also Жовторів, the і of a closed syllable)."""
    for ending in name_lists(language).endings:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3 and stem[-1].lower() not in _VOWELS:
            if language == "uk" and stem.endswith(("ов", "ев", "єв")):
                return [stem, stem[:-2] + ("їв" if stem.endswith("єв") else "ів")]
            return [stem]
    return []


def capitalised_like(form: str, model: str) -> str:
    """`form` written with `model`'s capitals (the word and its hyphenated parts)."""
    if not model[:1].isupper():
        return form
    return "-".join(part[:1].upper() + part[1:] for part in form.split("-"))


def guess_gender(word: str) -> str:
    """A place's gender from its ending, for a word no dictionary knows."""
    low = word.lower()
    if low.endswith(("лля", "ння", "ття", "сся", "ззя", "жжя", "ччя", "ье", "ие")):
        return "neuter"
    if low.endswith(("а", "я")):
        return "feminine"
    if low.endswith(("о", "е", "є", "ё")):
        return "neuter"
    if low.endswith(("и", "і", "ы")):
        return "plural"
    return "masculine"
