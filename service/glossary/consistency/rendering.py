"""Where a translation renders each source mention of a name: the model's attention, and looks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.glossary.consistency.likeness import likeness
from service.glossary.consistency.names import PROPER_TAGS, Mention
from service.glossary.consistency.word_lists import name_lists
from service.glossary.enforcement.grammar import parses
from service.glossary.enforcement.tokens import Token
from service.hypothesis import Alignment

MIN_MASS = 0.2
"""Least attention a target word pays to a name's source pieces to be its rendering by attention."""
MIN_LIKENESS = 0.6
"""Least likeness (romanised) for a word to be a name's rendering on its looks alone."""
LIKENESS_WEIGHT = 0.8
"""How much looks count beside attention when several words compete for one mention."""
NEIGHBOUR_SHARE = 0.35
"""A neighbouring name-like word joins the rendering when it pays this share of the best mass."""


@dataclass(frozen=True)
class Rendering:
    """Tokens [start, end) of a translation that render one mention, and how sure we are."""

    start: int
    end: int
    score: float


def looks_like_name(tokens: Sequence[Token], index: int, language: str) -> bool:
    """A capitalised word that a sentence start does not explain (unknown or a proper noun)."""
    token = tokens[index]
    if not token.is_word or not token.text[:1].isupper():
        return False
    if not token.sentence_start or language == "en":
        return True
    found = parses(token.text, language)
    return not found or not found[0].is_known or bool(PROPER_TAGS & found[0].tag.grammemes)


def word_masses(alignment: Alignment, mention: Mention, tokens: Sequence[Token]) -> list[float]:
    """Per target token, the most attention one of its pieces pays to the mention's pieces."""
    sources = [
        j
        for j, (start, end) in enumerate(alignment.source_spans)
        if end > start and start < mention.end and mention.start < end
    ]
    masses = []
    for token in tokens:
        pieces = [
            t
            for t, (start, end) in enumerate(alignment.target_spans)
            if end > start and start < token.end and token.start < end
        ]
        masses.append(
            max((sum(alignment.weights[t][j] for j in sources) for t in pieces), default=0.0)
        )
    return masses


@dataclass(frozen=True)
class Sentence:
    """One translated sentence as the rendering search sees it."""

    tokens: Sequence[Token]
    language: str
    claimed: frozenset[int]
    """Token indexes a glossary term holds: never a name's rendering."""


def renderings(
    alignment: Alignment,
    mentions: Sequence[Mention],
    source_language: str,
    sentence: Sentence,
    classifier: Sequence[bool],
) -> list[Rendering | None]:
    """The rendering of each mention of one sentence: one target span per mention at most."""
    tokens = sentence.tokens
    masses = [word_masses(alignment, mention, tokens) for mention in mentions]
    names = [
        i
        for i in range(len(tokens))
        if i not in sentence.claimed and looks_like_name(tokens, i, sentence.language)
    ]
    looks = [
        {i: _likeness(mention, source_language, tokens[i].text, sentence.language) for i in names}
        for mention in mentions
    ]
    options = sorted(
        (
            (masses[m][i] + LIKENESS_WEIGHT * looks[m][i], m, i)
            for m in range(len(mentions))
            for i in names
            if masses[m][i] >= MIN_MASS or looks[m][i] >= MIN_LIKENESS
        ),
        reverse=True,
    )
    chosen: list[Rendering | None] = [None] * len(mentions)
    taken: set[int] = set(sentence.claimed)
    for score, m, index in options:
        if chosen[m] is not None or index in taken:
            continue
        wanted = set(names) - taken
        start, end = _widen(masses[m], looks[m], index, wanted, mentions[m].words)
        if classifier[m]:
            end = _with_classifier(tokens, end, sentence.language, taken)
        chosen[m] = Rendering(start, end, score)
        taken.update(range(start, end))
    return chosen


def _likeness(mention: Mention, source_language: str, word: str, language: str) -> float:
    return max(likeness(part, source_language, word, language) for part in mention.text.split())


def _widen(
    masses: Sequence[float],
    looks: dict[int, float],
    index: int,
    free: set[int],
    words: int,
) -> tuple[int, int]:
    """Grow the best word into the name-like neighbours that render the same name."""
    start, end = index, index + 1
    for step in (-1, 1):
        position = index + step
        while end - start < words and position in free:
            attends = masses[position] >= NEIGHBOUR_SHARE * masses[index]
            if not attends and looks.get(position, 0.0) < MIN_LIKENESS:
                break
            start, end = min(start, position), max(end, position + 1)
            position += step
    return start, end


def _with_classifier(tokens: Sequence[Token], end: int, language: str, taken: set[int]) -> int:
    """ "Курській області": a region's rendering takes the classifier noun after it along."""
    if end >= len(tokens) or end in taken or not tokens[end].is_word:
        return end
    found = {p.normal_form for p in parses(tokens[end].text, language)[:3]} | {tokens[end].key}
    return end + 1 if found & name_lists(language).classifiers else end
