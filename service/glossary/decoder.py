"""Model access for enforcement: the Decoder protocol, its Engine adapter, prefix re-decoding."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from service.engine import Hypothesis
from service.glossary.match import TermMatch, terms_of
from service.glossary.repair import forms_by_case
from service.glossary.verify import MISSING, Verifier


class Decoder(Protocol):
    """The model access enforcement needs: n-best with forced prefixes, and sentence scores."""

    def translate(
        self,
        sources: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
    ) -> list[list[Hypothesis]]:
        """Translations of `sources`, each forced to start with its prefix when one is given."""
        ...

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Mean log-probability per token of each target given its source."""
        ...


class _Engine(Protocol):
    def translate_batch(
        self,
        texts: Sequence[str],
        *,
        target_token: str | None = None,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
    ) -> list[list[Hypothesis]]: ...

    def score_batch(
        self, sources: Sequence[str], targets: Sequence[str], *, target_token: str | None = None
    ) -> list[float]: ...


class EngineDecoder:
    """A `Decoder` over `service.engine.Engine` for one target language token."""

    def __init__(self, engine: _Engine, target_token: str | None = None) -> None:
        self._engine = engine
        self._target_token = target_token

    def translate(
        self,
        sources: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
    ) -> list[list[Hypothesis]]:
        return self._engine.translate_batch(
            sources,
            target_token=self._target_token,
            num_hypotheses=num_hypotheses,
            target_prefixes=target_prefixes,
        )

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        return self._engine.score_batch(sources, targets, target_token=self._target_token)


def redecode(
    source: str,
    text: str,
    match: TermMatch,
    verifier: Verifier,
    decoder: Decoder,
    limit: int = 3,
) -> str | None:
    """Force the term as a target prefix where it belongs and let the model continue.

    The prefix is the translation's words up to the term's relative place in the source (and one
    word either side, since word order differs) plus one of the likeliest forms; the continuation
    lets the words after the term agree with it. The best-scoring result holding the term wins.
    """
    compiled = terms_of(match.entry, verifier.language)
    if compiled is None:
        return None
    by_case = forms_by_case(compiled.preferred, match.entry.entry.gender == "plural")
    ranked = sorted(by_case, key=lambda c: -(4 * (c in match.cases) + 3 * (c in match.hints)))
    forms = list(dict.fromkeys(by_case[case] for case in ranked))[:limit]
    words = text.split()
    point = round(match.relative_position * len(words))
    points = sorted({max(0, point - 1), min(point, len(words)), min(point + 1, len(words))})
    prefixes: list[str | None] = [
        " ".join([*words[:p], form[:1].upper() + form[1:] if p == 0 else form])
        for p in points
        for form in forms
    ]
    results = decoder.translate([source] * len(prefixes), target_prefixes=prefixes)
    best: Hypothesis | None = None
    for result in results:
        if not result:
            continue
        found = verifier.verify(result[0].text, [match]).findings[0]
        if found.status != MISSING and (best is None or result[0].score > best.score):
            best = result[0]
    return best.text if best is not None else None
