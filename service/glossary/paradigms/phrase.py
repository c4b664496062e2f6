"""Multi-word terms: adjectives agree with their head noun, names decline part by part."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from service.glossary.model import CASES, Paradigm
from service.glossary.paradigms.lookup import Morphology, WordParadigm, WordSpec, frozen
from service.glossary.paradigms.names import PersonNames
from service.glossary.paradigms.spelling import is_frozen_token

_MAX_VARIANTS = 24
"""Cap on the combinations of per-word variants kept for one case (matching cost, not style)."""


@dataclass(frozen=True)
class TermSpec:
    """The glossary metadata that decides how one term inflects."""

    lang: str
    kind: str
    gender: str
    animate: bool
    declinable: bool

    @property
    def plural(self) -> bool:
        """True for pluralia tantum (Суми, Збройні сили): their forms are plural."""
        return self.gender == "plural"


class PhraseInflector:
    """Builds the Paradigm of a whole term from the paradigms of its words."""

    def __init__(self, morphology: Morphology, names: PersonNames) -> None:
        self._morph = morphology
        self._names = names

    def paradigm(self, term: str, spec: TermSpec) -> tuple[Paradigm, tuple[str, ...]]:
        """The term's paradigm and the problems met while building it."""
        tokens = term.split()
        if spec.kind == "person":
            words = self._person(tokens, spec)
            problems: list[str] = []
        else:
            words, problems = self._phrase(tokens, spec)
        return _combine(term, words, plural=spec.plural), tuple(problems)

    def _person(self, tokens: Sequence[str], spec: TermSpec) -> list[WordParadigm]:
        roles = ["given"] * (len(tokens) - 1) + ["surname"]
        if len(tokens) == 3:
            roles[1] = "patronymic"
        return [
            frozen(token)
            if is_frozen_token(token)
            else self._names.part(spec.lang, token, role, spec.gender, spec.declinable)
            for token, role in zip(tokens, roles, strict=True)
        ]

    def _phrase(
        self, tokens: Sequence[str], spec: TermSpec
    ) -> tuple[list[WordParadigm], list[str]]:
        fixed = [is_frozen_token(token) or not self._may_decline(token, spec) for token in tokens]
        head = self._head(tokens, fixed, spec)
        words: list[WordParadigm] = []
        problems: list[str] = []
        for index, token in enumerate(tokens):
            if fixed[index] or (head is not None and index > head):
                words.append(frozen(token))  # a genitive complement: сил України
                continue
            found = self._word(token, spec, is_head=index == head or len(tokens) == 1)
            if found is None and len(tokens) == 1:
                found = self._word(token, spec, is_head=False)  # adjectival names: Покровське
            if found is None:
                problems.append(f"{spec.lang}: cannot inflect '{token}'; it is kept unchanged")
                found = frozen(token)
            words.append(found)
        return words, problems

    def _may_decline(self, token: str, spec: TermSpec) -> bool:
        # declinable: false freezes the name itself; a lower-case generic head still declines
        # (спецпідрозділ «Ахмат» → спецпідрозділу «Ахмат»).
        return spec.declinable or token[:1].islower()

    def _head(self, tokens: Sequence[str], fixed: Sequence[bool], spec: TermSpec) -> int | None:
        """The first declining word that is not an adjective, or None (Курська АЕС)."""
        for index, token in enumerate(tokens):
            if fixed[index]:
                if index > 0:
                    return None
                continue
            last = index == len(tokens) - 1 or fixed[index + 1]
            if not self._morph.is_adjective(spec.lang, token) or (last and index == 0):
                if last and index == 0 and self._morph.is_adjective(spec.lang, token):
                    return None  # a one-word adjectival name: Покровське
                return index
        return None

    def _word(self, token: str, spec: TermSpec, *, is_head: bool) -> WordParadigm | None:
        role = "place" if spec.kind == "place" else "common"
        word_spec = WordSpec(spec.lang, spec.gender, spec.plural, spec.animate, role)
        if not is_head:
            return self._morph.adjective(token, word_spec)
        found = self._morph.noun(token, word_spec)
        if found is None and not spec.plural:
            loose = WordSpec(spec.lang, None, spec.plural, spec.animate, role)
            found = self._morph.noun(token, loose)
        return found


def _combine(term: str, words: Sequence[WordParadigm], *, plural: bool) -> Paradigm:
    forms: dict[str, str] = {}
    variants: dict[str, tuple[str, ...]] = {}
    for case in CASES:
        preferred = " ".join(word.preferred(case) for word in words)
        forms[case] = preferred
        options = itertools.product(*(word.forms[case] for word in words))
        extra = [" ".join(combo) for combo in itertools.islice(options, _MAX_VARIANTS + 1)]
        extra = [form for form in dict.fromkeys(extra) if form != preferred]
        if extra:
            variants[case] = tuple(extra)
    forms["nomn"] = term
    if plural:
        # A plurale tantum's six cases are its plural forms; plur_* says so explicitly.
        forms.update({f"plur_{case}": forms[case] for case in CASES})
        variants.update({f"plur_{case}": found for case, found in list(variants.items())})
    return Paradigm(term, forms, variants, guessed=any(word.guessed for word in words))
