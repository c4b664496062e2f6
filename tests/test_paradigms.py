"""The paradigm compiler against hand-checked gold tables (shipped glossary and evaluation set)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from service.errors import GlossaryError
from service.glossary.io.yaml_files import load_glossary
from service.glossary.model import CASES, CompiledTerms, Entry, Glossary, Paradigm
from service.glossary.paradigms.compiler import Compiler

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT / "glossaries" / "news-ua.yaml"
NEWS_GOLD = ROOT / "tests" / "data" / "news-ua-gold.yaml"
EVAL = ROOT.parent / "shared" / "eval" / "glossary.yaml"
EVAL_GOLD = EVAL.with_name("glossary-gold.yaml")


@pytest.fixture(scope="module")
def compiler() -> Compiler:
    return Compiler()


def _paradigm(terms: CompiledTerms, term: str) -> Paradigm:
    found = [p for p in terms.paradigms() if p.term == term]
    assert found, f"{terms.language}: no paradigm for {term!r}"
    return found[0]


def test_news_glossary_matches_hand_gold_for_every_term(compiler: Compiler) -> None:
    glossary = load_glossary(NEWS)
    gold: dict[str, Any] = yaml.safe_load(NEWS_GOLD.read_text(encoding="utf-8"))
    compiled = {item.entry.id: item for item in compiler.compile(glossary).entries}
    wrong = []
    checked = 0
    for entry in glossary.entries:
        for lang in ("uk", "ru"):
            terms = entry.terms.get(lang, ())
            assert set(terms) == set(gold[entry.id][lang]), f"{entry.id}/{lang}: gold lacks a term"
            for term in terms:
                got = _paradigm(compiled[entry.id].languages[lang], term)
                for case, want in zip(CASES, gold[entry.id][lang][term], strict=True):
                    checked += 1
                    if got.forms[case] != want:
                        wrong.append(f"{entry.id} {lang} {case}: {got.forms[case]} != {want}")
    assert not wrong, "\n".join(wrong)
    assert checked >= 40 * 2 * 6


def test_news_glossary_is_rich_enough() -> None:
    glossary = load_glossary(NEWS)
    ids = {entry.id for entry in glossary.entries}
    assert 40 <= len(ids) <= 60
    assert {"sudzha", "syrskyi", "zelensky", "akhmat", "kyiv", "afu", "kilometre"} <= ids
    for entry in glossary.entries:
        assert all(entry.terms.get(lang) for lang in ("en", "uk", "ru")), entry.id
        assert all(entry.forbidden.get(lang) for lang in ("uk", "ru")), entry.id


def _eval_entries() -> list[tuple[Entry, dict[str, Any]]]:
    data: dict[str, Any] = yaml.safe_load(EVAL_GOLD.read_text(encoding="utf-8"))
    glossary = load_glossary(EVAL)
    raw = {item["id"]: item for item in data["entries"]}
    return [(entry, raw[entry.id]) for entry in glossary.entries]


@pytest.mark.skipif(not EVAL_GOLD.exists(), reason="evaluation set not checked out beside the repo")
def test_eval_glossary_matches_gold_forms_alternatives_and_variants(compiler: Compiler) -> None:
    wrong = []
    for entry, raw in _eval_entries():
        compiled = compiler.compile_entry(entry)
        for lang in ("uk", "ru"):
            terms = compiled.languages[lang]
            for case, want in raw.get("forms", {}).get(lang, {}).items():
                if terms.preferred.forms[case] != want:
                    wrong.append(
                        f"{entry.id} {lang} {case}: {terms.preferred.forms[case]} != {want}"
                    )
            alt = raw.get("forms_alt", {}).get(lang)
            if alt:
                paradigm = _paradigm(terms, alt["nomn"])
                wrong += [
                    f"{entry.id} {lang} alt {case}: {paradigm.forms[case]} != {want}"
                    for case, want in alt.items()
                    if paradigm.forms[case] != want
                ]
            for case, accepted in raw.get("variants", {}).get(lang, {}).items():
                for form in accepted:
                    if not any(case in p.cases_of(form) for p in terms.paradigms()):
                        wrong.append(f"{entry.id} {lang} variant {case}: {form} not accepted")
    assert not wrong, "\n".join(wrong)


def _entry(**fields: Any) -> Entry:
    base: dict[str, Any] = {"id": "x", "kind": "place", "animate": False}
    return Entry(**{**base, **fields})


def test_user_forms_override_and_variants_are_added(compiler: Compiler) -> None:
    entry = _entry(
        terms={"uk": ("Крим",)},
        gender="masculine",
        forms={"uk": {"loct": "Криму"}},
        variants={"uk": {"loct": ("Кримі",)}},
    )
    paradigm = compiler.compile_entry(entry).languages["uk"].preferred
    assert paradigm.forms["loct"] == "Криму"
    assert paradigm.cases_of("Кримі") == ("loct",)


def test_unknown_word_is_flagged_and_declined_by_metadata(compiler: Compiler) -> None:
    compiled = compiler.compile_entry(
        _entry(terms={"uk": ("Жмурилівка",), "ru": ("Жмуриловка",)}, gender="feminine")
    )
    uk = compiled.languages["uk"].preferred
    ru = compiled.languages["ru"].preferred
    assert uk.guessed
    assert ru.guessed
    assert [uk.forms[case] for case in CASES[1:]] == [
        "Жмурилівки",
        "Жмурилівці",
        "Жмурилівку",
        "Жмурилівкою",
        "Жмурилівці",
    ]
    assert ru.forms["datv"] == "Жмуриловке"
    assert ru.forms["ablt"] == "Жмуриловкой"
    assert any("Жмурилівка" in warning for warning in compiled.warnings)


def test_feminine_consonant_surname_stays_and_given_name_declines(compiler: Compiler) -> None:
    entry = _entry(
        kind="person",
        animate=True,
        gender="feminine",
        terms={"uk": ("Олена Коваль",), "ru": ("Елена Коваль",)},
    )
    compiled = compiler.compile_entry(entry)
    assert compiled.languages["uk"].preferred.forms["datv"] == "Олені Коваль"
    assert compiled.languages["ru"].preferred.forms["ablt"] == "Еленой Коваль"


def test_animate_masculine_accusative_is_genitive_inanimate_is_nominative(
    compiler: Compiler,
) -> None:
    man = compiler.compile_entry(
        _entry(kind="person", animate=True, gender="masculine", terms={"uk": ("Іван Коваль",)})
    )
    town = compiler.compile_entry(_entry(gender="masculine", terms={"uk": ("Ковель",)}))
    assert man.languages["uk"].preferred.forms["accs"] == "Івана Коваля"
    assert town.languages["uk"].preferred.forms["accs"] == "Ковель"


def test_english_terms_get_the_term_in_every_case(compiler: Compiler) -> None:
    compiled = compiler.compile_entry(_entry(terms={"en": ("Sudzha", "Sudja")}, gender="feminine"))
    assert set(compiled.languages["en"].preferred.forms.values()) == {"Sudzha"}
    assert compiled.languages["en"].alternatives[0].term == "Sudja"


def test_person_without_gender_is_inferred_or_rejected(compiler: Compiler) -> None:
    inferred = compiler.compile_entry(
        _entry(kind="person", animate=True, terms={"uk": ("Олена Коваль",)})
    )
    assert inferred.languages["uk"].preferred.forms["gent"] == "Олени Коваль"
    with pytest.raises(GlossaryError) as error:
        compiler.compile_entry(_entry(kind="person", animate=True, terms={"uk": ("Кшиштоф Ягла",)}))
    assert error.value.entry == "x"
    assert error.value.field == "gender"


def test_unknown_case_in_forms_names_entry_and_field(compiler: Compiler) -> None:
    entry = _entry(gender="feminine", terms={"uk": ("Суджа",)}, forms={"uk": {"dative": "Суджі"}})
    with pytest.raises(GlossaryError) as error:
        compiler.compile(Glossary(id="g", name="g", entries=(entry,), source="g.yaml"))
    assert error.value.field == "forms.uk.dative"
    assert error.value.file == "g.yaml"


def test_compilation_is_deterministic(compiler: Compiler) -> None:
    glossary = load_glossary(NEWS)
    assert compiler.compile(glossary) == Compiler().compile(glossary)
