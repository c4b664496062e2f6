"""Find glossary terms in text: every accepted form, whole words, longest and highest precedence."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from service.glossary.enforcement.evidence import Evidence
from service.glossary.enforcement.readings import parses
from service.glossary.enforcement.source_evidence import HINT_KINDS, hint_cases, source_evidence
from service.glossary.enforcement.tokens import (
    Token,
    next_word,
    phrase_tokens,
    previous_word,
    tokenize,
)
from service.glossary.enforcement.word_lists import in_any_language
from service.glossary.model import CompiledEntry, CompiledTerms

PROPER_KINDS = frozenset({"person", "place", "organization"})
ACCEPTED = "accepted"
FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class FormRef:
    """One surface form of one entry in one language, as the index stores it."""

    position: int
    """Index of the entry in the request's entry list (its precedence within a glossary)."""
    tokens: tuple[str, ...]
    cases: tuple[str, ...]
    role: str = ACCEPTED
    exact: bool = True
    """Compare letter case too (proper names: Тихий is a term, тихий is not)."""
    paradigm: int = 0
    """Which of the entry's paradigms (0 = preferred) the form belongs to."""


@dataclass(frozen=True)
class Span:
    """Tokens [start, end) of a text that spell a form."""

    ref: FormRef
    start: int
    end: int

    @property
    def size(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class TermMatch:
    """One occurrence of a glossary term in a source sentence."""

    entry: CompiledEntry
    position: int
    start: int
    end: int
    text: str
    cases: tuple[str, ...] = ()
    """Cases the source form can stand for (uk/ru sources)."""
    hints: tuple[str, ...] = ()
    """Target cases the source context suggests ("in X" -> loct, "X's" -> gent)."""
    evidence: tuple[Evidence, ...] = ()
    """What the source says about the target case: the form's own case (uk/ru), English
    prepositions ("in X" -> loct, "X's" -> gent) and the term's role in its clause."""
    relative_position: float = 0.0
    """Where the term starts, as a share of the sentence's words (to place a forced term)."""
    partner: tuple[int, bool] | None = None
    """Another term joined to this one by a conjunction: (its entry position, True when this
    term comes first), to place this term next to the partner's translation."""
    target_hint: tuple[str, int, int] | None = None
    """Where an aligner saw this term rendered: (translation, start, end) in characters. It
    locates a wrong rendering in exactly that translation, before any fuzzy search."""


def plain_case(case: str) -> str:
    """`plur_gent` -> `gent`: government tables speak of cases, not numbers."""
    return case.removeprefix("plur_")


def terms_of(entry: CompiledEntry, language: str) -> CompiledTerms | None:
    """The entry's compiled terms in `language`, if it has any."""
    return entry.languages.get(language)


def forbidden_of(entry: CompiledEntry, language: str) -> tuple[str, ...]:
    """Forbidden variants of the entry in `language` (compiled, or as the user wrote them)."""
    compiled = terms_of(entry, language)
    if compiled is not None and compiled.forbidden:
        return compiled.forbidden
    return tuple(entry.entry.forbidden.get(language, ()))


def entry_forms(entry: CompiledEntry, language: str) -> dict[tuple[int, str], tuple[str, ...]]:
    """(paradigm index, form) -> cases, for every accepted form; forbidden ones never count."""
    banned = set(forbidden_of(entry, language))
    found: dict[tuple[int, str], list[str]] = defaultdict(list)
    compiled = terms_of(entry, language)
    if compiled is None or language == "en":
        for term in entry.entry.terms.get(language, ()):
            found[(0, term)].append("nomn")
        return {key: tuple(cases) for key, cases in found.items()}
    for index, paradigm in enumerate(compiled.paradigms()):
        for case, form in paradigm.forms.items():
            found[(index, form)].append(plain_case(case))
        for case, extras in paradigm.variants.items():
            for form in extras:
                found[(index, form)].append(plain_case(case))
    return {
        key: tuple(dict.fromkeys(cases)) for key, cases in found.items() if key[1] not in banned
    }


class FormIndex:
    """Token-sequence index of the forms of several entries in one language."""

    def __init__(self, refs: Iterable[FormRef]) -> None:
        self._refs: dict[tuple[str, ...], list[FormRef]] = defaultdict(list)
        for ref in refs:
            if ref.tokens:
                self._refs[tuple(token.casefold() for token in ref.tokens)].append(ref)
        self._sizes = sorted({len(key) for key in self._refs}, reverse=True)

    @classmethod
    def build(
        cls, entries: Sequence[CompiledEntry], language: str, *, forbidden: bool = True
    ) -> FormIndex:
        """Accepted (and, when asked, forbidden) forms of every entry in `language`."""
        refs: list[FormRef] = []
        for position, entry in enumerate(entries):
            exact = entry.entry.kind in PROPER_KINDS
            for (paradigm, form), cases in entry_forms(entry, language).items():
                tokens = phrase_tokens(form, language)
                refs.append(FormRef(position, tokens, cases, ACCEPTED, exact, paradigm))
            for form in forbidden_of(entry, language) if forbidden else ():
                refs.append(FormRef(position, phrase_tokens(form, language), (), FORBIDDEN))
        return cls(refs)

    def spans(self, tokens: Sequence[Token]) -> list[Span]:
        """Every place a form occurs in `tokens` (overlapping; resolve with `select`)."""
        found: list[Span] = []
        for start in range(len(tokens)):
            if not tokens[start].is_word and tokens[start].text != '"':
                continue
            for size in self._sizes:
                window = tokens[start : start + size]
                if len(window) < size:
                    continue
                for ref in self._refs.get(tuple(token.key for token in window), ()):
                    if _same_letters(ref, window):
                        found.append(Span(ref, start, start + size))
        return found


def _same_letters(ref: FormRef, window: Sequence[Token]) -> bool:
    if not ref.exact:
        return True
    for expected, token in zip(ref.tokens, window, strict=True):
        if token.text == expected:
            continue
        # A sentence capitalises its first word: "Київська" may spell the form "київська".
        if token.sentence_start and token.text == expected[:1].upper() + expected[1:]:
            continue
        return False
    return True


def select(spans: Iterable[Span], ranks: Sequence[int]) -> list[Span]:
    """Non-overlapping spans: higher glossary precedence, then longer, then earlier wins."""
    ordered = sorted(spans, key=lambda s: (ranks[s.ref.position], -s.size, s.start, s.ref.position))
    taken: set[int] = set()
    chosen: list[Span] = []
    for span in ordered:
        cells = set(range(span.start, span.end))
        if cells & taken:
            continue
        taken |= cells
        chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def _partner(tokens: list[Token], span: Span, spans: list[Span]) -> tuple[int, bool] | None:
    """The term joined to `span` by a conjunction ("Latvia and Estonia"), if any."""
    starts = {s.start: s for s in spans}
    ends = {s.end: s for s in spans}
    conjunctions = in_any_language().conjunctions
    after = next_word(tokens, span.end)
    if after is not None and tokens[after].key in conjunctions and after + 1 in starts:
        return starts[after + 1].ref.position, True
    before = previous_word(tokens, span.start)
    if before is not None and tokens[before].key in conjunctions and before in ends:
        return ends[before].ref.position, False
    return None


def _shared(
    tokens: list[Token], span: Span, found: dict[int, tuple[Evidence, ...]]
) -> tuple[Evidence, ...]:
    """ "in Poltava and Vinnytsia", "to Bucha, Irpin and Hostomel": a term joined to the one
    before it shares that term's English preposition and verb."""
    before, joining = span.start - 1, {",", *in_any_language().conjunctions}
    if before < 1 or tokens[before].key not in joining:
        return ()
    listed = span.end < len(tokens) and tokens[span.end].key in joining
    if tokens[before].key == "," and not listed:
        return ()  # "According to Budanov, Lviv is safe": a comma, but no list
    shared = ("en-preposition", "en-phrase", "en-object", "en-recipient")
    return tuple(e for e in found.get(before, ()) if e.kind in shared)


def glossary_ranks(entries: Sequence[CompiledEntry]) -> list[int]:
    """Per entry, the precedence of its glossary (order of first appearance; 0 is highest)."""
    order: dict[str, int] = {}
    return [order.setdefault(entry.glossary_id, len(order)) for entry in entries]


class TermMatcher:
    """Finds the terms of a request's entries in source sentences of one language."""

    def __init__(self, entries: Sequence[CompiledEntry], language: str) -> None:
        self.entries = tuple(entries)
        self.language = language
        self._index = FormIndex.build(self.entries, language, forbidden=False)
        self._ranks = glossary_ranks(self.entries)

    def find(self, source: str) -> list[TermMatch]:
        """Every term occurrence in `source`, in text order."""
        tokens = tokenize(source, self.language)
        words = max(1, sum(token.is_word for token in tokens))
        matches: list[TermMatch] = []
        spans = [
            s
            for s in select(self._index.spans(tokens), self._ranks)
            if not self._is_homograph(tokens, s)
        ]
        found: dict[int, tuple[Evidence, ...]] = {}
        for span in spans:
            start, end = tokens[span.start].start, tokens[span.end - 1].end
            before = sum(token.is_word for token in tokens[: span.start])
            cases = span.ref.cases if self.language != "en" else ()
            evidence = source_evidence(tokens, span.start, span.end, self.language, cases)
            evidence += _shared(tokens, span, found)
            found[span.end] = evidence
            matches.append(
                TermMatch(
                    entry=self.entries[span.ref.position],
                    position=span.ref.position,
                    start=start,
                    end=end,
                    text=source[start:end],
                    cases=cases,
                    hints=hint_cases(e for e in evidence if e.kind in HINT_KINDS),
                    evidence=evidence,
                    relative_position=before / words,
                    partner=_partner(tokens, span, spans),
                )
            )
        return matches

    def _is_homograph(self, tokens: list[Token], span: Span) -> bool:
        """A sentence-initial "Тихий вечір": a common adjective before its noun, not the name."""
        if self.language == "en" or span.size != 1 or not tokens[span.start].sentence_start:
            return False
        if not span.ref.exact:
            return False
        word = tokens[span.start].text.lower()
        common = [p for p in parses(word, self.language) if p.tag.POS in ("ADJF", "PRTF")]
        following = next_word(tokens, span.end)
        if not common or following is None:
            return False
        head = parses(tokens[following].text, self.language)
        return bool(head) and head[0].tag.POS == "NOUN" and not tokens[following].text[:1].isupper()
