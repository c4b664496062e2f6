"""The case resolver: each kind of clue, how they are weighed, and what verification does with a
form the sentence does not need (repaired when the clues are clear, kept and reported when not)."""

from __future__ import annotations

import pytest

from service.glossary.enforcement.evidence import ALL_CASES, OBLIQUE, CaseNeed, Evidence
from service.glossary.enforcement.match import TermMatcher
from service.glossary.enforcement.report import EnforcementResult
from service.vocab import KEPT, REPAIRED_FORM
from tests.support.enforce_glossary import draft, enforce_rules, entries


def enforce(source: str, target: str, src: str = "en", tgt: str = "uk") -> EnforcementResult:
    return enforce_rules(source, src, tgt, draft(target), entries())


def clues(source: str, src: str = "en") -> list[list[str]]:
    """The kinds of source clue of each term in `source`."""
    return [[e.kind for e in m.evidence] for m in TermMatcher(entries(), src).find(source)]


# --- Weighing ---------------------------------------------------------------------------------


def test_a_governing_word_rules_out_cases_outside_its_domain() -> None:
    need = CaseNeed((Evidence("preposition", frozenset({"accs", "loct"}), governs=True),))
    assert need.rules_out({"nomn"})
    assert not need.rules_out({"nomn", "accs"})
    assert need.best() == frozenset()


def test_one_strong_clue_decides_but_one_weak_clue_does_not() -> None:
    domain = Evidence("preposition", frozenset({"accs", "loct"}), governs=True)
    strong = CaseNeed((domain, Evidence("en-preposition", frozenset({"loct"}), 3.0)))
    assert strong.rules_out({"nomn", "accs"})  # "в Ізюм" for "in Izium"
    weak = CaseNeed((Evidence("genitive attribute", frozenset({"gent"}), 2.0),))
    assert not weak.rules_out({"nomn"})
    assert weak.doubts({"nomn"})
    agreeing = weak.plus(Evidence("en-genitive", frozenset({"gent"}), 2.0))
    assert agreeing.rules_out({"nomn"})


def test_a_clue_that_names_no_case_overrules_nothing() -> None:
    # "not the subject" alone leaves five cases open: no form can be chosen from it.
    need = CaseNeed((Evidence("subject present", OBLIQUE, 3.0),))
    assert not need.rules_out({"nomn"})
    assert not need.doubts({"nomn"})


def test_split_clues_keep_the_form() -> None:
    need = CaseNeed(
        (
            Evidence("verb", frozenset({"datv"}), 4.0, "сказати"),
            Evidence("inverted subject", frozenset({"nomn"}), 2.0),
            Evidence("en-subject", frozenset({"nomn"}), 2.0),
        )
    )
    assert not need.rules_out({"nomn"})
    assert need.reason("datv") == "verb сказати"
    assert need.against({"nomn"}) == "verb сказати"
    assert set(need.domain) == ALL_CASES


# --- Clues from the source --------------------------------------------------------------------


def test_english_location_direction_possessive_and_role() -> None:
    assert clues("Sirens sounded in Sudzha.") == [["en-preposition"]]
    assert clues("Troops moved into Sudzha.") == [["en-preposition"]]
    assert clues("Sudzha's mayor left.") == [["en-possessive"]]
    assert clues("The president thanked Budanov.") == [["en-object"]]
    assert clues("Kyiv handed Budanov a list.") == [["en-object", "en-recipient"]]
    assert clues("Budanov said the attack failed.") == [["en-subject"]]
    assert clues("Sudzha was shelled overnight.") == [[]]  # passive: the translation decides
    assert clues("Sudzha residents left.") == [["en-adjunct"]]
    assert clues("Including Latvia and Estonia.")[0] == []  # a preposition, not a verb


def test_list_items_share_the_english_preposition() -> None:
    [first, second, third] = TermMatcher(entries(), "en").find("Aid went to Odesa, Lviv and Kursk.")
    assert [e.kind for e in second.evidence] == ["en-preposition"]
    assert second.hints == third.hints == first.hints
    # A comma that ends a clause shares nothing.
    [_, lviv] = TermMatcher(entries(), "en").find("According to Budanov, Lviv is safe.")
    assert lviv.hints == ()


def test_inflected_source_case_is_narrowed_by_its_preposition() -> None:
    [match] = TermMatcher(entries(), "uk").find("Вибухи пролунали в Одесі.")
    [evidence] = match.evidence
    assert (evidence.kind, evidence.cases) == ("source-case", frozenset({"loct"}))


def test_a_source_verb_explains_its_case_and_says_only_that_the_term_is_an_object() -> None:
    # ru "поблагодарил Буданова" (accusative) is uk "подякував Буданову" (dative).
    [match] = TermMatcher(entries(), "ru").find("Президент поблагодарил Буданова.")
    assert [(e.kind, e.weight) for e in match.evidence] == [
        ("source-object", 2.0),
        ("source-case", 1.0),
    ]
    result = enforce("Президент поблагодарил Буданова.", "Президент подякував Буданова.", "ru")
    assert result.text == "Президент подякував Буданову."


# --- Repairs the clues make clear -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "expected", "src", "tgt"),
    [
        # Location and direction after в/у/на: the English preposition, the uk/ru source case.
        (
            "Sirens sounded in Kursk.",
            "Сирени лунали в Курськ.",
            "Сирени лунали в Курську.",
            "en",
            "uk",
        ),
        (
            "Взрывы прогремели в Курске.",
            "Вибухи пролунали в Курськ.",
            "Вибухи пролунали в Курську.",
            "ru",
            "uk",
        ),
        # A verb's object: the verb has its subject, or cannot agree with the term.
        (
            "The president thanked Budanov.",
            "Президент подякував Буданов.",
            "Президент подякував Буданову.",
            "en",
            "uk",
        ),
        (
            "Ukraine asked Budanov to help.",
            "Україна попросила Буданов допомогти.",
            "Україна попросила Буданова допомогти.",
            "en",
            "uk",
        ),
        # Impersonal plural after a singular place: its object, and the verb stays plural.
        (
            "Sudzha was shelled again.",
            "Суджа знову обстріляли.",
            "Суджу знову обстріляли.",
            "en",
            "uk",
        ),
        # Apposition to a title; a list takes the case of its governed first item.
        (
            "He met General Kyrylo Budanov.",
            "Він зустрівся з генералом Кирило Буданов.",
            "Він зустрівся з генералом Кирилом Будановим.",
            "en",
            "uk",
        ),
        (
            "Aid went to Odesa, Lviv and Kursk.",
            "Допомога пішла до Одеси, Львів та Курська.",
            "Допомога пішла до Одеси, Львова та Курська.",
            "en",
            "uk",
        ),
        # One name, two cases: the inflected given name and the context decide.
        (
            "He spoke about Kyrylo Budanov's plan.",
            "Він розповів про план Кирила Буданов.",
            "Він розповів про план Кирила Буданова.",
            "en",
            "uk",
        ),
        # A given name in the other language's spelling inside a right surname.
        (
            "He met Kyrylo Budanov.",
            "Он встретился с Кирилом Будановым.",
            "Он встретился с Кириллом Будановым.",
            "en",
            "ru",
        ),
    ],
)
def test_clear_clues_repair_the_form(
    source: str, target: str, expected: str, src: str, tgt: str
) -> None:
    result = enforce(source, target, src, tgt)
    assert result.text == expected


def test_the_report_names_the_clues_that_decided() -> None:
    result = enforce("Sirens sounded in Kursk.", "Сирени лунали в Курськ.")
    [report] = result.reports
    assert report.outcome == REPAIRED_FORM
    assert report.method == "wrong-case+preposition в+en-preposition in"
    names = enforce("He met Kyrylo Budanov.", "Он встретился с Кирилом Будановым.", tgt="ru")
    assert names.reports[0].method.startswith("name-parts+preposition с")
    assert names.reports[0].original_text == "Кирилом Будановым"


# --- Sentences that are right stay as they are ----------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "src", "tgt"),
    [
        # An inverted subject after a verb that governs another case.
        ("Budanov said this.", "Про це сказав Буданов.", "en", "uk"),
        (
            "As Budanov said, the attack failed.",
            "Як повідомив Буданов, атака провалилася.",
            "en",
            "uk",
        ),
        # OVS: an inanimate object that looks nominative is no subject.
        ("Budanov signed the document.", "Документ підписав Буданов.", "en", "uk"),
        ("Документ підписав Буданов.", "Документ подписал Буданов.", "uk", "ru"),
        # A title's genitive possessor, and a title's nominative name.
        ("Budanov's deputy spoke.", "Заступник Буданова виступив.", "en", "uk"),
        ("General Kyrylo Budanov arrived.", "Генерал Кирило Буданов прибув.", "en", "uk"),
        # "in" where the translation has no preposition: a genitive.
        ("The authorities in Sudzha left.", "Влада Суджі виїхала.", "en", "uk"),
        # An impersonal clause keeps its plural verb; a passive keeps the nominative.
        ("Kursk was liberated.", "Курськ звільнили.", "en", "uk"),
        ("Sudzha was shelled.", "Суджа зазнала обстрілу.", "en", "uk"),
        # Two clauses joined by "а": the second term is the subject of its own.
        (
            "Budanov stayed in Kursk, and Tykhy left.",
            "Буданов залишився в Курську, а Тихий поїхав.",
            "en",
            "uk",
        ),
        (
            "Budanov came from Odesa, and Tykhy said so.",
            "Буданов приїхав з Одеси і Тихий про це сказав.",
            "en",
            "uk",
        ),
    ],
)
def test_right_sentences_stay_untouched(source: str, target: str, src: str, tgt: str) -> None:
    result = enforce_rules(source, src, tgt, draft(target), entries())
    assert result.text == target
    assert {r.outcome for r in result.reports} == {KEPT}


def test_weak_clues_against_a_form_are_reported_not_acted_on() -> None:
    # A noun before the name hints at a genitive, but nothing else does: kept, with a warning.
    result = enforce("Its deputy Budanov spoke.", "Заява Буданов прозвучала.")
    [report] = result.reports
    assert (report.outcome, report.method) == (KEPT, "match+doubt")
    assert result.text == "Заява Буданов прозвучала."
    assert result.warnings == (
        "term budanov: kept as written; genitive attribute suggest gent, not enough to change it",
    )


def test_a_dictionary_form_the_paradigm_lacks_is_kept_not_rewritten() -> None:
    # Suppose a compiled paradigm lacks a standard form: "Одесі" dropped from Odesa's (uk).
    from dataclasses import replace

    from service.glossary.enforcement.match import terms_of

    odesa = next(e for e in entries() if e.entry.id == "odesa")
    compiled = terms_of(odesa, "uk")
    assert compiled is not None
    forms = {case: form for case, form in compiled.preferred.forms.items() if form != "Одесі"}
    lacking = replace(
        odesa,
        languages={
            **odesa.languages,
            "uk": replace(
                compiled, preferred=replace(compiled.preferred, forms=forms, variants={})
            ),
        },
    )
    others = tuple(e for e in entries() if e.entry.id != "odesa")
    result = enforce_rules(
        "Sirens sounded in Odesa.", "en", "uk", draft("Сирени лунали в Одесі."), (lacking, *others)
    )
    assert result.text == "Сирени лунали в Одесі."
    assert (result.reports[0].outcome, result.reports[0].method) == (KEPT, "dictionary-form")
    assert result.reports[0].grammatical_case == "loct"
