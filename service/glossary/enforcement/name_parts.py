"""The words of a multiword name around a matched short form: "Вадима Скібіцький" (given name
inflected, surname not) or ru "Андрія Сибиги" (the given name in Ukrainian spelling) are one
name rendered wrongly, not a right bare surname with a stray word before it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from service.glossary.enforcement.match import Span, plain_case, terms_of
from service.glossary.enforcement.tokens import Token, phrase_tokens
from service.glossary.model import CompiledEntry

OTHER_LANGUAGE = {"uk": "ru", "ru": "uk"}

WordCases = dict[str, frozenset[str]]
"""A word (case-folded) -> the cases of the name's forms it stands in."""


@dataclass(frozen=True)
class _LongName:
    """One multiword paradigm of an entry, word by word, in the target and the other language."""

    paradigm: int
    """Index of the target-language paradigm a repair writes."""
    target: tuple[WordCases, ...]
    foreign: tuple[WordCases, ...]


@dataclass(frozen=True)
class NameRendering:
    """Tokens [start, end) that render one multiword name whose parts disagree or mix spellings."""

    start: int
    end: int
    paradigm: int
    leading_cases: frozenset[str]
    """The cases the words before the short form agree on (the given name's case)."""
    foreign: bool
    """True when a word is spelled as the other language spells it."""


class NameParts:
    """The multiword names of a request's entries, word by word, for one target language."""

    def __init__(self, entries: Sequence[CompiledEntry], language: str) -> None:
        self._names: dict[int, list[_LongName]] = {}
        other = OTHER_LANGUAGE.get(language)
        for position, entry in enumerate(entries):
            target = _word_cases(entry, language)
            foreign = _word_cases(entry, other) if other else {}
            names = [
                _LongName(index, words, foreign.get(len(words), (None, ()))[1])
                for size, (index, words) in target.items()
                if size > 1 and index is not None
            ]
            if names:
                self._names[position] = names

    def rendering(self, tokens: list[Token], span: Span) -> NameRendering | None:
        """The longer name `span` (a short form) is the end of, when it is rendered wrongly."""
        for name in self._names.get(span.ref.position, ()):
            size = len(name.target)
            first = span.start - (size - span.size)
            if first < 0 or size <= span.size:
                continue
            if tokens[span.end - 1].key not in name.target[-1]:
                continue  # the short form is not the name's last word (an abbreviation)
            leading = _leading(tokens[first : span.start], name)
            if leading is None:
                continue
            cases, foreign = leading
            if not foreign and cases & set(span.ref.cases):
                continue  # the parts agree: a combination of variants, not an error
            return NameRendering(first, span.end, name.paradigm, cases, foreign)
        return None


def _leading(words: Sequence[Token], name: _LongName) -> tuple[frozenset[str], bool] | None:
    """The cases the words before a short form share as the name's first words, and whether one
    is spelled the other language's way; None unless every word is such a name word."""
    shared: frozenset[str] | None = None
    foreign = False
    for offset, token in enumerate(words):
        if not token.is_word or not token.text[:1].isupper():
            return None
        key = token.key
        cases = name.target[offset].get(key)
        if cases is None and offset < len(name.foreign):
            cases = name.foreign[offset].get(key)
            foreign = foreign or cases is not None
        if cases is None:
            return None
        shared = cases if shared is None else shared & cases
    if shared is None:
        return None
    return shared, foreign


def _word_cases(
    entry: CompiledEntry, language: str
) -> dict[int, tuple[int | None, tuple[WordCases, ...]]]:
    """Name length in words -> (its first paradigm of that length, cases of each word)."""
    compiled = terms_of(entry, language)
    found: dict[int, tuple[int | None, tuple[WordCases, ...]]] = {}
    if compiled is None:
        return found
    for index, paradigm in enumerate(compiled.paradigms()):
        words: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        forms = [*paradigm.forms.items()]
        forms += [(case, form) for case, extra in paradigm.variants.items() for form in extra]
        sizes = set()
        for case, form in forms:
            tokens = phrase_tokens(form, language)
            sizes.add(len(tokens))
            for offset, word in enumerate(tokens):
                words[offset][word.casefold()].add(plain_case(case))
        if len(sizes) != 1 or (size := sizes.pop()) in found:
            continue
        found[size] = (
            index,
            tuple(
                {word: frozenset(cases) for word, cases in words[i].items()} for i in range(size)
            ),
        )
    return found
