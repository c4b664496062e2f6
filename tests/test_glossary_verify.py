"""Target-side verification: any paradigm form, used once, in a case the context allows."""

from __future__ import annotations

from service.glossary.enforcement.match import TermMatcher
from service.glossary.enforcement.verify import HOMOGLYPH, MISSING, OK, WRONG_CASE, Verifier
from tests.support.enforce_glossary import entries


def statuses(source: str, target: str, src: str = "en", tgt: str = "uk") -> list[str]:
    matches = TermMatcher(entries(), src).find(source)
    view = Verifier(entries(), tgt).verify(target, matches)
    return [finding.status for finding in view.findings]


def test_any_form_in_an_allowed_case_is_right() -> None:
    assert statuses("Drones hit Odesa near Lviv.", "Дрони вдарили по Одесі біля Львова.") == [
        OK,
        OK,
    ]
    assert statuses("Budanov spoke.", "Кирило Буданов заявив.") == [OK]


def test_nominative_after_a_preposition_is_a_wrong_case() -> None:
    assert statuses("Drones hit targets near Lviv.", "Дрони вдарили біля Львів.") == [WRONG_CASE]
    assert statuses("Drones hit Odesa.", "Беспилотники ударили по Одесса.", tgt="ru") == [
        WRONG_CASE
    ]


def test_nominative_after_an_infinitive_or_dative_verb_is_wrong() -> None:
    source = "They must not allow Odesa to fall."
    assert statuses(source, "Вони не повинні дозволити Одеса впасти.") == [WRONG_CASE]
    assert statuses("He thanked Budanov.", "Він подякував Буданова.") == [WRONG_CASE]
    # An inverted subject after the verb is fine.
    assert statuses("Budanov said so.", "Так заявив Буданов.") == [OK]


def test_each_target_form_counts_once() -> None:
    source = "Odesa and Odesa again."
    assert statuses(source, "Одеса і знову Одеса.") == [OK, OK]
    assert statuses(source, "Одеса і знову місто.") == [OK, MISSING]


def test_forbidden_variants_are_flagged() -> None:
    matches = TermMatcher(entries(), "en").find("Residents of Odesa.")
    view = Verifier(entries(), "uk").verify("Мешканці Одесса.", matches)
    assert [f.status for f in view.findings] == [MISSING]
    assert [" ".join(span.ref.tokens) for span in view.forbidden] == ["Одесса"]
    assert not view.satisfied


def test_homoglyphs_count_but_are_flagged_for_rewriting() -> None:
    assert statuses("Budanov spoke.", "Кирилo Буданов заявив.") == [HOMOGLYPH]


def test_lower_case_homograph_does_not_count_as_the_surname() -> None:
    assert statuses("Tykhy spoke.", "Вечір був тихий.") == [MISSING]
