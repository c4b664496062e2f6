"""Check a translation against the source's terms: a right form, in the case the sentence needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from service.glossary.enforcement.evidence import CaseNeed, Evidence
from service.glossary.enforcement.match import (
    ACCEPTED,
    FORBIDDEN,
    FormIndex,
    Span,
    TermMatch,
    glossary_ranks,
    select,
)
from service.glossary.enforcement.name_parts import NameParts, NameRendering
from service.glossary.enforcement.resolver import CaseResolver
from service.glossary.enforcement.tokens import Token, matching_form, tokenize
from service.glossary.model import CompiledEntry

OK = "ok"
WRONG_CASE = "wrong_case"
NAME_PARTS = "name_parts"
"""A multiword name whose words disagree in case or mix the two languages' spellings."""
HOMOGLYPH = "homoglyph"
MISSING = "missing"


@dataclass(frozen=True)
class Finding:
    """What the translation holds for one source occurrence."""

    match: TermMatch
    status: str
    span: Span | None = None
    need: CaseNeed = field(default_factory=CaseNeed)
    """What the sentence needs at the span: its clues, weighed."""

    @property
    def doubted(self) -> bool:
        """True for a right form whose case some clues speak against (left alone, reported)."""
        return (
            self.status == OK
            and self.span is not None
            and self.need.doubts(set(self.span.ref.cases))
        )


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
    accepted: tuple[Span, ...] = ()
    """Every accepted form of any matched entry found in the text (subjects, conjuncts)."""

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
        self.resolver = CaseResolver(self.entries, language)
        self._names = NameParts(self.entries, language)

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
            findings.append(self._check(text, tokens, match, span, accepted))
        wanted = {match.position for match in matches}
        forbidden = tuple(s for s in spans if s.ref.role == FORBIDDEN and s.ref.position in wanted)
        claimed = {i for s in accepted for i in range(s.start, s.end)}
        # A whole name rendered wrongly ("Вадима Скібіцький") is claimed with its first words.
        claimed |= {i for f in findings if f.span for i in range(f.span.start, f.span.end)}
        return TranslationCheck(
            text, tokens, tuple(findings), forbidden, frozenset(claimed), tuple(accepted)
        )

    def _check(
        self, text: str, tokens: list[Token], match: TermMatch, span: Span, spans: list[Span]
    ) -> Finding:
        rendering = self._names.rendering(tokens, span)
        if rendering is not None:
            return self._name_parts(tokens, match, span, rendering, spans)
        cases = set(span.ref.cases)
        need = self.resolver.need(tokens, span.start, span.end, match, spans)
        if need.rules_out(cases):
            return Finding(match, WRONG_CASE, span, need)
        start, end = tokens[span.start].start, tokens[span.end - 1].end
        raw = text[start:end]
        status = HOMOGLYPH if matching_form(raw) != raw and _letters_differ(raw) else OK
        return Finding(match, status, span, need)

    def _name_parts(
        self,
        tokens: list[Token],
        match: TermMatch,
        span: Span,
        rendering: NameRendering,
        spans: list[Span],
    ) -> Finding:
        """ "Вадима Скібіцький": the whole name is the span, and each part says its case (the
        inflected part more: a model pastes the nominative of a name it does not know)."""
        need = self.resolver.need(tokens, rendering.start, rendering.end, match, spans)
        parts = [rendering.leading_cases, frozenset(span.ref.cases)]
        need = need.plus(
            *(
                Evidence("name-agreement", cases, 1.0 if cases <= {"nomn"} else 3.0)
                for cases in parts
                if cases
            )
        )
        words = tuple(token.text for token in tokens[rendering.start : rendering.end])
        cases = tuple(sorted(rendering.leading_cases & set(span.ref.cases)))
        ref = replace(span.ref, tokens=words, cases=cases, paradigm=rendering.paradigm)
        return Finding(match, NAME_PARTS, Span(ref, rendering.start, rendering.end), need)


def _letters_differ(raw: str) -> bool:
    """True when normalising changed a letter (not only quotes or apostrophes)."""
    return any(a != b and a.isalpha() for a, b in zip(raw, matching_form(raw), strict=True))
