"""The report of each term occurrence after a pass: kept (perhaps in doubt), repaired, failed."""

from __future__ import annotations

from service.glossary.enforcement.report import TermReport
from service.glossary.enforcement.verify import Finding
from service.vocab import KEPT


def term_report(
    finding: Finding, form: str, case: str, outcome: str, method: str, original: str = ""
) -> TermReport:
    """The report of `finding` with what enforcement left at its place."""
    match = finding.match
    return TermReport(
        entry_id=match.entry.entry.id,
        glossary_id=match.entry.glossary_id,
        source_text=match.text,
        source_start=match.start,
        source_end=match.end,
        target_text=form,
        grammatical_case=case,
        outcome=outcome,
        method=method,
        original_text=original,
    )


def kept_report(finding: Finding) -> TermReport:
    """A right form left as it is: its case is the best-supported of the form's cases."""
    span = finding.span
    cases = span.ref.cases if span is not None else ()
    fitting = [c for c in cases if c in finding.need.domain]
    best = finding.need.best()
    case = ([c for c in fitting if c in best] or fitting or list(cases) or [""])[0]
    form = " ".join(span.ref.tokens) if span is not None else ""
    method = "match+doubt" if finding.doubted else "match"
    return term_report(finding, form, case, KEPT, method)


def doubt_warning(finding: Finding) -> str:
    """The warning for a form kept although some clues point elsewhere (never a repair: the
    evidence was too weak or split to change a sentence that may be right)."""
    cases = set(finding.span.ref.cases) if finding.span is not None else set()
    wanted = "/".join(sorted(finding.need.best()))
    return (
        f"term {finding.match.entry.entry.id}: kept as written; {finding.need.against(cases)} "
        f"suggest {wanted}, not enough to change it"
    )
