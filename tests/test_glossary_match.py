"""Source-side term matching: longest first, precedence, variants, inflection, homographs."""

from __future__ import annotations

from dataclasses import replace

from service.glossary.enforcement.match import TermMatcher
from tests.support.enforce_glossary import entries, entry


def found(source: str, language: str) -> list[tuple[str, str]]:
    return [(m.entry.entry.id, m.text) for m in TermMatcher(entries(), language).find(source)]


def test_longest_match_wins_within_a_glossary() -> None:
    assert found("Shelling in the Kursk region and in Kursk.", "en") == [
        ("kursk_oblast", "Kursk region"),
        ("kursk", "Kursk"),
    ]


def test_earlier_glossary_wins_over_a_longer_match_of_a_later_one() -> None:
    city = replace(entry("kursk"), glossary_id="first")
    region = replace(entry("kursk_oblast"), glossary_id="second")
    matches = TermMatcher([city, region], "en").find("Shelling in the Kursk region.")
    assert [(m.entry.entry.id, m.text) for m in matches] == [("kursk", "Kursk")]


def test_english_possessive_variant_and_offsets() -> None:
    source = "Budanov's deputy met Kirill Budanov."
    matches = TermMatcher(entries(), "en").find(source)
    assert [(m.text, m.hints) for m in matches] == [("Budanov", ("gent",)), ("Kirill Budanov", ())]
    assert all(source[m.start : m.end] == m.text for m in matches)


def test_inflected_ukrainian_source_gives_the_case() -> None:
    matches = TermMatcher(entries(), "uk").find("Президент зустрівся з Кирилом Будановим в Одесі.")
    assert [(m.entry.entry.id, m.cases) for m in matches] == [
        ("budanov", ("ablt",)),
        ("odesa", ("datv", "loct")),
    ]


def test_homoglyphs_are_normalised() -> None:
    latin_o = "Заява Кирила Будановa"  # the last letter is a Latin "a"
    assert found(latin_o, "uk") == [("budanov", "Кирила Будановa")]


def test_lower_case_homograph_is_not_the_surname() -> None:
    assert found("Над морем був тихий вечір.", "uk") == []
    assert found("Тихий вечір настав над містом.", "uk") == []
    assert found("Тихий заявив, що вечір був тихий.", "uk") == [("tykhy", "Тихий")]


def test_whole_words_only() -> None:
    assert found("Kurskaya street", "en") == []
    assert found("Одесити святкують.", "uk") == []


def test_conjoined_terms_know_their_partner() -> None:
    latvia, estonia = TermMatcher(entries(), "en").find("Latvia and Estonia protested.")
    assert latvia.partner == (estonia.position, True)
    assert estonia.partner == (latvia.position, False)
