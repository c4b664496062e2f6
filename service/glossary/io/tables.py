"""CSV and TSV glossaries: a language-code header (multilingual) or two bare columns, and export."""

from __future__ import annotations

import csv
import io

from service.errors import GlossaryError, GlossaryLimitError
from service.glossary.io.records import (
    Record,
    bool_value,
    build_glossary,
    gender_value,
    language_code,
    looks_like_language,
)
from service.glossary.model import Glossary
from service.vocab import LANGUAGES

# Several terms in one cell (synonyms): Amazon/Google files have one per cell, ours may list more.
TERM_SEPARATOR = "|"
META_COLUMNS = ("id", "kind", "gender", "animate", "declinable", "note")
_NOTE_ALIASES = ("notes", "comment", "comments", "description", "definition")


def parse_table(
    text: str,
    *,
    delimiter: str,
    glossary_id: str,
    source: str,
    column_languages: tuple[str, ...] | None = None,
    name: str = "",
) -> Glossary:
    """Read CSV (`delimiter=","`; `;` files from Excel are detected) or TSV (`"\\t"`)."""
    # Old Mac files end lines with a bare CR, which csv refuses inside unquoted cells.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if delimiter == ",":
        delimiter = _comma_or_semicolon(text)
    rows = [row for row in _rows(text, delimiter, source) if any(cell.strip() for cell in row)]
    if not rows:
        raise GlossaryError("the file has no rows", file=source)
    header = _header(rows[0], source)
    if header is not None:
        body, start = rows[1:], 2
    elif column_languages:
        header, body, start = [language_code(code) for code in column_languages], rows, 1
    else:
        raise GlossaryError(
            "no language-code header row (e.g. `en,uk,ru`): give the languages of the columns "
            "(--columns en,uk)",
            file=source,
        )
    records = [
        _record(header, row, f"row {start + number}", source) for number, row in enumerate(body)
    ]
    return build_glossary(records, glossary_id=glossary_id, source=source, name=name)


def _rows(text: str, delimiter: str, source: str) -> list[list[str]]:
    """Every row; GlossaryError naming the line for what the csv module cannot read."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        where = f"line {reader.line_num}"
        if "field larger than field limit" in str(exc):
            raise GlossaryLimitError(
                f"a cell longer than {csv.field_size_limit()} characters (the limit per cell)",
                file=source,
                entry=where,
            ) from exc
        raise GlossaryError(f"cannot read the table: {exc}", file=source, entry=where) from exc


def dump_table(glossary: Glossary, *, delimiter: str) -> str:
    """Write every field as a header-row table that `parse_table` reads back to equal entries."""
    header = _export_header(glossary)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for entry in glossary.entries:
        cells = {
            "id": entry.id,
            "kind": entry.kind,
            "gender": entry.gender or "",
            "animate": "" if entry.animate is None else str(entry.animate).lower(),
            "declinable": str(entry.declinable).lower(),
            "note": entry.note,
        }
        for language, terms in entry.terms.items():
            cells[language] = TERM_SEPARATOR.join(terms)
        for language, terms in entry.forbidden.items():
            cells[f"forbidden:{language}"] = TERM_SEPARATOR.join(terms)
        for language, forms in entry.forms.items():
            cells.update({f"{language}:{case}": form for case, form in forms.items()})
        for language, table in entry.variants.items():
            for case, variants in table.items():
                cells[f"variants:{language}:{case}"] = TERM_SEPARATOR.join(variants)
        writer.writerow([cells.get(column, "") for column in header])
    return out.getvalue()


def _export_header(glossary: Glossary) -> list[str]:
    languages = list(glossary.languages)
    forbidden, forms, variants = [], [], []
    for entry in glossary.entries:
        languages += [lang for lang in entry.terms if lang not in languages]
        forbidden += [f"forbidden:{lang}" for lang in entry.forbidden]
        forms += [f"{lang}:{case}" for lang, cases in entry.forms.items() for case in cases]
        variants += [
            f"variants:{lang}:{c}" for lang, cases in entry.variants.items() for c in cases
        ]
    extra = list(dict.fromkeys(forbidden + forms + variants))
    return ["id", "kind", "gender", "animate", "declinable", *languages, *extra, "note"]


def _comma_or_semicolon(text: str) -> str:
    """Excel in Ukrainian and Russian locales saves "CSV" with `;` between cells."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        cells = {sep: len(next(csv.reader([first_line], delimiter=sep), [])) for sep in ",;"}
    except csv.Error:  # a line csv cannot read: the full read below says where and why
        return ","
    return ";" if cells[";"] > cells[","] else ","


def _header(row: list[str], source: str) -> list[str] | None:
    """The normalised column names when `row` is a header row, else None."""
    names = [cell.strip().lstrip("\ufeff").lower() for cell in row]
    if not any(looks_like_language(name) and name not in META_COLUMNS for name in names):
        return None
    columns = [_column(name) for name in names]
    if not any(column in LANGUAGES for column in columns):
        return None
    if any(column is None for column in columns):
        if sum(1 for column in columns if column is not None) < 2:
            return None  # data that happens to look like a code, e.g. `ok;ок`
        unknown = [name for name, column in zip(names, columns, strict=True) if column is None]
        raise GlossaryError(
            f"unknown columns {unknown}; accepted: language codes, {', '.join(META_COLUMNS)}, "
            "forbidden:LANG, LANG:CASE, variants:LANG:CASE",
            file=source,
            entry="row 1",
        )
    return [column for column in columns if column is not None]


def _column(name: str) -> str | None:
    """`uk-UA` -> `uk`, `uk:forbidden` -> `forbidden:uk`, `notes` -> `note`; None when unknown."""
    if name in META_COLUMNS:
        return name
    if name in _NOTE_ALIASES:
        return "note"
    if name == "animacy":
        return "animate"
    parts = [part.strip() for part in name.split(":")]
    if len(parts) == 1:
        return language_code(name) if looks_like_language(name) else None
    if "forbidden" in parts and len(parts) == 2:
        other = parts[1] if parts[0] == "forbidden" else parts[0]
        return f"forbidden:{language_code(other)}"
    if parts[0] == "variants" and len(parts) == 3:
        return f"variants:{language_code(parts[1])}:{parts[2]}"
    if parts[0] == "forms" and len(parts) == 3:
        parts = parts[1:]
    if len(parts) == 2 and looks_like_language(parts[0]):
        return f"{language_code(parts[0])}:{parts[1]}"
    return None


def _record(header: list[str], row: list[str], where: str, source: str) -> Record:
    if len(row) > len(header):
        raise GlossaryError(
            f"{len(row)} cells but {len(header)} columns; quote cells that contain the delimiter",
            file=source,
            entry=where,
        )
    record = Record(where=where)
    for column, cell in zip(header, row, strict=False):
        value = cell.strip()
        if value:
            _set(record, column, value, source)
    return record


def _set(record: Record, column: str, value: str, source: str) -> None:
    if column in ("id", "note"):
        setattr(record, column, value)
    elif column == "kind":
        record.kind = value.lower()
    elif column == "gender":
        record.gender = gender_value(value)
    elif column in ("animate", "declinable"):
        flag = bool_value(value, source=source, where=record.where, field=column)
        if column == "animate":
            record.animate = flag
        elif flag is not None:
            record.declinable = flag
    elif column.startswith("forbidden:"):
        record.forbidden[column.split(":")[1]] = _terms(value)
    elif column.startswith("variants:"):
        _, language, case = column.split(":")
        record.variants.setdefault(language, {})[case] = tuple(_terms(value))
    elif ":" in column:
        language, case = column.split(":")
        record.forms.setdefault(language, {})[case] = value
    else:
        record.terms[column] = _terms(value)


def _terms(cell: str) -> list[str]:
    return [term.strip() for term in cell.split(TERM_SEPARATOR) if term.strip()]
