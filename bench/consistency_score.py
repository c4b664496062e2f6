"""Scoring the name consistency of translated articles against the consistency set's forms."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from service.errors import GlossaryError
from service.glossary.enforcement.grammar import parses
from service.glossary.model import Entry
from service.glossary.paradigms.compiler import Compiler

WORD = re.compile(r"\w+(?:['\-]\w+)*|\S")
PROPER_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
Paradigm = dict[str, tuple[str, ...]]
"""Case -> accepted forms."""


@dataclass(frozen=True)
class NameScore:
    """One recurring name of one article in one direction."""

    name: str
    mentions: int
    found: int
    """Mentions whose rendering the scorer found in the output."""
    exact: int
    """Mentions rendered exactly as the expected form (the reference's lemma, in its case)."""
    consistent: bool
    """Every mention found, and one paradigm holds each rendering in the case its sentence needs."""


def paragraphs(article: dict[str, Any], language: str) -> list[str]:
    """The article's text in `language`, paragraph by paragraph."""
    return _join(article, [str(s[language]) for s in article["sentences"]])


def draft_paragraphs(article: dict[str, Any], language: str) -> list[str]:
    """The article's draft translation into `language`, paragraph by paragraph."""
    return _join(article, list(article["drafts"][language]))


def _join(article: dict[str, Any], sentences: Sequence[str]) -> list[str]:
    grouped: dict[int, list[str]] = {}
    for sentence, text in zip(article["sentences"], sentences, strict=True):
        grouped.setdefault(int(sentence["paragraph"]), []).append(text)
    return [" ".join(grouped[key]) for key in sorted(grouped)]


def mention_place(
    article: dict[str, Any], mention: dict[str, Any], language: str
) -> tuple[int, int, int]:
    """(paragraph, start, end) of a mention in the paragraphs of `language`."""
    sentence = int(mention["sentence"])
    paragraph = int(article["sentences"][sentence]["paragraph"])
    offset = 0
    for index, item in enumerate(article["sentences"][:sentence]):
        if int(item["paragraph"]) == paragraph and index < sentence:
            offset += len(str(item[language])) + 1
    start, end = mention["spans"][language]
    return paragraph, offset + start, offset + end


def name_like(word: str, language: str) -> bool:
    """Capitalised, and no common word that a sentence start explains ("Під", "Бійці")."""
    if not word[:1].isupper():
        return False
    found = parses(word, language)
    return not found or not found[0].is_known or bool(PROPER_TAGS & found[0].tag.grammemes)


def rendering(reference: str, span: tuple[int, int], output: str, language: str) -> str | None:
    """The words of `output` that stand where `reference` has the name at `span`, or None.

    The outputs scored keep the reference's frame (drafts differ from it only in names; the demo
    model writes the templates it learnt), so a word diff places the name.
    """
    ref = list(WORD.finditer(reference))
    out = [m.group(0) for m in WORD.finditer(output)]
    inside = [i for i, m in enumerate(ref) if m.start() < span[1] and span[0] < m.end()]
    matcher = difflib.SequenceMatcher(None, [m.group(0) for m in ref], out, autojunk=False)
    found: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if not any(i1 <= i < i2 for i in inside):
            continue
        if tag == "equal":
            found.extend(out[j1 + i - i1] for i in inside if i1 <= i < i2)
        elif tag == "replace":
            block = out[j1:j2]
            if i2 - i1 == j2 - j1:
                block = [out[j1 + i - i1] for i in inside if i1 <= i < i2]
            found.extend(w for w in block if name_like(w, language))
    words = list(dict.fromkeys(word.removesuffix("'s") for word in found))  # Hnatiuk's office
    return " ".join(words) if words else None


class Oracle:
    """Whether renderings share one lemma, each in its case (the compiler as the morphology)."""

    def __init__(self, compiler: Compiler) -> None:
        self._compiler = compiler

    def consistent(
        self,
        renderings: Sequence[str],
        cases: Sequence[str],
        expected: Paradigm,
        name: dict[str, Any],
        language: str,
    ) -> bool:
        """True when the expected paradigm, or one of a lemma the renderings suggest, holds all."""
        if language == "en":
            return len(set(renderings)) == 1
        if _explains(expected, renderings, cases):
            return True
        for lemma in self._lemmas(renderings, cases, expected, language):
            paradigm = self._paradigm(lemma, name, language)
            if paradigm is not None and _explains(paradigm, renderings, cases):
                return True
        return False

    def _lemmas(
        self, renderings: Sequence[str], cases: Sequence[str], expected: Paradigm, language: str
    ) -> list[str]:
        """Nominatives the renderings point to: themselves, the reference's endings, parses."""
        found: list[str] = []
        nominative = expected["nomn"][0]
        for text, case in zip(renderings, cases, strict=True):
            found.append(text)
            reference = expected[case][0]
            stem = "".join(
                a
                for a, _ in itertools.takewhile(
                    lambda p: p[0] == p[1], zip(reference, nominative, strict=False)
                )
            )
            ending, lemma_ending = reference[len(stem) :], nominative[len(stem) :]
            if text.endswith(ending):
                found.append(text[: len(text) - len(ending)] + lemma_ending)
            *head, last = text.split()
            for parse in parses(last.lower(), language)[:4]:
                form = parse.inflect({"nomn"})
                if form is not None:
                    found.append(" ".join([*head, form.word[:1].upper() + form.word[1:]]))
        return list(dict.fromkeys(found))[:12]

    def _paradigm(self, lemma: str, name: dict[str, Any], language: str) -> Paradigm | None:
        kind = str(name["kind"])
        entry = Entry(
            "scored", kind, {language: (lemma,)}, gender=str(name["gender"]),
            animate=kind == "person",
        )  # fmt: skip
        try:
            compiled = self._compiler.compile_entry(entry)
        except (GlossaryError, ValueError):
            return None
        paradigm = compiled.languages[language].preferred
        return {c: (f, *paradigm.variants.get(c, ())) for c, f in paradigm.forms.items()}


def _explains(paradigm: Paradigm, renderings: Sequence[str], cases: Sequence[str]) -> bool:
    return all(
        text in paradigm.get(case, ()) or text in paradigm.get(f"plur_{case}", ())
        for text, case in zip(renderings, cases, strict=True)
    )


def expected_paradigm(name: dict[str, Any], language: str) -> Paradigm:
    """The hand-written paradigm (a person's surname alone), with its other accepted forms."""
    if language == "en":
        return {}
    forms = name.get(f"{language}_surname") or name[language]
    extra = name.get("variants", {}).get(language, {})
    return {case: (form, *extra.get(case, ())) for case, form in forms.items()}


def score_article(
    article: dict[str, Any], outputs: Sequence[str], target: str, oracle: Oracle
) -> list[NameScore]:
    """A score per recurring name of `article`, for `outputs` (paragraphs) in `target`."""
    names = {str(n["key"]): n for n in article["names"]}
    references = paragraphs(article, target)
    scores = []
    for key in article["recurring"]:
        name = names[key]
        person = name["kind"] == "person"
        mentions = [o for o in article["occurrences"] if o["name"] == key]
        texts: list[str] = []
        cases: list[str] = []
        exact = 0
        for mention in mentions:
            paragraph, start, end = mention_place(article, mention, target)
            output = outputs[paragraph] if paragraph < len(outputs) else ""
            found = rendering(references[paragraph], (start, end), output, target)
            exact += found == mention["forms"][target]
            if found is not None:
                texts.append(found.split()[-1] if person else found)
                cases.append(str(mention["cases"].get(target, "nomn")))
        consistent = len(texts) == len(mentions) and oracle.consistent(
            texts, cases, expected_paradigm(name, target), name, target
        )
        scores.append(NameScore(key, len(mentions), len(texts), exact, consistent))
    return scores
