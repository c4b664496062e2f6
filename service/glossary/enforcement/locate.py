"""Find where a translation renders a term wrongly: forbidden, foreign, fuzzy, coordination."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from service.glossary.enforcement.match import PROPER_KINDS, FormIndex, Span, select
from service.glossary.enforcement.readings import parses
from service.glossary.enforcement.repair import all_forms, similarity
from service.glossary.enforcement.resolver import CaseResolver
from service.glossary.enforcement.tokens import (
    Token,
    next_word,
    phrase_tokens,
    previous_word,
    tokenize,
)
from service.glossary.enforcement.verify import Finding, TranslationCheck
from service.glossary.enforcement.word_lists import grammar_lists, in_any_language
from service.glossary.model import CASES, CompiledEntry

FUZZY_THRESHOLD = 0.6
OTHER_LANGUAGE = {"uk": "ru", "ru": "uk"}


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


class Locator:
    """Finds where a translation renders a term wrongly: forbidden, foreign, fuzzy, paraphrase."""

    def __init__(
        self, entries: Sequence[CompiledEntry], language: str, source_language: str
    ) -> None:
        self.entries = tuple(entries)
        self.language = language
        self.source_language = source_language
        # Generic nouns a translation writes instead of a place's name, and the source's own.
        self._hypernyms = grammar_lists(language).hypernyms
        self._source_hypernyms = grammar_lists(source_language).hypernyms
        other = OTHER_LANGUAGE.get(language)
        self._foreign = FormIndex.build(self.entries, other, forbidden=False) if other else None

    def locate(
        self, view: TranslationCheck, finding: Finding, taken: set[int], source: str
    ) -> Located | None:
        """The span to repair for a missing term, or None when nothing renders it."""
        located = self._locate(view, finding, taken, source)
        if located is None or located.method in ("paraphrase", "coordination"):
            return located
        return self._widen(view, finding, located, taken)

    def _widen(
        self, view: TranslationCheck, finding: Finding, located: Located, taken: set[int]
    ) -> Located:
        """ "Нижньому Новгороде": a wrong head word takes the right words of its phrase along."""
        forms = all_forms(finding.match.entry, self.language)
        blocked = taken | view.claimed

        def closeness(start: int, end: int) -> float:
            text = " ".join(token.text for token in view.tokens[start:end])
            return max((similarity(text, form) for form in forms), default=0.0)

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

    def dictionary_form(
        self, view: TranslationCheck, finding: Finding, located: Located, resolver: CaseResolver
    ) -> tuple[str, str] | None:
        """(text, case) of a fuzzy span that is the dictionary's own form of the term, in a case
        the sentence allows: a standard variant the compiled paradigm lacks ("у Бундестазі",
        "Нову Каховку"), to be kept rather than "repaired" into another form of that case."""
        if located.method != "fuzzy":
            return None
        words = view.tokens[located.start : located.end]
        for term in finding.match.entry.entry.terms.get(self.language, ()):
            parts = phrase_tokens(term, self.language)
            cases = (
                _shared_cases(words, parts, self.language) if len(parts) == len(words) else set()
            )
            need = resolver.need(
                view.tokens, located.start, located.end, finding.match, view.accepted
            )
            if cases and not need.rules_out(cases):
                fitting = [c for c in CASES if c in cases and c in need.domain]
                text = view.text[words[0].start : words[-1].end]
                return text, (fitting or sorted(cases))[0]
        return None

    def _locate(
        self, view: TranslationCheck, finding: Finding, taken: set[int], source: str
    ) -> Located | None:
        hinted = self._hinted(view, finding, taken)
        if hinted is not None:
            return hinted
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

    def _hinted(self, view: TranslationCheck, finding: Finding, taken: set[int]) -> Located | None:
        """The span an aligner saw the term rendered as, if it is free in this translation."""
        hint = finding.match.target_hint
        if hint is None or hint[0] != view.text:
            return None
        cells = [i for i, t in enumerate(view.tokens) if t.start < hint[2] and hint[1] < t.end]
        forms = all_forms(finding.match.entry, self.language)
        # "Тарас Качка" seen where the entry knows the surname alone: the given name stays.
        cells = cells[-max((len(form.split()) for form in forms), default=1) :]
        if not cells or set(cells) & (taken | view.claimed):
            return None
        wrong = " ".join(view.tokens[i].text for i in cells)
        if max((similarity(wrong, form) for form in forms), default=0.0) < FUZZY_THRESHOLD:
            # Another word altogether: its ending says nothing about the case the term needs.
            return Located(cells[0], cells[-1] + 1, "alignment", evidence=0.0)
        cases = tuple(
            dict.fromkeys(
                str(p.tag.case)
                for p in parses(view.tokens[cells[-1]].text, self.language)
                if p.tag.POS in ("NOUN", "ADJF") and p.tag.case
            )
        )
        return Located(cells[0], cells[-1] + 1, "alignment", cases)

    def _foreign_spans(self, tokens: list[Token]) -> list[Span]:
        """The other inflected language's forms ("Москвы" in Ukrainian text)."""
        if self._foreign is None:
            return []
        return select(self._foreign.spans(tokens), [0] * len(self.entries))

    def _coordinated(
        self, view: TranslationCheck, finding: Finding, taken: set[int]
    ) -> Located | None:
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
            if token.text[:1].isupper() and _looks_proper(token, self.language):
                # "Литва и Эстония" for Latvia: the wrong name stands in the case the slot needs.
                cases = _noun_cases(token.text, self.language)
                return Located(index, index + 1, "coordination", cases, evidence=3.0)
        return None

    def _fuzzy(self, view: TranslationCheck, finding: Finding, taken: set[int]) -> Located | None:
        entry = finding.match.entry
        forms = all_forms(entry, self.language)
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
                ratio = max(similarity(text, form) for form in forms)
                if ratio >= FUZZY_THRESHOLD and (best is None or ratio > best[0]):
                    best = (ratio, first, cells[-1] + 1)
        return Located(best[1], best[2], "fuzzy") if best else None

    def _paraphrase(
        self, view: TranslationCheck, finding: Finding, taken: set[int]
    ) -> Located | None:
        if finding.match.entry.entry.kind != "place":
            return None
        plural = finding.match.entry.entry.gender == "plural"
        for index, token in enumerate(view.tokens):
            if index in taken or index in view.claimed or not token.is_word:
                continue
            nouns = [
                p
                for p in parses(token.text, self.language)
                if p.normal_form in self._hypernyms
                and p.tag.POS == "NOUN"
                and (p.tag.number == "plur") == plural
            ]
            if nouns:
                cases = tuple(dict.fromkeys(str(p.tag.case) for p in nouns))
                return Located(index, index + 1, "paraphrase", cases)
        return None

    def _source_has_hypernym(self, source: str) -> bool:
        """True when the source names the generic noun itself ("the capital, Kyiv")."""
        hypernyms = self._source_hypernyms
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
    if conjunction is None or tokens[conjunction].key not in in_any_language().conjunctions:
        return None
    return partner


def _looks_proper(token: Token, language: str) -> bool:
    """A capital mid-sentence, or a noun at the start ("Литва", not "Вони" or "Тоді")."""
    if not token.sentence_start:
        return True
    found = parses(token.text, language)
    return not found or found[0].tag.POS == "NOUN" or not found[0].is_known


def _noun_cases(word: str, language: str) -> tuple[str, ...]:
    """The cases of `word` read as a noun (known words only: a guess says nothing)."""
    found = [p for p in parses(word, language) if p.tag.POS == "NOUN" and p.is_known]
    return tuple(dict.fromkeys(str(p.tag.case) for p in found if p.tag.case))


def _shared_cases(words: Sequence[Token], parts: Sequence[str], language: str) -> set[str]:
    """The cases in which every word is a known form of the lexeme of the term's word there."""
    shared: set[str] | None = None
    for word, part in zip(words, parts, strict=True):
        lemmas = {p.normal_form for p in parses(part, language) if p.is_known}
        cases = {
            str(p.tag.case)
            for p in parses(word.text, language)
            if p.is_known and p.normal_form in lemmas and p.tag.case in CASES
        }
        shared = cases if shared is None else shared & cases
    return shared or set()


def _overlaps(span: Span, cells: set[int]) -> bool:
    return any(i in cells for i in range(span.start, span.end))
