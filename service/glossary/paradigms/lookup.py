"""Word paradigms from pymorphy3's uk/ru dictionaries, chosen by glossary metadata."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from service.glossary.analyzers import analyzer
from service.glossary.model import CASES
from service.glossary.paradigms.analogy import Form, SuffixGuesser
from service.glossary.paradigms.preference import acceptable_variant, rank
from service.glossary.paradigms.rules import decline
from service.glossary.paradigms.spelling import (
    dictionary_key,
    hushing_spelling,
    restore_apostrophe,
    restore_case,
)

_CACHE_SIZE = 32768
_GENDER_TAGS = {"masculine": "masc", "feminine": "femn", "neuter": "neut"}
# Endings that are data (adjectival, archaic, long dative) are in data/<language>.yaml.
# Degrees of comparison live in one lexeme (высший is a form of высокий); a term keeps its own.
_DEGREES = frozenset({"Supr", "Cmp2", "COMP", "compr", "super"})
_UNUSUAL_ADJECTIVES = frozenset({"Abbr", "Fixd", "Apro"})


@dataclass(frozen=True)
class WordParadigm:
    """One word's forms per case: the preferred form first, then accepted variants."""

    forms: Mapping[str, tuple[str, ...]]
    guessed: bool = False

    def preferred(self, case: str) -> str:
        """The form to generate for `case`."""
        return self.forms[case][0]


def frozen(word: str) -> WordParadigm:
    """The paradigm of a word that never changes."""
    return WordParadigm(dict.fromkeys(CASES, (word,)))


@dataclass(frozen=True)
class WordSpec:
    """What a glossary says about one word: the metadata that picks its parse."""

    lang: str
    gender: str | None
    plural: bool
    animate: bool
    role: str = "common"
    """"place", "surname", "given" or "common": which dictionary tag to prefer."""


_ROLE_TAGS = {"place": "Geox", "surname": "Surn", "given": "Name"}


class Morphology:
    """pymorphy3 analyzers for uk and ru, built once; inflects nouns and adjectives."""

    def __init__(self, *, hidden: Callable[[str], bool] | None = None) -> None:
        """`hidden(word)` True makes a dictionary word count as unknown (for benchmarks)."""
        self._analyzers = {lang: analyzer(lang) for lang in ("uk", "ru")}
        self._guessers = {lang: SuffixGuesser(self._analyzers[lang]) for lang in ("uk", "ru")}
        self._hidden = hidden or (lambda _word: False)
        # One word is looked up several times per term (head? fixed? noun?); an unknown word's
        # lookup runs every pymorphy3 guesser, so remember recent answers.
        self._known = lru_cache(maxsize=_CACHE_SIZE)(self._lookup)

    def known_parses(self, lang: str, word: str) -> tuple[Any, ...]:
        """The dictionary's parses of `word` (none when the word is hidden or unknown)."""
        return self._known(lang, dictionary_key(word))

    def _lookup(self, lang: str, key: str) -> tuple[Any, ...]:
        if self._hidden(key):
            return ()
        return tuple(p for p in self._analyzers[lang].parse(key) if _is_known(p))

    def knows(self, lang: str, word: str, tag: str) -> bool:
        """True when the dictionary has `word` with grammeme `tag`."""
        return any(tag in _grammemes(p.tag) for p in self.known_parses(lang, word))

    def is_fixed(self, lang: str, word: str, spec: WordSpec) -> bool:
        """True when the dictionary lists `word` (in this role) only as indeclinable."""
        accept = _noun_filter(spec)
        known = [p for p in self.known_parses(lang, word) if accept(p.tag)]
        return bool(known) and all("Fixd" in _grammemes(p.tag) for p in known)

    def vote(self, lang: str, word: str, kinds: Mapping[str, Callable[[Any], bool]]) -> list[str]:
        """The kinds of paradigm an unknown word's ending points to, likeliest first."""
        return self._guessers[lang].vote(dictionary_key(word), kinds)

    def noun(self, word: str, spec: WordSpec) -> WordParadigm | None:
        """The paradigm of a noun, or None when no paradigm fits the metadata."""
        accept = _noun_filter(spec)
        known = [p for p in self.known_parses(spec.lang, word) if accept(p.tag)]
        if known:
            parse = min(known, key=lambda p: _noun_rank(p, spec))
            if "Fixd" in _grammemes(parse.tag):
                return frozen(word)
            forms = [(form.word, form.tag) for form in parse.lexeme]
            return _finish(word, spec, _collect(forms, spec.plural, None), False, adjective=False)
        if not spec.animate:
            by_rule = decline(spec.lang, dictionary_key(word), spec.gender, spec.plural)
            if by_rule is not None:
                return _finish(word, spec, by_rule, True, adjective=False)
        guessed = self._guessers[spec.lang].lexeme(
            dictionary_key(word), lambda tag: accept(tag) and "Fixd" not in _grammemes(tag)
        )
        if guessed is None:
            return None
        return _finish(word, spec, _collect(guessed, spec.plural, None), True, adjective=False)

    def noun_known(self, word: str, spec: WordSpec) -> bool:
        """True when the dictionary has `word` as a noun of spec's number (any gender)."""
        accept = _noun_filter(replace(spec, gender=None))
        return any(accept(p.tag) for p in self.known_parses(spec.lang, word))

    def noun_as_inanimate(self, word: str, spec: WordSpec) -> WordParadigm | None:
        """A name made of a noun the dictionary knows only as animate (Гусь): inanimate forms."""
        accept = _noun_filter(replace(spec, gender=None, animate=True))
        known = [p for p in self.known_parses(spec.lang, word) if accept(p.tag)]
        if not known:
            return None
        parse = min(known, key=lambda p: _noun_rank(p, spec))
        table = _collect([(form.word, form.tag) for form in parse.lexeme], spec.plural, None)
        if spec.plural or "femn" not in _grammemes(parse.tag):
            table["accs"] = [dictionary_key(word)]  # a place's accusative is its nominative
        return _finish(word, spec, table, False, adjective=False)

    def adjective(self, word: str, spec: WordSpec, *, guess: bool = True) -> WordParadigm | None:
        """The paradigm of an adjective agreeing with a head of spec's gender and number.

        With `guess` False only a dictionary adjective counts (no analogy for unknown words).
        """
        gender = None if spec.plural else _GENDER_TAGS.get(spec.gender or "masculine", "masc")

        def agrees(tag: Any) -> bool:
            return tag.POS == "ADJF" and (gender is None or gender in _grammemes(tag))

        # A surname never declines as a possessive (Садовничий → -чего, not садовничьего).
        excluded = {"Poss"} if spec.role == "surname" else set()

        def accept(tag: Any) -> bool:
            nominative = is_nominative(tag) and _number_ok(tag, spec.plural)
            return agrees(tag) and nominative and not _grammemes(tag) & excluded

        found = self._adjective_lexeme(word, spec.lang, accept, guess)
        if found is None:
            return None
        forms, degree, guessed = found

        def keep(tag: Any) -> bool:
            return agrees(tag) and _degree(tag) == degree

        # One lexeme may hold other stems (высший, высочайший of высокий): keep the term's own.
        stem = dictionary_key(word).replace("ё", "е")[:-2] if len(word) > 3 else ""
        forms = [(form, tag) for form, tag in forms if form.replace("ё", "е").startswith(stem)]
        return _finish(word, spec, _collect(forms, spec.plural, keep), guessed, adjective=True)

    def _adjective_lexeme(
        self, word: str, lang: str, accept: Callable[[Any], bool], guess: bool
    ) -> tuple[list[Form], frozenset[str], bool] | None:
        """The forms of the adjective's lexeme, the degree of its reading, and whether guessed."""
        known = [p for p in self.known_parses(lang, word) if accept(p.tag)]
        if known:
            return [(form.word, form.tag) for form in known[0].lexeme], _degree(known[0].tag), False
        if not guess:
            return None

        def guessable(tag: Any) -> bool:
            # A guess borrows a paradigm from the ending alone: never a numeral abbreviation
            # (2-ой), an indeclinable or a pronoun.
            return accept(tag) and not _grammemes(tag) & _UNUSUAL_ADJECTIVES

        found = self._guessers[lang].lexeme(dictionary_key(word), guessable)
        if found is None:
            return None
        degree = next((_degree(tag) for _form, tag in found if accept(tag)), frozenset())
        return found, degree, True


def is_nominative(tag: Any) -> bool:
    """True for a nominative tag; uk adjectives often leave the nominative's case unmarked."""
    return bool(tag.case == "nomn" or (tag.case is None and tag.POS == "ADJF"))


def _degree(tag: Any) -> frozenset[str]:
    return _grammemes(tag) & _DEGREES


def _noun_filter(spec: WordSpec) -> Callable[[Any], bool]:
    wanted_gender = None if spec.plural else _GENDER_TAGS.get(spec.gender or "")
    animacy = "anim" if spec.animate else "inan"

    def accept(tag: Any) -> bool:
        found = _grammemes(tag)
        return (
            tag.POS == "NOUN"
            and "nomn" in found
            and _number_ok(tag, spec.plural)
            and (wanted_gender is None or bool(found & {wanted_gender, "ms-f"}) or not tag.gender)
            and (not tag.animacy or animacy in found)
        )

    return accept


def _grammemes(tag: Any) -> frozenset[str]:
    # Comparing a tag attribute with a grammeme the language lacks (uk has no ms-f) raises.
    return frozenset(str(grammeme) for grammeme in tag.grammemes)


def _is_known(parse: Any) -> bool:
    return bool(parse.is_known)


def _number_ok(tag: Any, plural: bool) -> bool:
    is_plural = bool(_grammemes(tag) & {"plur", "Pltm"})
    return is_plural == plural


def _noun_rank(parse: Any, spec: WordSpec) -> tuple[bool, bool, bool, float]:
    grammemes = _grammemes(parse.tag)
    preferred_tag = _ROLE_TAGS.get(spec.role)
    has_tag = preferred_tag is not None and preferred_tag in grammemes
    # uk "alt" marks a non-standard lexeme (бюро declined as бюра): the standard one wins. A man's
    # or a place's name that the dictionary marks indeclinable is often a woman's reading
    # (Шевченко femn Fixd); declining readings win unless nothing else fits.
    return ("alt" in grammemes, not has_tag, "Fixd" in grammemes, -parse.score)


def _collect(
    lexeme: Iterable[tuple[str, Any]], plural: bool, keep: Callable[[Any], bool] | None
) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {case: [] for case in CASES}
    for word, tag in lexeme:
        case = "nomn" if is_nominative(tag) else str(tag.case)
        wanted = case in table and _number_ok(tag, plural) and (keep is None or keep(tag))
        if wanted and word not in table[case]:
            table[case].append(word)
    return table


def _finish(
    word: str, spec: WordSpec, table: dict[str, list[str]], guessed: bool, *, adjective: bool
) -> WordParadigm | None:
    if any(not forms for forms in table.values()):
        return None
    table["nomn"] = [dictionary_key(word)]
    like = table["gent"][0] if spec.animate else table["nomn"][0]
    if adjective and (spec.plural or spec.gender not in ("feminine", "neuter")):
        # Masculine and plural accusative: nominative when inanimate, genitive when animate.
        table["accs"] = [like]
    elif like in table["accs"]:
        table["accs"] = [like]
    # A feminine adjective's gent, datv and ablt may coincide (мудрой): add the nominative, or
    # the stem would swallow the ending and reject мудрою.
    stem_cases = ("nomn", "gent", "datv", "ablt") if adjective else ("gent", "datv", "ablt")
    stem = _common_prefix([table[case][0] for case in stem_cases])
    ordered: dict[str, tuple[str, ...]] = {}
    for case in CASES:
        ranked = sorted(
            table[case], key=lambda form: rank(spec.lang, spec.animate, case, form, stem)
        )
        kept = [ranked[0]] + [
            form for form in ranked[1:] if acceptable_variant(spec.lang, form, stem, adjective)
        ]
        if case in ("nomn", "accs"):
            kept = kept[:1]
        ordered[case] = tuple(_surface(word, form) for form in kept)
    return WordParadigm(ordered, guessed=guessed)


def _common_prefix(words: list[str]) -> str:
    prefix = words[0]
    for word in words[1:]:
        while not word.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def _surface(word: str, form: str) -> str:
    """The dictionary form written like the glossary word: case, apostrophe, е for ё."""
    if "ё" not in word.lower():
        form = form.replace("ё", "е")  # Russian news writes е; ё only where the user did
    return hushing_spelling(word, restore_apostrophe(word, restore_case(word, form)))
