"""What the words around a term say about it, for callers outside enforcement (the consistency
stage): the governing preposition's cases, the source's hints, and past-verb agreement.

Enforcement itself weighs every clue (`resolver.CaseResolver`); these are the plain views of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.glossary.enforcement.evidence import CaseNeed
from service.glossary.enforcement.government import preposition_evidence, term_of
from service.glossary.enforcement.readings import parses
from service.glossary.enforcement.source_evidence import HINT_KINDS, hint_cases, source_evidence
from service.glossary.enforcement.tokens import Token

__all__ = ["Constraint", "agree_verb", "context_constraint", "parses", "source_hints"]


@dataclass(frozen=True)
class Constraint:
    """Cases the target context allows for a term, and why (None: the context says nothing)."""

    allowed: frozenset[str] | None = None
    reason: str = ""
    preferred: tuple[str, ...] = ()


def context_constraint(
    tokens: list[Token], start: int, end: int, language: str, *, animate: bool
) -> Constraint:
    """The cases the preposition before token `start` allows (and prefers) for a term."""
    gender = None
    need = CaseNeed(tuple(preposition_evidence(tokens, start, language, term_of(gender, animate))))
    if need.allowed is None:
        return Constraint()
    word = next(e.word for e in need.evidence if e.governs)
    return Constraint(need.allowed, f"preposition {word}", tuple(sorted(need.best())))


def source_hints(tokens: list[Token], start: int, end: int, language: str) -> tuple[str, ...]:
    """Target cases the source's prepositions and possessive suggest ("in X" -> loct)."""
    found = source_evidence(tokens, start, end, language, ())
    return hint_cases(e for e in found if e.kind in HINT_KINDS)


def agree_verb(word: str, gender: str, language: str) -> str | None:
    """The past-tense `word` made to agree with a subject of `gender`; None when it already does."""
    wanted = {"masculine": "masc", "feminine": "femn", "neuter": "neut", "plural": "plur"}.get(
        gender
    )
    found = parses(word, language)
    if wanted is None or not found or found[0].tag.POS != "VERB" or found[0].tag.tense != "past":
        return None
    tag = found[0].tag
    # pymorphy3 refuses to compare a gender with "plur": compare plain strings.
    current = "plur" if tag.number == "plur" else (str(tag.gender) if tag.gender else None)
    if current is None or current == wanted:
        return None
    changed = found[0].inflect({wanted} if wanted == "plur" else {wanted, "sing"})
    if changed is None:
        changed = found[0].inflect({wanted})
    if changed is None:
        return None
    text = str(changed.word)
    return text[:1].upper() + text[1:] if word[:1].isupper() else text
