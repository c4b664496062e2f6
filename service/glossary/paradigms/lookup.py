"""Word paradigms from pymorphy3's uk/ru dictionaries, chosen by glossary metadata."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from service.glossary.analyzers import analyzer
from service.glossary.model import CASES
from service.glossary.paradigms.analogy import SuffixGuesser
from service.glossary.paradigms.rules import decline
from service.glossary.paradigms.spelling import dictionary_key, restore_apostrophe, restore_case
from service.glossary.paradigms.word_lists import paradigm_lists

_CACHE_SIZE = 32768
_GENDER_TAGS = {"masculine": "masc", "feminine": "femn", "neuter": "neut"}
# Endings that are data (adjectival, archaic, long dative) are in data/<language>.yaml.


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

    def is_adjective(self, lang: str, word: str) -> bool:
        """True when the first nominative reading of `word` is an adjective."""
        readings = [p for p in self.known_parses(lang, word) if p.tag.case == "nomn"]
        if readings:
            return bool(readings[0].tag.POS == "ADJF")
        # Unknown word: adjectival endings (-ський, -ська, -ий, -ая...) decide.
        return dictionary_key(word).endswith(paradigm_lists(lang).adjective_endings)

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

    def adjective(self, word: str, spec: WordSpec) -> WordParadigm | None:
        """The paradigm of an adjective agreeing with a head of spec's gender and number."""
        gender = None if spec.plural else _GENDER_TAGS.get(spec.gender or "masculine", "masc")

        def agrees(tag: Any) -> bool:
            return tag.POS == "ADJF" and (gender is None or gender in _grammemes(tag))

        def accept(tag: Any) -> bool:
            return agrees(tag) and tag.case == "nomn" and _number_ok(tag, spec.plural)

        known = [p for p in self.known_parses(spec.lang, word) if accept(p.tag)]
        if known:
            forms = [(form.word, form.tag) for form in known[0].lexeme]
            return _finish(word, spec, _collect(forms, spec.plural, agrees), False, adjective=True)
        guessed = self._guessers[spec.lang].lexeme(dictionary_key(word), accept)
        if guessed is None:
            return None
        return _finish(word, spec, _collect(guessed, spec.plural, agrees), True, adjective=True)


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


def _noun_rank(parse: Any, spec: WordSpec) -> tuple[bool, bool, float]:
    preferred_tag = _ROLE_TAGS.get(spec.role)
    has_tag = preferred_tag is not None and preferred_tag in _grammemes(parse.tag)
    # A man's or a place's name that the dictionary marks indeclinable is often a woman's
    # reading (Шевченко femn Fixd); declining readings win unless nothing else fits.
    return (not has_tag, "Fixd" in _grammemes(parse.tag), -parse.score)


def _collect(
    lexeme: Iterable[tuple[str, Any]], plural: bool, keep: Callable[[Any], bool] | None
) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {case: [] for case in CASES}
    for word, tag in lexeme:
        case = str(tag.case)
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
    stem = _common_prefix([table[case][0] for case in ("gent", "datv", "ablt")])
    ordered: dict[str, tuple[str, ...]] = {}
    for case in CASES:
        ranked = sorted(table[case], key=lambda form: _form_rank(spec, case, form, stem))
        kept = [ranked[0]] + [
            form for form in ranked[1:] if _acceptable_variant(spec, form, stem, adjective)
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
    return restore_apostrophe(word, restore_case(word, form))


def _acceptable_variant(spec: WordSpec, form: str, stem: str, adjective: bool) -> bool:
    if not form.startswith(stem):
        return False  # junk stems such as київі next to києві
    return not (adjective and form.endswith(paradigm_lists(spec.lang).archaic_adjective_endings))


def _form_rank(spec: WordSpec, case: str, form: str, stem: str) -> tuple[int, int]:
    """Lower is preferred: the house style for choosing among a case's standard forms."""
    if not form.startswith(stem):
        return 1, 0
    # The ending after the shared stem: Києв|і is not a long dative, Бєлгород|ові is.
    ending = form[len(stem) :]
    if spec.lang == "ru":
        # Instrumental -ой/-ей is the neutral norm; -ою/-ею is bookish.
        return 0, 1 if case == "ablt" and ending.endswith(("ою", "ею")) else 0
    if case == "datv":
        return 0, 1 if ending in paradigm_lists(spec.lang).long_dative_endings else 0
    if case == "loct":
        return 0, _uk_locative_rank(spec, ending, stem)
    return 0, 0


def _uk_locative_rank(spec: WordSpec, ending: str, stem: str) -> int:
    if ending in paradigm_lists(spec.lang).long_dative_endings:
        return 0 if spec.animate else 3
    if ending.endswith("ому"):
        return 0  # adjectives: у Нижньому Новгороді (-ім is the variant)
    # After к/г/х the locative takes -у (у Курську); otherwise -і (у Києві, Харкові).
    velar = stem[-1:] in ("к", "г", "х")
    if ending in ("у", "ю"):
        return 0 if velar else 2
    return 1
