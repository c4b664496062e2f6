"""Unknown words: borrow the paradigm of dictionary words with the same ending and metadata."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pymorphy3.units import DictionaryAnalyzer

Form = tuple[str, Any]
"""A word form and its pymorphy3 tag."""


class SuffixGuesser:
    """pymorphy3's suffix analogy, but only among paradigms that fit the glossary's metadata.

    pymorphy3's own guesser stops at the longest known ending whatever its part of speech, so an
    unknown town in -уга comes back as the genitive of a masculine noun. Filtering the same
    suffix statistics by kind, gender, number and animacy first is what makes the guess usable.
    """

    def __init__(self, analyzer: Any) -> None:
        self._dictionary = analyzer.dictionary
        self._substitutes = analyzer.char_substitutes
        self._lookup = DictionaryAnalyzer()
        self._lookup.init(analyzer)
        meta = self._dictionary.meta
        options = meta.get("compile_options") or meta.get("prediction_options") or {}
        self._max_suffix = int(options.get("max_suffix_length", 5))

    def lexeme(self, word: str, accept: Callable[[Any], bool]) -> list[Form] | None:
        """The forms of the best paradigm for `word` whose nominative tag passes `accept`."""
        dawg = self._dictionary.prediction_suffixes_dawgs[0]
        for length in range(min(self._max_suffix, len(word) - 1), 0, -1):
            start, end = word[:-length], word[-length:]
            best: tuple[int, str, int, int] | None = None
            for fixed_suffix, parses in dawg.similar_items(end, self._substitutes):
                for count, para_id, index in parses:
                    tag = self._dictionary.build_tag_info(para_id, index)
                    if accept(tag) and (best is None or count > best[0]):
                        best = (count, start + fixed_suffix, para_id, index)
            if best is not None:
                return self._forms(*best[1:])
        return None

    def vote(self, word: str, kinds: Mapping[str, Callable[[Any], bool]]) -> list[str]:
        """The kinds of paradigm the ending of `word` points to, likeliest first.

        pymorphy3's own rule: at the longest ending for which the dictionary has words of any of
        the kinds (in any case form), each kind is weighed by how many words it covers. The
        suffix tables keep the best paradigms per part of speech, so kinds are parts of speech.
        """
        dawg = self._dictionary.prediction_suffixes_dawgs[0]
        for length in range(min(self._max_suffix, len(word) - 1), 0, -1):
            totals: dict[str, int] = {}
            for _fixed, parses in dawg.similar_items(word[-length:], self._substitutes):
                for count, para_id, index in parses:
                    tag = self._dictionary.build_tag_info(para_id, index)
                    for kind, accept in kinds.items():
                        if accept(tag):
                            totals[kind] = totals.get(kind, 0) + count
            if totals:
                return sorted(totals, key=lambda kind: (-totals[kind], kind))
        return []

    def _forms(self, fixed_word: str, para_id: int, index: int) -> list[Form]:
        tag = self._dictionary.build_tag_info(para_id, index)
        stack = ((self._lookup, fixed_word, para_id, index),)
        lexeme = self._lookup.get_lexeme((fixed_word, tag, fixed_word, 1.0, stack))
        return [(form[0], form[1]) for form in lexeme]
