"""Check a translation against the source's terms: a right form, in a case the context allows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from service.glossary.enforcement.grammar import Constraint, context_constraint, genitive_attribute
from service.glossary.enforcement.match import (
    ACCEPTED,
    FORBIDDEN,
    FormIndex,
    Span,
    TermMatch,
    glossary_ranks,
    select,
)
from service.glossary.enforcement.tokens import Token, matching_form, tokenize
from service.glossary.model import CompiledEntry

OK = "ok"
WRONG_CASE = "wrong_case"
HOMOGLYPH = "homoglyph"
MISSING = "missing"


@dataclass(frozen=True)
class Finding:
    """What the translation holds for one source occurrence."""

    match: TermMatch
    status: str
    span: Span | None = None
    constraint: Constraint = field(default_factory=Constraint)


@dataclass(frozen=True)
class TranslationCheck:
    """Every source occurrence checked against one translation."""

    text: str
    tokens: list[Token]
    findings: tuple[Finding, ...]
    forbidden: tuple[Span, ...]
    """Forbidden variants of the matched entries that the translation contains."""
    claimed: frozenset[int]
    """Token indexes covered by an accepted form of any entry (never a repair target)."""

    @property
    def satisfied(self) -> bool:
        """True when every occurrence has a right form and no forbidden variant is present."""
        return not self.forbidden and all(finding.status == OK for finding in self.findings)


class Verifier:
    """Verifies translations into one language against a request's entries."""

    def __init__(self, entries: Sequence[CompiledEntry], language: str) -> None:
        self.entries = tuple(entries)
        self.language = language
        self._index = FormIndex.build(self.entries, language)
        self._ranks = glossary_ranks(self.entries)

    def verify(self, text: str, matches: Sequence[TermMatch]) -> TranslationCheck:
        """Find a form per occurrence (each target form used once) and flag forbidden variants."""
        tokens = tokenize(text, self.language)
        spans = select(self._index.spans(tokens), self._ranks)
        accepted = [span for span in spans if span.ref.role == ACCEPTED]
        used: set[int] = set()
        findings = []
        for match in matches:
            span = next(
                (
                    s
                    for i, s in enumerate(accepted)
                    if i not in used and s.ref.position == match.position
                ),
                None,
            )
            if span is None:
                findings.append(Finding(match, MISSING))
                continue
            used.add(accepted.index(span))
            findings.append(self._check(text, tokens, match, span))
        wanted = {match.position for match in matches}
        forbidden = tuple(s for s in spans if s.ref.role == FORBIDDEN and s.ref.position in wanted)
        claimed = frozenset(i for s in accepted for i in range(s.start, s.end))
        return TranslationCheck(text, tokens, tuple(findings), forbidden, claimed)

    def _check(self, text: str, tokens: list[Token], match: TermMatch, span: Span) -> Finding:
        cases = set(span.ref.cases)
        constraint = constraint_for(tokens, match, span.start, span.end, self.language, cases)
        if constraint.allowed is not None and not cases & constraint.allowed:
            return Finding(match, WRONG_CASE, span, constraint)
        start, end = tokens[span.start].start, tokens[span.end - 1].end
        raw = text[start:end]
        status = HOMOGLYPH if matching_form(raw) != raw and _letters_differ(raw) else OK
        return Finding(match, status, span, constraint)


def constraint_for(
    tokens: list[Token],
    match: TermMatch,
    start: int,
    end: int,
    language: str,
    cases: set[str] | None = None,
) -> Constraint:
    """The cases the target context allows at tokens [start, end) for `match`'s term."""
    animate = bool(match.entry.entry.animate)
    constraint = context_constraint(tokens, start, end, language, animate=animate)
    if constraint.allowed is not None or (cases is not None and not cases <= {"nomn", "accs"}):
        return constraint
    # "Мер Москва" for "Moscow's mayor": a noun before, and the source says genitive.
    source_says = "gent" in match.hints or set(match.cases) == {"gent"}
    if source_says and genitive_attribute(tokens, start, language):
        return Constraint(frozenset({"gent"}), "genitive attribute")
    return constraint


def _letters_differ(raw: str) -> bool:
    """True when normalising changed a letter (not only quotes or apostrophes)."""
    return any(a != b and a.isalpha() for a, b in zip(raw, matching_form(raw), strict=True))
