"""Repair a wrong or missing term: find the span that renders it and choose the right form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from service.glossary.enforcement.attachment import genitive_head
from service.glossary.enforcement.evidence import CaseNeed
from service.glossary.enforcement.grammar import agree_verb
from service.glossary.enforcement.match import Span, terms_of
from service.glossary.enforcement.steps import Steps, score
from service.glossary.enforcement.tokens import Token, next_word, previous_word
from service.glossary.enforcement.verify import MISSING, Finding, TranslationCheck
from service.glossary.enforcement.word_lists import in_any_language
from service.glossary.model import CASES, CompiledEntry, Paradigm


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] by `text`."""

    start: int
    end: int
    text: str
    case: str = ""
    method: str = ""
    original: str = ""


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


def all_forms(entry: CompiledEntry, language: str) -> list[str]:
    compiled = terms_of(entry, language)
    if compiled is None:
        return list(entry.entry.terms.get(language, ()))
    return sorted(compiled.all_forms())


def forms_by_case(paradigm: Paradigm, plural: bool) -> dict[str, str]:
    """Case -> form to generate (the plural paradigm for plural toponyms)."""
    chosen: dict[str, str] = {}
    for case in CASES:
        form = paradigm.forms.get(f"plur_{case}") if plural else None
        form = form or paradigm.forms.get(case) or paradigm.forms.get(f"plur_{case}")
        if form:
            chosen[case] = form
    return chosen


class FormChooser:
    """Chooses the form for a span from the case need, the wrong form's own case and the model."""

    def choose(
        self,
        finding: Finding,
        paradigm: Paradigm,
        need: CaseNeed,
        wrong: str,
        wrong_cases: Sequence[str],
        render: Callable[[str], str],
        source: str | None,
        evidence: float = 1.0,
    ) -> Steps[tuple[str, str, str]]:
        """(form, case, how it was chosen: the clues that decided); ties are scored by the
        model against `source`.

        Without a source (no model at hand) a tie goes to the first case in the table's order.
        """
        entry = finding.match.entry.entry
        by_case = forms_by_case(paradigm, entry.gender == "plural")
        if not by_case:
            raise ValueError(f"entry {entry.id}: its paradigm has no case forms to choose from")
        known = wrong in paradigm.all_forms()
        candidates = [c for c in by_case if c in need.domain and by_case[c] != wrong]
        if not candidates:
            candidates = [c for c in by_case if by_case[c] != wrong] or list(by_case)
        scores = {c: need.score(c) + (evidence if c in wrong_cases else 0.0) for c in candidates}
        if wrong and not known and evidence > 0:
            # A misspelt form's ending hints at its case; a different word's ending does not.
            for case in candidates:
                scores[case] += 1.5 * similarity(wrong, by_case[case])
        top = max(scores.values())
        best = [c for c in candidates if scores[c] >= top - 1e-9]
        distinct = list(dict.fromkeys(by_case[c] for c in best))
        if len(distinct) > 1 and source is not None:
            values = yield from score([source] * len(distinct), [render(f) for f in distinct])
            form = distinct[values.index(max(values))]
            return form, next(c for c in best if by_case[c] == form), "model-score"
        return by_case[best[0]], best[0], need.reason(best[0]) or "evidence"


def pick_paradigm(entry: CompiledEntry, language: str, wrong: str, index: int | None) -> Paradigm:
    """The paradigm a wrong span is closest to (bare surname vs full name), preferred on ties."""
    compiled = terms_of(entry, language)
    if compiled is None:
        term = entry.entry.terms.get(language, ("",))[0]
        return Paradigm(term, dict.fromkeys(CASES, term))
    paradigms = compiled.paradigms()
    if index is not None and index < len(paradigms):
        return paradigms[index]
    if not wrong:
        return compiled.preferred

    def closeness(paradigm: Paradigm) -> float:
        return max(similarity(wrong, form) for form in paradigm.all_forms())

    return max(paradigms, key=closeness)


def agreement_edits(view: TranslationCheck, language: str) -> list[tuple[int, Edit]]:
    """Past-tense verbs next to a nominative term that disagree with its gender (by finding)."""
    edits: list[tuple[int, Edit]] = []
    for index, finding in enumerate(view.findings):
        span, entry = finding.span, finding.match.entry.entry
        if span is None or finding.status == MISSING or not entry.gender:
            continue
        cases = set(span.ref.cases)
        if "nomn" not in cases or not _subject(finding.need):
            continue
        edit = _agree(view.tokens, span, cases, entry.gender, language)
        if edit is not None:
            edits.append((index, edit))
    return edits


def _subject(need: CaseNeed) -> bool:
    """True when the term may be its verb's subject: the nominative is allowed and is among the
    best-supported cases (an impersonal "Ізюм звільнили" keeps its plural verb)."""
    best = need.best()
    return "nomn" in need.domain and (not best or "nomn" in best)


def _agree(
    tokens: list[Token], span: Span, cases: set[str], gender: str, language: str
) -> Edit | None:
    before, after = previous_word(tokens, span.start), next_word(tokens, span.end)
    # "Латвія та Естонія протестували": conjoined subjects take a plural verb.
    if any(
        i is not None and tokens[i].key in in_any_language().conjunctions for i in (before, after)
    ):
        return None
    neighbours = [after]
    # A verb before the term agrees with it only when the form cannot be anything but a subject.
    if cases == {"nomn"}:
        neighbours.append(before)
    elif genitive_head(tokens, span.start, language):
        return None
    for index in neighbours:
        if index is None:
            continue
        token = tokens[index]
        fixed = agree_verb(token.text, gender, language)
        if fixed is not None:
            return Edit(token.start, token.end, fixed, "", "agreement", token.text)
    return None
