"""Repair a wrong or missing term: find the span that renders it and choose the right form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from service.glossary.grammar import (
    CONJUNCTIONS,
    Constraint,
    agree_verb,
    genitive_attribute,
    parses,
)
from service.glossary.match import PROPER_KINDS, FormIndex, Span, select, terms_of
from service.glossary.model import CASES, CompiledEntry, Paradigm
from service.glossary.verify import MISSING, Finding, Verification
from service.glossary.words import Token, next_word, previous_word, tokenize

FUZZY_THRESHOLD = 0.6
OTHER_LANGUAGE = {"uk": "ru", "ru": "uk"}
# Generic nouns a translation uses instead of a place's name ("жителі столиці" for "residents of
# Kyiv"); only a repair target when the source itself has no such word.
_HYPERNYMS = {
    "uk": frozenset(["місто", "столиця", "країна", "область", "регіон", "річка"]),
    "ru": frozenset(["город", "столица", "страна", "область", "регион", "река"]),
    "en": frozenset(
        ["city", "capital", "country", "region", "oblast", "province", "river", "town"]
    ),
}
# Scores one candidate sentence per form; the model's log-probabilities in production.
Scorer = Callable[[Sequence[str]], Sequence[float]]


@dataclass(frozen=True)
class Located:
    """The tokens [start, end) that render a term wrongly, and what they say about the case."""

    start: int
    end: int
    method: str
    wrong_cases: tuple[str, ...] = ()
    paradigm: int | None = None
    evidence: float = 1.0
    """How much the wrong span's own cases count (a foreign form in its case counts most)."""


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] by `text`."""

    start: int
    end: int
    text: str
    case: str = ""
    method: str = ""
    original: str = ""


class Locator:
    """Finds where a translation renders a term wrongly: forbidden, foreign, fuzzy, paraphrase."""

    def __init__(self, entries: Sequence[CompiledEntry], language: str, source_language: str):
        self.entries = tuple(entries)
        self.language = language
        self.source_language = source_language
        other = OTHER_LANGUAGE.get(language)
        self._foreign = FormIndex.build(self.entries, other, forbidden=False) if other else None

    def locate(
        self, view: Verification, finding: Finding, taken: set[int], source: str
    ) -> Located | None:
        """The span to repair for a missing term, or None when nothing renders it."""
        located = self._locate(view, finding, taken, source)
        if located is None or located.method in ("paraphrase", "coordination"):
            return located
        return self._widen(view, finding, located, taken)

    def _widen(
        self, view: Verification, finding: Finding, located: Located, taken: set[int]
    ) -> Located:
        """ "Нижньому Новгороде": a wrong head word takes the right words of its phrase along."""
        forms = _all_forms(finding.match.entry, self.language)
        blocked = taken | view.claimed

        def closeness(start: int, end: int) -> float:
            text = " ".join(token.text for token in view.tokens[start:end])
            return max((_similarity(text, form) for form in forms), default=0.0)

        best, best_score = (located.start, located.end), closeness(located.start, located.end)
        for start, end in ((located.start - 1, located.end), (located.start, located.end + 1)):
            cells = range(start, end)
            if start < 0 or end > len(view.tokens) or any(i in blocked for i in cells):
                continue
            if not all(view.tokens[i].is_word for i in cells):
                continue
            if closeness(start, end) > best_score:
                best, best_score = (start, end), closeness(start, end)
        return replace(located, start=best[0], end=best[1])

    def _locate(
        self, view: Verification, finding: Finding, taken: set[int], source: str
    ) -> Located | None:
        position = finding.match.position
        foreign = {
            (span.start, span.end): span.ref.cases
            for span in self._foreign_spans(view.tokens)
            if span.ref.position == position
        }
        for span in view.forbidden:
            if span.ref.position == position and not _overlaps(span, taken):
                cases = foreign.get((span.start, span.end), ())
                return Located(span.start, span.end, "forbidden", cases, evidence=3.5)
        for (start, end), cases in foreign.items():
            if not set(range(start, end)) & (taken | view.claimed):
                return Located(start, end, "foreign-spelling", cases, evidence=3.5)
        located = self._fuzzy(view, finding, taken) or self._coordinated(view, finding, taken)
        if located is None and not self._source_has_hypernym(source):
            located = self._paraphrase(view, finding, taken)
        return located

    def _foreign_spans(self, tokens: list[Token]) -> list[Span]:
        """The other inflected language's forms ("Москвы" in Ukrainian text)."""
        if self._foreign is None:
            return []
        return select(self._foreign.spans(tokens), [0] * len(self.entries))

    def _coordinated(self, view: Verification, finding: Finding, taken: set[int]) -> Located | None:
        """ "Latvia and Estonia" -> "Литва и Эстония": the partner term places the missing one."""
        anchor = finding.match.partner
        if anchor is None:
            return None
        for other in view.findings:
            if other.match.position != anchor[0] or other.span is None:
                continue
            index = _partner_index(view.tokens, other.span, anchor[1])
            if index is None or index in taken or index in view.claimed:
                return None
            token = view.tokens[index]
            if token.text[:1].isupper() and not token.sentence_start:
                return Located(index, index + 1, "coordination")
        return None

    def _fuzzy(self, view: Verification, finding: Finding, taken: set[int]) -> Located | None:
        entry = finding.match.entry
        forms = _all_forms(entry, self.language)
        sizes = {len(form.split()) for form in forms}
        proper = entry.entry.kind in PROPER_KINDS
        best: tuple[float, int, int] | None = None
        words = [i for i, token in enumerate(view.tokens) if token.is_word]
        for index, first in enumerate(words):
            for size in sizes:
                cells = words[index : index + size]
                if len(cells) < size or set(cells) & (taken | view.claimed):
                    continue
                text = " ".join(view.tokens[i].text for i in cells)
                if len(text) < 4 or (proper and not text[:1].isupper()):
                    continue
                ratio = max(_similarity(text, form) for form in forms)
                if ratio >= FUZZY_THRESHOLD and (best is None or ratio > best[0]):
                    best = (ratio, first, cells[-1] + 1)
        return Located(best[1], best[2], "fuzzy") if best else None

    def _paraphrase(self, view: Verification, finding: Finding, taken: set[int]) -> Located | None:
        if finding.match.entry.entry.kind != "place":
            return None
        plural = finding.match.entry.entry.gender == "plural"
        for index, token in enumerate(view.tokens):
            if index in taken or index in view.claimed or not token.is_word:
                continue
            nouns = [
                p
                for p in parses(token.text, self.language)
                if p.normal_form in _HYPERNYMS.get(self.language, ())
                and p.tag.POS == "NOUN"
                and (p.tag.number == "plur") == plural
            ]
            if nouns:
                cases = tuple(dict.fromkeys(str(p.tag.case) for p in nouns))
                return Located(index, index + 1, "paraphrase", cases)
        return None

    def _source_has_hypernym(self, source: str) -> bool:
        """True when the source names the generic noun itself ("the capital, Kyiv")."""
        hypernyms = _HYPERNYMS.get(self.source_language, frozenset())
        for token in tokenize(source, self.source_language):
            found = parses(token.text, self.source_language)
            if (found[0].normal_form if found else token.key) in hypernyms:
                return True
        return False


def _partner_index(tokens: list[Token], span: Span, before: bool) -> int | None:
    """The word joined to `span` by a conjunction, on the side the source had the term."""
    if before:
        conjunction = previous_word(tokens, span.start)
        partner = previous_word(tokens, conjunction) if conjunction is not None else None
    else:
        conjunction = next_word(tokens, span.end)
        partner = next_word(tokens, conjunction + 1) if conjunction is not None else None
    if conjunction is None or tokens[conjunction].key not in CONJUNCTIONS:
        return None
    return partner


def _overlaps(span: Span, cells: set[int]) -> bool:
    return any(i in cells for i in range(span.start, span.end))


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


def _all_forms(entry: CompiledEntry, language: str) -> list[str]:
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
    """Chooses the form for a span from government, source case, the wrong ending and the model."""

    def choose(
        self,
        finding: Finding,
        paradigm: Paradigm,
        constraint: Constraint,
        wrong: str,
        wrong_cases: Sequence[str],
        render: Callable[[str], str],
        scorer: Scorer | None,
        evidence: float = 1.0,
    ) -> tuple[str, str, str]:
        """(form, case, how it was chosen)."""
        entry = finding.match.entry.entry
        by_case = forms_by_case(paradigm, entry.gender == "plural")
        known = wrong in paradigm.all_forms()
        allowed = constraint.allowed or frozenset(CASES)
        candidates = [c for c in by_case if c in allowed and by_case[c] != wrong]
        if not candidates:
            candidates = [c for c in by_case if by_case[c] != wrong] or list(by_case)
        scores = {c: self._score(c, finding, constraint, wrong_cases, evidence) for c in candidates}
        if wrong and not known:
            for case in candidates:
                scores[case] += 1.5 * _similarity(wrong, by_case[case])
        top = max(scores.values())
        best = [c for c in candidates if scores[c] >= top - 1e-9]
        distinct = list(dict.fromkeys(by_case[c] for c in best))
        how = constraint.reason or "evidence"
        if len(distinct) > 1 and scorer is not None:
            values = list(scorer([render(form) for form in distinct]))
            form = distinct[values.index(max(values))]
            return form, next(c for c in best if by_case[c] == form), "model-score"
        return by_case[best[0]], best[0], how

    @staticmethod
    def _score(
        case: str,
        finding: Finding,
        constraint: Constraint,
        wrong_cases: Sequence[str],
        evidence: float,
    ) -> float:
        match = finding.match
        score = 4.0 if case in match.cases else 0.0
        score += 3.0 if case in match.hints else 0.0
        score += 2.0 if case in constraint.preferred else 0.0
        return score + (evidence if case in wrong_cases else 0.0)


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
        return max(_similarity(wrong, form) for form in paradigm.all_forms())

    return max(paradigms, key=closeness)


def agreement_edits(view: Verification, language: str) -> list[tuple[int, Edit]]:
    """Past-tense verbs next to a nominative term that disagree with its gender (by finding)."""
    edits: list[tuple[int, Edit]] = []
    for index, finding in enumerate(view.findings):
        span, entry = finding.span, finding.match.entry.entry
        if span is None or finding.status == MISSING or not entry.gender:
            continue
        cases = set(span.ref.cases)
        allowed = finding.constraint.allowed
        if "nomn" not in cases or (allowed is not None and "nomn" not in allowed):
            continue
        edit = _agree(view.tokens, span, cases, entry.gender, language)
        if edit is not None:
            edits.append((index, edit))
    return edits


def _agree(
    tokens: list[Token], span: Span, cases: set[str], gender: str, language: str
) -> Edit | None:
    neighbours = [next_word(tokens, span.end)]
    # A verb before the term agrees with it only when the form cannot be anything but a subject.
    if cases == {"nomn"}:
        neighbours.append(previous_word(tokens, span.start))
    elif genitive_attribute(tokens, span.start, language):
        return None
    for index in neighbours:
        if index is None:
            continue
        token = tokens[index]
        fixed = agree_verb(token.text, gender, language)
        if fixed is not None:
            return Edit(token.start, token.end, fixed, "", "agreement", token.text)
    return None
