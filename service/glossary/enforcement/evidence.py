"""Clues to the case a term occurrence needs, and how they are weighed into one need."""

from __future__ import annotations

from dataclasses import dataclass

from service.glossary.model import CASES

ALL_CASES = frozenset(CASES)
OBLIQUE = ALL_CASES - {"nomn"}
"""Every case but the nominative: what "this is an object, not the subject" says."""
SURE = 3.0
"""How far the best-supported cases must lead a form's own before the form counts as wrong.

One strong clue (the source word's own case, "in" before a place, the verb's government) is
enough; two weak ones must agree (a noun before the term and "of" in the source)."""
DOUBT = 2.0
"""Below this lead, clues that point elsewhere are too weak to mention in the report."""
NARROW = 3
"""A need that leaves more cases than this open names no case; it never overrules a form."""


@dataclass(frozen=True)
class Evidence:
    """One clue: the cases it points to, how much it counts, and what gave it."""

    kind: str
    """What kind of clue ("preposition", "source-case", "verb", "apposition", "en-object"...)."""
    cases: frozenset[str]
    weight: float = 0.0
    word: str = ""
    """The governing word from the language data ("в", "подякувати"), when there is one."""
    governs: bool = False
    """A government that rules every other case out (a preposition): a domain, not a vote."""

    @property
    def label(self) -> str:
        """How the report names it: "verb подякувати", "en-preposition in"."""
        return f"{self.kind} {self.word}" if self.word else self.kind


@dataclass(frozen=True)
class CaseNeed:
    """Every clue to the case of one occurrence, weighed: what the sentence needs there."""

    evidence: tuple[Evidence, ...] = ()

    def plus(self, *more: Evidence) -> CaseNeed:
        """This need with more clues."""
        return CaseNeed((*self.evidence, *more))

    @property
    def allowed(self) -> frozenset[str] | None:
        """The cases governing words permit (None: nothing governs the term)."""
        domains = [e.cases for e in self.evidence if e.governs]
        if not domains:
            return None
        joint = frozenset.intersection(*domains)
        return joint or domains[0]  # disagreeing governors: the nearest (first) one wins

    @property
    def domain(self) -> frozenset[str]:
        return self.allowed if self.allowed is not None else ALL_CASES

    def score(self, case: str) -> float:
        """The weight of the clues that point to `case` (0 outside the domain)."""
        if case not in self.domain:
            return 0.0
        return sum(e.weight for e in self.evidence if not e.governs and case in e.cases)

    def best(self) -> frozenset[str]:
        """The domain's best-supported cases (empty when no clue points anywhere)."""
        scores = {case: self.score(case) for case in self.domain}
        top = max(scores.values(), default=0.0)
        if top <= 0:
            return frozenset()
        return frozenset(case for case, value in scores.items() if value >= top - 1e-9)

    def lead(self, cases: frozenset[str] | set[str]) -> float:
        """How far the best cases lead the best of `cases` (infinite when none is allowed)."""
        fitting = set(cases) & self.domain
        if not fitting:
            return float("inf")
        top = max((self.score(case) for case in self.domain), default=0.0)
        return top - max(self.score(case) for case in fitting)

    def rules_out(self, cases: frozenset[str] | set[str]) -> bool:
        """True when a form in `cases` is wrong here: not allowed, or clearly outweighed by
        clues that name a case (a need open to most cases overrules nothing)."""
        lead = self.lead(cases)
        if lead == float("inf"):
            return True
        best = self.best()
        return lead >= SURE and 0 < len(best) <= NARROW and not best & set(cases)

    def doubts(self, cases: frozenset[str] | set[str]) -> bool:
        """True when clues that name a case point away from `cases` but do not rule them out
        (the form is kept and the report says so)."""
        best, lead = self.best(), self.lead(cases)
        named = 0 < len(best) <= NARROW and not best & set(cases)
        return named and lead >= DOUBT and not self.rules_out(cases)

    def reason(self, case: str) -> str:
        """The clues that support `case`, governing first, then by weight: the report's method."""
        governing = [e.label for e in self.evidence if e.governs and case in e.cases]
        voting = sorted(
            (e for e in self.evidence if not e.governs and e.weight > 0 and case in e.cases),
            key=lambda e: -e.weight,
        )
        return "+".join(dict.fromkeys([*governing, *(e.label for e in voting)]))

    def against(self, cases: frozenset[str] | set[str]) -> str:
        """The clues that point away from `cases`, for the report of a form left alone."""
        labels = [
            e.label
            for e in self.evidence
            if not e.governs and e.weight > 0 and not e.cases & set(cases)
        ]
        return "+".join(dict.fromkeys(labels))
