"""The case a term occurrence needs in the translation, from every clue there is.

Clues come from the source (its word's own case, English prepositions and word order; gathered
when the term is matched) and from the translation: the preposition or verb that governs the
term, whether the verb has its subject already, a title the name stands in apposition to, a
conjoined term, an agreeing adjective, the noun a genitive depends on, and the other words of
the same name. Each is weighed (`evidence.CaseNeed`); verification then asks whether the form in
the translation is in a case the sentence needs, not merely a form of the paradigm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from service.glossary.enforcement.attachment import attachment_evidence
from service.glossary.enforcement.evidence import ALL_CASES, CaseNeed, Evidence
from service.glossary.enforcement.government import (
    IMPERSONAL,
    preposition_evidence,
    term_of,
    verb_evidence,
)
from service.glossary.enforcement.match import Span, TermMatch
from service.glossary.enforcement.source_evidence import EN_PREPOSITION
from service.glossary.enforcement.tokens import Token
from service.glossary.model import CompiledEntry, Entry

_CHAIN = 4
"""How many conjuncts back a list's case is followed ("у Бучі, Ірпені, Гостомелі та ...")."""
_UNGOVERNED_PREPOSITION = 1.0
"""An English preposition's weight where the translation has none before the term: "the
authorities in Brovary" may well be "власти Броваров"."""


class CaseResolver:
    """Weighs the clues to the case of each term occurrence, for one target language."""

    def __init__(self, entries: Sequence[CompiledEntry], language: str) -> None:
        self.entries = tuple(entries)
        self.language = language

    def need(
        self,
        tokens: list[Token],
        start: int,
        end: int,
        match: TermMatch,
        spans: Sequence[Span] = (),
    ) -> CaseNeed:
        """What the sentence needs at tokens [start, end) for `match`'s term; `spans` are the
        glossary forms found in the translation (other terms can be a subject or a conjunct)."""
        found = self._target(tokens, start, end, match.entry.entry, spans, 0)
        if _source_subject(match):
            # "Zakharova said" -> "Захарова заявили": a wrong verb, not an impersonal clause.
            found = [evidence for evidence in found if evidence.kind != IMPERSONAL]
        governed = any(evidence.governs for evidence in found)
        found += [_reweighed(evidence, governed) for evidence in _source_clues(match)]
        return CaseNeed(tuple(found))

    def _target(
        self,
        tokens: list[Token],
        start: int,
        end: int,
        entry: Entry,
        spans: Sequence[Span],
        depth: int,
    ) -> list[Evidence]:
        """The translation's clues at tokens [start, end): government, then attachment."""
        term = term_of(entry.gender, entry.animate)
        language = self.language
        found = preposition_evidence(tokens, start, language, term)
        if not found:

            def subject_at(index: int) -> str | None:
                return self._subject_at(spans, index)

            found += verb_evidence(tokens, start, end, language, term, subject_at)

        def partner_cases(index: int) -> frozenset[str] | None:
            return self._partner_cases(tokens, spans, index, depth)

        person = entry.kind == "person"
        return found + attachment_evidence(
            tokens, start, end, language, term, person, partner_cases
        )

    def _subject_at(self, spans: Sequence[Span], index: int) -> str | None:
        """The gender of a term standing at token `index` in a form that can only be a
        nominative (a form that may be an accusative object proves no subject)."""
        for span in spans:
            if span.start <= index < span.end:
                cases = set(span.ref.cases)
                if "nomn" not in cases or "accs" in cases:
                    return None
                entry = self.entries[span.ref.position].entry
                return term_of(entry.gender, entry.animate).gender
        return None

    def _partner_cases(
        self, tokens: list[Token], spans: Sequence[Span], index: int, depth: int
    ) -> frozenset[str] | None:
        """The case the term ending just before token `index` needs: what it is in, when that
        fits its own context, else what its context asks ("до Бучі, Ірпінь та Гостомеля": the
        list takes the case of its first, governed, item)."""
        span = next((span for span in spans if span.end == index), None)
        if span is None or depth >= _CHAIN:
            return None
        entry = self.entries[span.ref.position].entry
        need = CaseNeed(tuple(self._target(tokens, span.start, span.end, entry, spans, depth + 1)))
        cases = frozenset(span.ref.cases) & need.domain
        best = need.best()
        if best:
            cases = cases & best or best
        return cases or need.domain


def _source_clues(match: TermMatch) -> tuple[Evidence, ...]:
    """The match's source clues; for a match made without them (the consistency stage builds
    its own), its plain source cases and hints."""
    if match.evidence:
        return match.evidence
    found = []
    if match.cases and set(match.cases) != ALL_CASES:
        found.append(Evidence("source-case", frozenset(match.cases), 3.0))
    if match.hints:
        found.append(Evidence(EN_PREPOSITION, frozenset(match.hints), 3.0))
    return tuple(found)


def _source_subject(match: TermMatch) -> bool:
    """True when the source makes the term its clause's subject (English word order, or a
    uk/ru form that can only be a nominative)."""
    return any(
        e.kind == "en-subject" or (e.kind == "source-case" and e.cases == {"nomn"})
        for e in _source_clues(match)
    )


def _reweighed(evidence: Evidence, governed: bool) -> Evidence:
    if evidence.kind == EN_PREPOSITION and not governed:
        return replace(evidence, weight=_UNGOVERNED_PREPOSITION)
    return evidence
