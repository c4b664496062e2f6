"""Prefix re-decoding: force a missing term into the translation and let the model continue."""

from __future__ import annotations

from service.glossary.enforcement.match import TermMatch, terms_of
from service.glossary.enforcement.repair import forms_by_case
from service.glossary.enforcement.steps import Steps, decode
from service.glossary.enforcement.verify import MISSING, Verifier
from service.hypothesis import Hypothesis


def redecode(
    source: str,
    text: str,
    match: TermMatch,
    verifier: Verifier,
    limit: int = 3,
) -> Steps[str | None]:
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
    results = yield from decode([source] * len(prefixes), prefixes)
    best: Hypothesis | None = None
    for result in results:
        if not result:
            continue
        found = verifier.verify(result[0].text, [match]).findings[0]
        if found.status != MISSING and (best is None or result[0].score > best.score):
            best = result[0]
    return best.text if best is not None else None
