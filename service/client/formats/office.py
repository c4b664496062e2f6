"""DOCX (python-docx): every paragraph of the body, tables, headers and footers is translated."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.run import Run

from service.client.formats.parsed_file import FileFormatError, FormatOptions, ParsedFile
from service.client.records import Segment

# Runs of a paragraph, including those inside hyperlinks, tracked insertions and smart tags.
_RUNS = "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r"


def parse_docx(data: bytes, options: FormatOptions) -> ParsedFile:
    """One segment per paragraph with text; the translation goes into the paragraph's first run."""
    del options  # DOCX is XML in a zip: the encoding is fixed by the format.
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FileFormatError(f"not a readable DOCX file: {exc}") from exc
    paragraphs: list[list[Run]] = []
    mixed = 0
    for element in _paragraph_elements(document):
        runs = [Run(r, None) for r in element.xpath(_RUNS)]  # type: ignore[arg-type]
        texted = [run for run in runs if run.text]
        if not "".join(run.text for run in texted).strip():
            continue
        paragraphs.append(texted)
        mixed += len({_format_key(run) for run in texted}) > 1
    segments = tuple(Segment("".join(run.text for run in runs)) for runs in paragraphs)
    warnings = (
        (
            f"{mixed} paragraph(s) mix inline formatting; each translation takes the formatting of "
            "its paragraph's first run",
        )
        if mixed
        else ()
    )

    def render(translations: Sequence[str]) -> bytes:
        for runs, segment, translated in zip(paragraphs, segments, translations, strict=True):
            if translated != segment.text:
                # Sentences cross run boundaries and word order changes, so runs cannot be mapped
                # one to one: the whole paragraph goes into its first text run.
                runs[0].text = translated
                for run in runs[1:]:
                    run.text = ""
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    return ParsedFile(segments, render, warnings)


def _paragraph_elements(document: Any) -> Iterator[Any]:
    """Every w:p of the body (tables and text boxes included), then headers and footers."""
    yield from document.element.body.iter(qn("w:p"))
    seen: set[int] = set()
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous or id(part._element) in seen:
                continue
            seen.add(id(part._element))
            yield from part._element.iter(qn("w:p"))


def _format_key(run: Run) -> bytes:
    properties = run._r.rPr
    return b"" if properties is None else bytes(properties.xml, "utf-8")
