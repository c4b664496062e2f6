"""How sure the model is of each returned sentence: decode scores, edited sentences re-scored."""

from __future__ import annotations

from collections.abc import Sequence

from service.hypothesis import Hypothesis
from service.text.input_check import Checked
from service.text.markup.parsed import ParsedText
from service.translation.request import SentenceScore
from service.translation.routes import RouteTranslator
from service.translation.units import Unit


async def part_scores(
    translator: RouteTranslator,
    parts: Sequence[str],
    decoded: Sequence[str],
    final: Sequence[Sequence[Hypothesis]],
    deadline: float | None,
) -> list[float]:
    """The score of each part's returned translation.

    A part whose text is still what the model decoded (`decoded`) keeps its decode score, which
    is the same measure as a re-score (mean log-probability per token, end of sentence
    included); one that enforcement edited or took from the n-best list is scored again, so
    the score describes the text returned.
    """
    texts = [hypotheses[0].text if hypotheses else "" for hypotheses in final]
    scores = [hypotheses[0].score if hypotheses else 0.0 for hypotheses in final]
    edited = [i for i, text in enumerate(texts) if text != decoded[i]]
    if edited:
        again = await translator.score(
            [parts[i] for i in edited], [texts[i] for i in edited], deadline=deadline
        )
        for index, value in zip(edited, again, strict=True):
            scores[index] = value
    return scores


def rescored(hypotheses: Sequence[Hypothesis], score: float) -> list[Hypothesis]:
    """The hypotheses with the best one carrying `score` (its returned text's score)."""
    if not hypotheses:
        return []
    best, *others = hypotheses
    return [Hypothesis(best.text, score, best.tokens, best.alignment), *others]


def sentence_scores(
    document: ParsedText,
    units: Sequence[Unit],
    texts: Sequence[str],
    scores: Sequence[float],
    checked: Checked,
) -> tuple[SentenceScore, ...]:
    """One score per unit (sentence): the length-weighted mean of its parts' scores."""
    found = []
    part = 0
    for index, unit in enumerate(units):
        count = len(unit.parts)
        here = range(part, part + count)
        part += count
        if not count:
            continue
        weights = [max(1, len(texts[i])) for i in here]
        value = sum(scores[i] * w for i, w in zip(here, weights, strict=True)) / sum(weights)
        start, end = _source_span(document, index, checked)
        found.append(SentenceScore(start, end, value))
    return tuple(found)


def summary(scores: Sequence[SentenceScore]) -> tuple[float | None, float | None]:
    """(lowest, mean) of a text's sentence scores; (None, None) when it has none."""
    if not scores:
        return None, None
    values = [score.score for score in scores]
    return min(values), sum(values) / len(values)


def _source_span(document: ParsedText, index: int, checked: Checked) -> tuple[int, int]:
    """Where unit `index` stands in the caller's text, edge whitespace left out; (0, 0) when
    markup rebuilt it and it stands nowhere verbatim."""
    origin = document.origin(index)
    text = document.units[index] if index < len(document.units) else ""
    stripped = text.strip()
    if origin is None or not stripped:
        return 0, 0
    first = origin + len(text) - len(text.lstrip())
    last = first + len(stripped) - 1
    return checked.offsets.to_original(first), checked.offsets.to_original(last) + 1
