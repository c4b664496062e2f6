"""The word lists enforcement reads per language (`data/<language>.yaml`), as typed records."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

from service.glossary.language_data import case_groups, read_language_file, words
from service.vocab import LANGUAGES

_PACKAGE = "service.glossary.enforcement"


@dataclass(frozen=True)
class GrammarLists:
    """What the words around a term say about its case, in one language (see the data files)."""

    prepositions: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Preposition -> the cases it governs before a name."""
    verb_government: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Verb lemma -> the cases of its object when that is a person, place or organisation."""
    titles: frozenset[str] = frozenset()
    """Nouns of a post or role: a name after one stands in apposition and takes its case."""
    conjunctions: frozenset[str] = frozenset()
    classifiers: frozenset[str] = frozenset()
    copulas: frozenset[str] = frozenset()
    directional_prepositions: frozenset[str] = frozenset()
    hypernyms: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()
    case_hints: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Source word before a term -> the target cases it suggests."""
    phrase_case_hints: Mapping[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    """Source words before a term ("according", "to") -> the target cases they suggest."""
    genitive_prepositions: frozenset[str] = frozenset()
    noun_prepositions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """English prepositions whose hint holds after a noun ("an attack on", "a statement by")."""
    verb_prepositions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The same prepositions' hint after anything else ("signed by")."""
    determiners: frozenset[str] = frozenset()
    object_verbs: frozenset[str] = frozenset()
    """English verb lemmas whose direct object is often a name: a term after one is an object."""
    recipient_verbs: frozenset[str] = frozenset()


@cache
def grammar_lists(language: str) -> GrammarLists:
    """The lists of `language` (en, uk or ru)."""
    table = read_language_file(_PACKAGE, language)
    return GrammarLists(
        prepositions={
            word: frozenset(cases)
            for cases, group in case_groups(table, "prepositions")
            for word in group
        },
        verb_government={
            word: frozenset(cases)
            for cases, group in case_groups(table, "verb_government")
            for word in group
        },
        titles=frozenset(words(table, "titles")),
        conjunctions=frozenset(words(table, "conjunctions")),
        classifiers=frozenset(words(table, "classifiers")),
        copulas=frozenset(words(table, "copulas")),
        directional_prepositions=frozenset(words(table, "directional_prepositions")),
        hypernyms=frozenset(words(table, "hypernyms")),
        articles=frozenset(words(table, "articles")),
        case_hints={
            word: cases for cases, group in case_groups(table, "case_hints") for word in group
        },
        phrase_case_hints={
            tuple(phrase.split()): cases
            for cases, group in case_groups(table, "phrase_case_hints")
            for phrase in group
        },
        genitive_prepositions=frozenset(words(table, "genitive_prepositions")),
        noun_prepositions={
            word: cases
            for cases, group in case_groups(table, "noun_prepositions")
            for word in group
        },
        verb_prepositions={
            word: cases
            for cases, group in case_groups(table, "verb_prepositions")
            for word in group
        },
        determiners=frozenset(words(table, "determiners")),
        object_verbs=frozenset(words(table, "object_verbs")),
        recipient_verbs=frozenset(words(table, "recipient_verbs")),
    )


@cache
def in_any_language() -> GrammarLists:
    """The word sets of every language together, for checks that hold whichever language a word
    is in (a conjunction joins terms in a source and in a translation alike)."""
    every = [grammar_lists(language) for language in LANGUAGES]

    def union(pick: Callable[[GrammarLists], frozenset[str]]) -> frozenset[str]:
        return frozenset(word for lists in every for word in pick(lists))

    return GrammarLists(
        conjunctions=union(lambda lists: lists.conjunctions),
        classifiers=union(lambda lists: lists.classifiers),
        copulas=union(lambda lists: lists.copulas),
        directional_prepositions=union(lambda lists: lists.directional_prepositions),
    )
