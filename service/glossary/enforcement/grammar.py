"""pymorphy3 readings of target and source words, and past-tense verb agreement."""

from __future__ import annotations

from typing import Any

from service.glossary.analyzers import analyzer


def parses(word: str, language: str) -> list[Any]:
    """pymorphy3 parses of `word` (uk/ru); an empty list for other languages."""
    if language not in ("uk", "ru"):
        return []
    return list(analyzer(language).parse(word))


def lemma_key(normal_form: str) -> str:
    """A pymorphy3 lemma as the word lists spell it: with ' (the dictionary has ’ as well)."""
    return normal_form.replace("\u2019", "'").replace("\u02bc", "'")


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
