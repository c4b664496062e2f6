"""A document's units as the model sees them (masked, split to fit), and putting them back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from service.glossary.enforcement.report import TermReport
from service.hypothesis import Hypothesis
from service.text import markup, protect
from service.text.input_check import Checked
from service.text.markup.parsed import ParsedText
from service.text.segment import split_long

CountTokens = Callable[[str], int]
# Characters per token vary: cut a little below the proportional length so most parts fit at once.
_CUT_MARGIN = 0.9


@dataclass(frozen=True)
class Unit:
    """One sentence of a document as the model sees it: masked, cut into parts that fit."""

    masked: protect.Masked
    parts: tuple[str, ...]
    starts: tuple[int, ...]
    """Where each part starts in `masked.text` (parts are sent without edge whitespace)."""


@dataclass(frozen=True)
class Rebuilt:
    """The translated text, its term reports located in the caller's text, and warnings."""

    text: str
    terms: tuple[TermReport, ...]
    warnings: tuple[str, ...]
    alternatives: tuple[str, ...]


def prepare_units(
    text: str, text_format: str, language: str, count_tokens: CountTokens, max_tokens: int
) -> tuple[ParsedText, list[Unit]]:
    """Parse `text`, mask every unit and cut the ones longer than `max_tokens` source tokens."""
    document = markup.parse(text, text_format, language)
    return document, [_prepare(unit, count_tokens, max_tokens) for unit in document.units]


def _prepare(unit: str, count_tokens: CountTokens, max_tokens: int) -> Unit:
    masked = protect.mask(unit)
    pieces = fit(masked.text, count_tokens, max_tokens)
    return Unit(masked, tuple(text for _, text in pieces), tuple(start for start, _ in pieces))


def fit(
    text: str, count_tokens: CountTokens, max_tokens: int, offset: int = 0
) -> list[tuple[int, str]]:
    """(offset, piece) of `text`, stripped, each at most `max_tokens` tokens: never truncated.

    A piece that is still too long after a cut is cut again, so the model never sees more than
    the limit and never loses the end of a sentence.
    """
    stripped = text.strip()
    if not stripped:
        return []
    start = offset + len(text) - len(text.lstrip())
    tokens = count_tokens(stripped)
    if tokens <= max_tokens:
        return [(start, stripped)]
    max_chars = max(1, int(len(stripped) * max_tokens / tokens * _CUT_MARGIN))
    pieces: list[tuple[int, str]] = []
    for piece in split_long(stripped, max_chars):
        pieces.extend(fit(piece, count_tokens, max_tokens, start))
        start += len(piece)
    return pieces


def rebuild(
    document: ParsedText,
    units: Sequence[Unit],
    hypotheses: Sequence[Sequence[Hypothesis]],
    reports: Sequence[Sequence[TermReport]],
    checked: Checked,
    sent: str,
    alternatives: int,
) -> Rebuilt:
    """Restore protected spans, render the document, and place every term in the text `sent`."""
    per_unit = _regroup(hypotheses, units)
    warnings: list[str] = list(document.warnings)
    restored = _restore_all(units, [_join(unit, 0) for unit in per_unit], warnings)
    rendered = document.render_report(restored)
    warnings.extend(rendered.warnings)
    others = tuple(
        document.render(_restore_all(units, [_join(unit, rank) for unit in per_unit], []))
        for rank in range(1, 1 + alternatives)
    )
    terms = _locate_terms(document, units, reports, checked, sent)
    return Rebuilt(rendered.text, terms, tuple(warnings), others)


def _locate_terms(
    document: ParsedText,
    units: Sequence[Unit],
    reports: Sequence[Sequence[TermReport]],
    checked: Checked,
    sent: str,
) -> tuple[TermReport, ...]:
    """Reports with offsets into the caller's text, from the matcher's positions.

    A position goes back through the part cut, the masking, the unit's place in the parsed
    text and the input checks. Units that markup rebuilt (not verbatim slices) are found by
    searching for the term from the previous one on.
    """
    located: list[TermReport] = []
    cursor = 0
    part = 0
    for index, unit in enumerate(units):
        origin = document.origin(index)
        for part_start in unit.starts:
            for report in reports[part] if part < len(reports) else ():
                span = _span(unit, part_start, report, origin, checked)
                if span is None:
                    span = _search(sent, report.source_text, cursor)
                if span is None:
                    located.append(report)
                    continue
                located.append(replace(report, source_start=span[0], source_end=span[1]))
                cursor = span[1]
            part += 1
    return tuple(located)


def _span(
    unit: Unit, part_start: int, report: TermReport, origin: int | None, checked: Checked
) -> tuple[int, int] | None:
    if origin is None or report.source_end <= report.source_start:
        return None
    first = unit.masked.offsets.to_original(part_start + report.source_start)
    last = unit.masked.offsets.to_original(part_start + report.source_end - 1)
    start = checked.offsets.to_original(origin + first)
    end = checked.offsets.to_original(origin + last) + 1
    return start, end


def _search(text: str, needle: str, cursor: int) -> tuple[int, int] | None:
    start = text.find(needle, cursor)
    if start < 0:
        start = text.find(needle)
    return (start, start + len(needle)) if start >= 0 and needle else None


def _regroup(
    hypotheses: Sequence[Sequence[Hypothesis]], units: Sequence[Unit]
) -> list[list[Sequence[Hypothesis]]]:
    grouped: list[list[Sequence[Hypothesis]]] = []
    position = 0
    for unit in units:
        grouped.append(list(hypotheses[position : position + len(unit.parts)]))
        position += len(unit.parts)
    return grouped


def _join(unit: Sequence[Sequence[Hypothesis]], rank: int) -> str:
    """The unit's parts joined by a space, each at hypothesis `rank` (or its best)."""
    return " ".join((part[rank] if rank < len(part) else part[0]).text for part in unit if part)


def _restore_all(
    units: Sequence[Unit], translations: Sequence[str], warnings: list[str]
) -> list[str]:
    """Put the protected spans back into every unit's translation."""
    texts = []
    for unit, translation in zip(units, translations, strict=True):
        restored = protect.restore(translation, unit.masked)
        warnings.extend(restored.warnings)
        texts.append(restored.text)
    return texts
