"""The per-language word lists (data/<language>.yaml) are well formed, so editing one is safe."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from service.glossary.analyzers import analyzer, english_lemmas
from service.glossary.enforcement.readings import lemma_key
from service.glossary.enforcement.word_lists import grammar_lists, in_any_language
from service.glossary.language_data import case_groups, read_language_file
from service.glossary.model import CASES
from service.glossary.paradigms.word_lists import paradigm_lists
from service.vocab import INFLECTED_LANGUAGES, LANGUAGES

FILES = [("service.glossary.enforcement", lang) for lang in LANGUAGES]
FILES += [("service.glossary.paradigms", lang) for lang in INFLECTED_LANGUAGES]


@pytest.mark.parametrize(("package", "language"), FILES)
def test_every_word_is_lower_case_and_every_case_is_known(package: str, language: str) -> None:
    table = read_language_file(package, language)
    assert table, f"{package} has no word lists for {language}"
    for name, value in table.items():
        grouped = isinstance(value, list) and bool(value) and isinstance(value[0], dict)
        groups = case_groups(table, name) if grouped else []
        for cases, words in groups:
            assert set(cases) <= set(CASES), f"{language} {name}: unknown case in {cases}"
            assert words, f"{language} {name}: a group without words"
        flat = [w for _, words in groups for w in words] if groups else _words(value)
        assert flat == [word.lower() for word in flat], f"{language} {name}: write lower case"
        if groups:
            repeated = sorted({w for w in flat if flat.count(w) > 1})
            assert not repeated, f"{language} {name}: {repeated} in two groups"


def _words(value: object) -> list[str]:
    if isinstance(value, dict):
        return [word for words in value.values() for word in words]
    assert isinstance(value, list)
    return list(value)


def test_the_lists_reach_the_code_that_reads_them() -> None:
    assert grammar_lists("uk").prepositions["біля"] == frozenset({"gent"})
    assert grammar_lists("ru").prepositions["в"] == frozenset({"accs", "loct"})
    assert grammar_lists("en").phrase_case_hints[("according", "to")] == ("gent",)
    assert {"і", "и", "and"} <= in_any_language().conjunctions
    assert paradigm_lists("uk").adjectival_surname_endings["masculine"] == ("ий", "ній", "ой")
    assert "ська" in paradigm_lists("uk").adjective_endings


def test_a_malformed_or_missing_file_fails_loudly() -> None:
    with pytest.raises(TypeError, match="must be a list of words"):
        case_groups({"prepositions": [{"cases": "gent", "words": ["до"]}]}, "prepositions")
    with pytest.raises(FileNotFoundError):
        read_language_file("service.glossary.paradigms", "en")
    packaged = resources.files("service.glossary.enforcement").joinpath("data", "uk.yaml")
    assert isinstance(yaml.safe_load(packaged.read_text(encoding="utf-8")), dict)


@pytest.mark.parametrize("language", INFLECTED_LANGUAGES)
def test_every_governing_verb_is_a_verb_lemma_of_the_dictionary(language: str) -> None:
    """A misspelt or non-verb entry would silently never match (pymorphy3 lemmas are looked up)."""
    lists = grammar_lists(language)
    assert len(lists.verb_government) > 300, "news prose needs a few hundred verbs"
    unknown = [
        verb
        for verb in lists.verb_government
        if not any(
            lemma_key(p.normal_form) == verb and p.tag.POS in ("VERB", "INFN")
            for p in analyzer(language).parse(verb)
        )
    ]
    assert not unknown, f"{language}: not verb lemmas of pymorphy3's dictionary: {unknown}"
    assert lists.verb_government["подякувати" if language == "uk" else "поблагодарить"] == (
        frozenset({"datv"}) if language == "uk" else frozenset({"accs"})
    )


@pytest.mark.parametrize("language", INFLECTED_LANGUAGES)
def test_every_title_is_a_noun_the_dictionary_knows(language: str) -> None:
    known = [
        title
        for title in grammar_lists(language).titles
        if any(
            lemma_key(p.normal_form) == title and p.tag.POS in ("NOUN", "ADJF") and p.is_known
            for p in analyzer(language).parse(title)
        )
    ]
    missing = sorted(set(grammar_lists(language).titles) - set(known))
    assert not missing, f"{language}: titles the dictionary does not know as nouns: {missing}"


def test_every_english_object_verb_is_a_verb_lemminflect_knows() -> None:
    import lemminflect

    lists = grammar_lists("en")
    verbs = lists.object_verbs | lists.recipient_verbs
    assert lists.recipient_verbs <= lists.object_verbs | lists.recipient_verbs
    unknown = sorted(v for v in verbs if not lemminflect.getAllInflections(v, upos="VERB"))
    assert not unknown, f"not verbs to lemminflect: {unknown}"
    assert english_lemmas("thanked")["VERB"] == ("thank",)
