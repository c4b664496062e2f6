"""Glossary validation: each rule names file, entry and field, and good files have no problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.glossary.io import parse_glossary
from service.glossary.validate import Problem, errors_of, validate

ROOT = Path(__file__).parents[1]
REAL_GLOSSARIES = sorted(ROOT.glob("glossaries/*.yaml")) + sorted(
    (ROOT.parent / "shared" / "eval").glob("glossary.yaml")
)

KYIV = """\
- id: kyiv
  kind: place
  gender: masculine
  terms: {en: [Kyiv], uk: [Київ], ru: [Киев]}
"""


def _problems(entries: str, header: str = "name: t\n") -> list[Problem]:
    glossary = parse_glossary(
        header + "entries:\n" + entries, fmt="yaml", glossary_id="t", source="t.yaml"
    )
    return validate(glossary)


def _only(problems: list[Problem], severity: str = "error") -> Problem:
    found = [problem for problem in problems if problem.severity == severity]
    assert len(found) == 1, found
    return found[0]


def test_a_good_entry_has_no_problems() -> None:
    assert _problems(KYIV) == []


@pytest.mark.parametrize("path", REAL_GLOSSARIES, ids=lambda path: path.name)
def test_real_glossaries_have_no_errors(path: Path) -> None:
    glossary = parse_glossary(
        path.read_text(encoding="utf-8"), fmt="yaml", glossary_id=path.stem, source=str(path)
    )
    assert errors_of(validate(glossary)) == []


@pytest.mark.parametrize(
    ("entries", "entry", "field", "words"),
    [
        (
            KYIV
            + KYIV.replace("Київ", "Київщина")
            .replace("Kyiv]", "Kyiv region]")
            .replace("Киев", "Киевщина"),
            "kyiv",
            "id",
            "duplicate",
        ),
        (
            KYIV + "- id: kiev\n  terms: {uk: [Київ], en: [Kiev]}\n",
            "kiev",
            "terms.uk[0]",
            "already a term of entry 'kyiv'",
        ),
        ("- id: a\n  terms: {en: [' Kyiv'], uk: [Київ]}\n", "a", "terms.en[0]", "whitespace"),
        ("- id: a\n  terms: {en: ['Kyiv '], uk: [Київ]}\n", "a", "terms.en[0]", "whitespace"),
        ("- id: a\n  terms: {en: [''], uk: [Київ]}\n", "a", "terms.en[0]", "empty term"),
        ("- id: a\n  terms: {en: [Kyiv], uk: []}\n", "a", "terms.uk", "empty list"),
        ("- id: a\n  terms: {en: [Kyiv], uk: ['Київ  місто']}\n", "a", "terms.uk[0]", "repeated"),
        ("- id: a\n  terms: {en: [Kyiv], de: [Kiew]}\n", "a", "terms.de", "accepted: en, uk, ru"),
        (
            "- id: a\n  terms: {en: [Kyiv], uk: [Київ]}\n  forbidden: {pl: [Kijów]}\n",
            "a",
            "forbidden.pl",
            "unknown language",
        ),
        (
            "- id: a\n  kind: city\n  terms: {en: [Kyiv], uk: [Київ]}\n",
            "a",
            "kind",
            "person, place, organization, term",
        ),
        (
            "- id: a\n  gender: male\n  terms: {en: [Kyiv], uk: [Київ]}\n",
            "a",
            "gender",
            "masculine, feminine, neuter, plural",
        ),
        (
            "- id: a\n  kind: person\n  terms: {en: [Syrskyi], uk: [Сирський]}\n",
            "a",
            "gender",
            "needs a gender",
        ),
        ("- id: a b\n  terms: {en: [Kyiv], uk: [Київ]}\n", "a b", "id", "letters"),
        ("- id: a\n  terms: {}\n", "a", "terms", "no terms"),
        (
            "- id: a\n  terms: {en: [Kyiv], uk: [Київ, Киев]}\n  forbidden: {uk: [Киев]}\n",
            "a",
            "forbidden.uk",
            "also an accepted term",
        ),
    ],
)
def test_each_rule_names_entry_and_field(entries: str, entry: str, field: str, words: str) -> None:
    problem = _only(_problems(entries))
    assert (problem.entry_id, problem.field, problem.file) == (entry, field, "t.yaml")
    assert words in problem.message
    assert str(problem).startswith(f"error: file t.yaml, entry {entry}, field {field}: ")


def test_a_person_without_uk_or_ru_terms_needs_no_gender() -> None:
    problems = _problems("- id: a\n  kind: person\n  terms: {en: [Syrskyi], fr: [Syrsky]}\n")
    assert [problem.field for problem in errors_of(problems)] == ["terms.fr"]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ("forms: {uk: {genitive: Києва}}", "forms.uk.genitive", "unknown case"),
        ("forms: {uk: {nomn: Києва}}", "forms.uk.nomn", "conflicts with the preferred term"),
        (
            "forms: {uk: {gent: Киева}}\n  forbidden: {uk: [Киева]}",
            "forms.uk.gent",
            "also listed as forbidden",
        ),
        (
            "variants: {uk: {loct: [Києві, Кийові]}}\n  forbidden: {uk: [Кийові]}",
            "variants.uk.loct",
            "also listed as forbidden",
        ),
        ("forms: {en: {gent: Kyiv's}}", "forms.en", "apply to uk, ru only"),
        ("forms: {ru: {gent: Киева}}", "forms.ru", "no ru term"),
        ("variants: {uk: {vocative: [Києве]}}", "variants.uk.vocative", "unknown case"),
    ],
)
def test_conflicting_or_unknown_overrides_are_errors(
    overrides: str, field: str, words: str
) -> None:
    entry = f"- id: a\n  terms: {{en: [Kyiv], uk: [Київ]}}\n  {overrides}\n"
    problem = _only(_problems(entry))
    assert (problem.entry_id, problem.field) == ("a", field)
    assert words in problem.message


def test_redundant_or_doubtful_things_are_warnings_not_errors() -> None:
    entries = (
        "- id: a\n  terms: {en: [Kyiv, Kyiv], uk: [Київ]}\n"
        "  forms: {uk: {gent: Києва, plur_gent: Київів}}\n"
        "  variants: {uk: {gent: [Києва]}}\n"
        "- id: b\n  terms: {en: [Kharkiv]}\n"
        "- id: c\n  terms: {en: [Kiev city], uk: [Київ-місто]}\n  forbidden: {uk: [Київ]}\n"
    )
    problems = _problems(entries)
    assert errors_of(problems) == []
    fields = {(problem.entry_id, problem.field) for problem in problems}
    assert fields == {
        ("a", "terms.en[1]"),  # listed twice
        ("a", "forms.uk.plur_gent"),  # plural case, gender not plural
        ("a", "variants.uk.gent"),  # the variant is already the form
        ("b", "terms"),  # one language only
        ("c", "forbidden.uk[0]"),  # another entry's term
    }


def test_file_level_languages_are_checked() -> None:
    problems = _problems(KYIV, header="name: t\nlanguages: [en, uk, de]\n")
    problem = _only(problems)
    assert (problem.entry_id, problem.field) == ("", "languages")
    assert str(problem) == (
        "error: file t.yaml, field languages: unknown language code 'de'; accepted: en, uk, ru"
    )
    warned = _problems(KYIV, header="name: t\nlanguages: [en, uk]\n")
    assert [(p.severity, p.field) for p in warned] == [("warning", "terms.ru")]


def test_every_problem_of_a_file_is_reported_in_file_order() -> None:
    entries = (
        "- id: a\n  kind: city\n  terms: {en: [' Ada'], uk: [Ада]}\n"
        "- id: b\n  kind: person\n  gender: other\n  terms: {en: [Bob], uk: [Боб]}\n"
    )
    problems = errors_of(_problems(entries))
    assert [(p.entry_id, p.field) for p in problems] == [
        ("a", "kind"),
        ("a", "terms.en[0]"),
        ("b", "gender"),
    ]
