"""Glossary file formats: YAML round trip and type errors, CSV/TSV, TBX v2/v3 and TMX imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.errors import GlossaryError
from service.glossary.io import (
    MAX_GLOSSARY_BYTES,
    dump_table,
    dump_yaml,
    format_for_path,
    load_glossary,
    parse_glossary,
    read_glossary_file,
)
from service.glossary.model import Entry, Glossary

IMPORTS = Path(__file__).parent / "data" / "glossary-imports"
ROOT = Path(__file__).parents[1]
# The shipped glossaries, and the shared evaluation glossary where the checkout has it.
REAL_GLOSSARIES = sorted(ROOT.glob("glossaries/*.yaml")) + sorted(
    (ROOT.parent / "shared" / "eval").glob("glossary.yaml")
)

MINIMAL = """\
name: Test
entries:
- id: kyiv
  kind: place
  gender: masculine
  terms: {en: [Kyiv, Kiev], uk: [Київ], ru: [Киев]}
"""


def _yaml(text: str) -> Glossary:
    return parse_glossary(text, fmt="yaml", glossary_id="test", source="test.yaml")


def _entry(glossary: Glossary, entry_id: str) -> Entry:
    return next(entry for entry in glossary.entries if entry.id == entry_id)


def test_load_glossary_takes_the_id_from_the_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "news-test.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    glossary = load_glossary(path)
    assert glossary.id == "news-test"
    assert glossary.name == "Test"
    assert glossary.source == str(path)
    assert glossary.languages == ("en", "uk", "ru")  # inferred from the terms when not given
    kyiv = glossary.entries[0]
    assert kyiv.terms["en"] == ("Kyiv", "Kiev")
    assert kyiv.preferred("uk") == "Київ"
    assert kyiv.declinable is True
    assert kyiv.animate is None


def test_every_field_survives_a_dump_and_load() -> None:
    entry = Entry(
        id="sumy",
        kind="place",
        terms={"en": ("Sumy",), "uk": ("Суми",), "ru": ("Сумы",)},
        forbidden={"uk": ("Сумы",)},
        gender="plural",
        animate=False,
        declinable=True,
        forms={"uk": {"loct": "Сумах", "plur_gent": "Сум"}},
        variants={"ru": {"gent": ("Сум",)}},
        note="Plurale tantum: 'yes', #not a comment",
    )
    glossary = Glossary(
        id="g",
        name="Name: with colon",
        entries=(entry,),
        description="d",
        languages=("en", "uk", "ru"),
        version="2024-08",
        source="g.yaml",
    )
    again = parse_glossary(dump_yaml(glossary), fmt="yaml", glossary_id="g", source="g.yaml")
    assert again == glossary


@pytest.mark.parametrize("path", REAL_GLOSSARIES, ids=lambda path: path.name)
def test_real_glossaries_round_trip(path: Path) -> None:
    glossary = load_glossary(path)
    assert len(glossary.entries) >= 10
    text = dump_yaml(glossary)
    again = parse_glossary(text, fmt="yaml", glossary_id=glossary.id, source=glossary.source)
    assert again == glossary
    first = glossary.entries[0]
    language, terms = next(iter(first.terms.items()))
    assert f"{language}: [{terms[0]}" in text  # lists of terms are written inline


@pytest.mark.parametrize(
    ("body", "entry", "field"),
    [
        ("- id: a\n  terms: {en: Kyiv, uk: [Київ]}\n", "a", "terms.en"),
        ("- id: a\n  terms: [Kyiv]\n", "a", "terms"),
        ("- id: a\n  terms: {en: [Kyiv, [x]]}\n", "a", "terms.en[1]"),
        ("- id: a\n  animate: maybe\n  terms: {en: [K]}\n", "a", "animate"),
        ("- id: a\n  forms: {uk: Київ}\n  terms: {uk: [Київ]}\n", "a", "forms.uk"),
        ("- id: a\n  forms: {uk: {gent: [Києва]}}\n  terms: {uk: [Київ]}\n", "a", "forms.uk.gent"),
        ("- id: a\n  gendre: masculine\n  terms: {en: [K]}\n", "a", "gendre"),
        ("- terms: {en: [K]}\n", "#1", "id"),
        ("- just a string\n", "#1", ""),
    ],
)
def test_wrong_types_name_file_entry_and_field(body: str, entry: str, field: str) -> None:
    with pytest.raises(GlossaryError) as caught:
        _yaml("name: x\nentries:\n" + body)
    assert caught.value.file == "test.yaml"
    assert caught.value.entry == entry
    assert caught.value.field == field
    assert "test.yaml" in str(caught.value)


@pytest.mark.parametrize(
    "text", ["", "[1, 2]", "name: x\nentries: {a: 1}\n", "name: [unclosed\n", "\tname: x"]
)
def test_a_file_that_is_not_a_glossary_is_refused(text: str) -> None:
    with pytest.raises(GlossaryError, match=r"test\.yaml"):
        _yaml(text)


def test_yaml_aliases_are_refused_before_they_expand() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    with pytest.raises(GlossaryError, match="aliases"):
        _yaml(bomb + "entries: [*i]\n")


def test_an_unreadable_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match=r"missing\.yaml"):
        load_glossary(tmp_path / "missing.yaml")


def test_header_csv_is_multilingual_and_quoted_commas_stay_in_the_term() -> None:
    glossary = read_glossary_file(IMPORTS / "amazon-equivalent-terms.csv")
    assert glossary.languages == ("en", "uk", "ru")
    assert [entry.id for entry in glossary.entries][:2] == ["kyiv", "kursk_region"]
    assert _entry(glossary, "kursk_region").terms["ru"] == ("Курская область",)
    assert glossary.entries[2].terms["en"] == ("Armed Forces of Ukraine, the",)
    assert "ru" not in _entry(glossary, "nato").terms  # an empty cell is no term


def test_headerless_files_need_the_languages_of_their_columns() -> None:
    path = IMPORTS / "deepl-en-uk.tsv"
    with pytest.raises(GlossaryError, match="--columns"):
        read_glossary_file(path)
    glossary = read_glossary_file(path, column_languages=("en", "uk"))
    assert [entry.terms["uk"][0] for entry in glossary.entries] == [
        "Київ",
        "Харків",
        "Донецька область",
        "Київська область",
    ]
    csv = read_glossary_file(
        IMPORTS / "google-unidirectional-en-ru.csv", column_languages=("en", "ru")
    )
    assert _entry(csv, "vladimir_putin").terms == {
        "en": ("Vladimir Putin",),
        "ru": ("Владимир Путин",),
    }


def test_a_row_longer_than_the_columns_names_the_row() -> None:
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(
            "Kyiv,Київ,Киев\n",
            fmt="csv",
            glossary_id="g",
            source="g.csv",
            column_languages=("en", "uk"),
        )
    assert caught.value.entry == "row 1"


def test_excel_exports_in_cp1251_with_semicolons_and_utf16_are_read() -> None:
    cp1251 = read_glossary_file(IMPORTS / "excel-cp1251-semicolon.csv")
    assert _entry(cp1251, "zaporizhzhia_region").terms["ru"] == ("Запорожская область",)
    utf16 = read_glossary_file(IMPORTS / "excel-unicode-text.txt")
    assert _entry(utf16, "estonia").terms == {"en": ("Estonia",), "ru": ("Эстония",)}


def test_extra_csv_columns_carry_metadata_forbidden_terms_and_overrides() -> None:
    glossary = read_glossary_file(IMPORTS / "tlumach-columns.csv")
    syrskyi = _entry(glossary, "syrskyi")
    assert (syrskyi.kind, syrskyi.gender, syrskyi.animate) == ("person", "masculine", True)
    assert syrskyi.terms["uk"] == ("Олександр Сирський", "Сирський")
    assert syrskyi.forbidden == {"uk": ("Сирский",)}
    sudzha = _entry(glossary, "sudzha")  # no id cell: a slug of the English term
    assert sudzha.forms == {"uk": {"loct": "Суджі"}}
    assert (sudzha.animate, sudzha.declinable) == (False, True)
    assert _entry(glossary, "vereshchuk").declinable is False


def test_an_unknown_header_column_is_named() -> None:
    with pytest.raises(GlossaryError, match="definition_x"):
        parse_glossary("en,uk,definition_x\nKyiv,Київ,x\n", fmt="csv", glossary_id="g", source="g")


def test_imported_ids_are_slugs_of_the_english_term_made_unique() -> None:
    text = "en,uk\nKyiv,Київ\nKyiv,Київ (місто)\n,Харків\n"
    glossary = parse_glossary(text, fmt="csv", glossary_id="g", source="g.csv")
    assert [entry.id for entry in glossary.entries] == ["kyiv", "kyiv_2", "kharkiv"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_table_export_reads_back_to_the_same_entries(fmt: str) -> None:
    glossary = read_glossary_file(IMPORTS / "tlumach-columns.csv")
    text = dump_table(glossary, delimiter="," if fmt == "csv" else "\t")
    again = parse_glossary(text, fmt=fmt, glossary_id=glossary.id, source="x")
    assert again.entries == glossary.entries


def test_tbx_v2_reads_every_language_gender_status_and_number() -> None:
    glossary = read_glossary_file(IMPORTS / "tbx2-basic.tbx")
    sudzha = _entry(glossary, "sudzha")
    assert sudzha.terms == {"en": ("Sudzha",), "uk": ("Суджа",), "ru": ("Суджа",)}
    assert sudzha.forbidden == {"uk": ("Судза",)}  # deprecatedTerm-admn-sts
    assert sudzha.gender == "feminine"
    belgorod = _entry(glossary, "belgorod")
    assert belgorod.terms["uk"] == ("Бєлгород",)  # preferredTerm goes first
    assert belgorod.forbidden == {"uk": ("Білгород",)}  # supersededTerm
    assert belgorod.note == "Official Ukrainian spelling"
    assert _entry(glossary, "sumy").gender == "plural"  # grammaticalNumber plural


def test_tbx_v3_dca_reads_custom_kind_declinable_and_animacy() -> None:
    glossary = read_glossary_file(IMPORTS / "tbx3-basic-dca.tbx")
    zelensky = _entry(glossary, "volodymyr_zelensky")
    assert zelensky.kind == "person"
    assert (zelensky.gender, zelensky.animate) == ("masculine", True)
    assert zelensky.terms["en"] == ("Volodymyr Zelensky", "Zelenskyy")
    assert zelensky.forbidden == {"uk": ("Владимир Зеленский",)}
    assert zelensky.note == "President of Ukraine since 2019"
    akhmat = _entry(glossary, "akhmat")
    assert (akhmat.kind, akhmat.declinable) == ("organization", False)


def test_tbx_v3_dct_style_elements_are_data_categories() -> None:
    glossary = read_glossary_file(IMPORTS / "tbx3-basic-dct.tbx")
    (kharkiv,) = glossary.entries
    assert kharkiv.terms == {"en": ("Kharkiv", "Kharkov"), "uk": ("Харків",), "ru": ("Харьков",)}
    assert kharkiv.forbidden == {"uk": ("Харьков",)}
    assert kharkiv.gender == "masculine"


def test_tmx_units_become_term_entries_without_inline_codes() -> None:
    glossary = read_glossary_file(IMPORTS / "memory.tmx")
    assert [entry.kind for entry in glossary.entries] == ["term"] * 3
    npp = _entry(glossary, "kursk_npp")
    assert npp.terms == {"en": ("Kursk NPP",), "uk": ("Курська АЕС",)}
    assert _entry(glossary, "voronezh").terms["ru"] == ("Воронеж",)  # TMX 1.1 `lang`
    assert _entry(glossary, "nizhny_novgorod").terms["uk"] == ("Нижній Новгород",)


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(GlossaryError, match="unsafe XML"):
        read_glossary_file(IMPORTS / "billion-laughs.tbx")


def test_external_entities_are_refused() -> None:
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<tmx><body><tu><tuv xml:lang="en"><seg>&x;</seg></tuv></tu></body></tmx>'
    )
    with pytest.raises(GlossaryError, match="unsafe XML"):
        parse_glossary(xxe, fmt="tmx", glossary_id="g", source="g.tmx")


@pytest.mark.parametrize(
    ("fmt", "text", "message"),
    [
        ("tbx", "<martif><text>", "not well-formed"),
        ("tbx", "<tmx/>", "neither martif"),
        ("tmx", "<martif/>", "not tmx"),
        (
            "tbx",
            "<martif><text><body><termEntry><langSet><tig><term>x</term></tig></langSet>"
            "</termEntry></body></text></martif>",
            "xml:lang",
        ),
        ("docx", "", "unknown format"),
    ],
)
def test_malformed_xml_and_formats_are_glossary_errors(fmt: str, text: str, message: str) -> None:
    with pytest.raises(GlossaryError, match=message):
        parse_glossary(text, fmt=fmt, glossary_id="g", source="g")


def test_a_file_over_the_size_limit_is_refused_before_parsing() -> None:
    with pytest.raises(GlossaryError, match=str(MAX_GLOSSARY_BYTES)):
        parse_glossary(b"x" * (MAX_GLOSSARY_BYTES + 1), fmt="csv", glossary_id="g", source="g")


def test_formats_come_from_suffixes() -> None:
    assert format_for_path(Path("a.yml")) == "yaml"
    assert format_for_path(Path("a.TSV")) == "tsv"
    assert format_for_path(Path("a.xml"), b"<?xml version='1.0'?><tmx version='1.4'>") == "tmx"
    with pytest.raises(GlossaryError, match="suffix"):
        format_for_path(Path("a.docx"))
