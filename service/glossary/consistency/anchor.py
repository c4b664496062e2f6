"""A temporary glossary entry for a name, from the rendering the model chose where it was surest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from service.errors import GlossaryError
from service.glossary.consistency.lemmas import GENDERS, Lemma, lemma_candidates
from service.glossary.consistency.names import Mention, NameGroup
from service.glossary.consistency.word_lists import name_lists
from service.glossary.enforcement.grammar import context_constraint, parses
from service.glossary.enforcement.match import plain_case
from service.glossary.enforcement.tokens import Token, matching_form
from service.glossary.model import CompiledEntry, CompiledTerms, Entry, Paradigm
from service.glossary.paradigms.compiler import Compiler

AUTO_GLOSSARY_ID = "auto"
"""The glossary id the stage's temporary entries carry (in term reports)."""
POOL = 24
"""Lemma hypotheses tried per name."""
_PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})


@dataclass(frozen=True)
class Seen:
    """One mention and the translation's words that render it."""

    mention: Mention
    tokens: Sequence[Token]
    """The target sentence's tokens."""
    start: int
    end: int
    """Token indexes [start, end) of the rendering."""

    @property
    def words(self) -> tuple[str, ...]:
        """The rendering's words."""
        return tuple(token.text for token in self.tokens[self.start : self.end])

    @property
    def text(self) -> str:
        """The rendering, its words joined by spaces."""
        return " ".join(self.words)


@dataclass(frozen=True)
class AutoEntry:
    """A name's temporary entry, its paradigm guessed from the anchor mention's rendering."""

    compiled: CompiledEntry
    anchor: int
    """Index (into the group's mentions) of the mention the others now follow."""
    kind: str


@dataclass(frozen=True)
class Context:
    """What the words around one rendering say about its case."""

    allowed: frozenset[str] | None
    """Cases the translation's words allow (None: they say nothing)."""
    pinned: str | None
    """The one case the context leaves, when it leaves one."""


@dataclass(frozen=True)
class Evidence:
    """A name's renderings with their contexts, as every hypothesis is judged against them."""

    seen: Sequence[Seen | None]
    contexts: Sequence[Context | None]
    language: str


def build_entry(
    group: NameGroup,
    seen: Sequence[Seen | None],
    languages: tuple[str, str],
    compiler: Compiler,
    entry_id: str,
) -> AutoEntry | None:
    """The entry of the first mention whose rendering a lemma's paradigm holds in context.

    Hypotheses come from every rendering (a nominative elsewhere in the text says more than an
    oblique form); the paradigm must hold the anchor's rendering in a case its sentence allows,
    and the hypothesis that explains the most other renderings wins.
    """
    source_language, language = languages
    kind = guess_kind(group, seen, source_language, language)
    contexts = [context_of(s, language, kind) if s is not None else None for s in seen]
    evidence = Evidence(seen, contexts, language)
    pool = _pool(evidence)
    for index, found in enumerate(seen):
        context = contexts[index]
        if found is None or context is None:
            continue
        best: tuple[float, CompiledEntry] | None = None
        for lemma in pool:
            gender = person_gender(seen, language, lemma.words) if kind == "person" else None
            compiled = _compile(entry_id, kind, gender or lemma.gender, lemma.words, compiler,
                                evidence)  # fmt: skip
            fit = None if compiled is None else _fit(compiled, found, context, evidence)
            if fit is None or compiled is None:
                continue
            fit += 2.0 * lemma.nominative  # a lemma that reads as a nominative beats oblique ones
            if best is None or fit > best[0]:
                best = (fit, compiled)
        if best is not None:
            return AutoEntry(best[1], index, kind)
    return None


def context_of(found: Seen, language: str, kind: str) -> Context:
    """The cases a rendering's sentence allows, narrowed by the source's own evidence."""
    constraint = context_constraint(
        list(found.tokens), found.start, found.end, language, animate=kind == "person"
    )
    allowed = constraint.allowed
    if allowed is not None and len(allowed) == 1:
        return Context(allowed, next(iter(allowed)))
    evidence = set(found.mention.hints) | set(found.mention.cases)
    narrowed = evidence & allowed if allowed is not None else evidence
    return Context(allowed, next(iter(narrowed)) if len(narrowed) == 1 else None)


def _pool(evidence: Evidence) -> list[Lemma]:
    """Lemma hypotheses from every rendering, the most nominative-looking first."""
    ranked: list[tuple[float, int, Lemma]] = []
    for found, context in zip(evidence.seen, evidence.contexts, strict=True):
        if found is None:
            continue
        for lemma in lemma_candidates(found.words, evidence.language):
            likely = lemma.nominative + (context is not None and context.pinned == "nomn")
            ranked.append((-likely, len(ranked), lemma))
    ranked.sort(key=lambda item: item[:2])
    best: dict[tuple[tuple[str, ...], str], Lemma] = {}
    for _, _, lemma in ranked:
        best.setdefault((lemma.words, lemma.gender), lemma)
    return list(best.values())[:POOL]


def guess_kind(
    group: NameGroup, seen: Sequence[Seen | None], source_language: str, language: str
) -> str:
    """person or place, from the classifier, proper-noun tags and the words around mentions."""
    if group.classifier:
        return "place"
    person = place = 0.0
    for found in seen:
        if found is None:
            continue
        for word in found.words:
            # A dictionary's tag is evidence; the guess for an unknown word much less so.
            for parse in parses(word, language)[:2]:
                weight = 2.0 if parse.is_known else 0.5
                person += weight * bool(parse.tag.grammemes & _PERSON_TAGS)
                place += weight * ("Geox" in parse.tag.grammemes)
        person += 1.0 * (_past_verb_after(found, language) is not None)
    if len(group.key.split()) > 1:
        person += 1.0  # "Taras Hnatiuk": a given name and a surname
    lists = name_lists(source_language)
    for mention in group.mentions:
        place += 1.5 * ("loct" in mention.hints or mention.before in lists.place_before)
        person += 1.0 * (mention.before in lists.person_before)
        person += 1.0 * (mention.after in lists.person_after) + 0.5 * (mention.after == "'s")
    return "person" if person > place else "place"


def person_gender(seen: Sequence[Seen | None], language: str, lemma: tuple[str, ...]) -> str:
    """masculine or feminine: past-tense verbs after the name, the given name, the surname."""
    votes = {"masculine": 0.0, "feminine": 0.0}
    for found in seen:
        verb = _past_verb_after(found, language) if found is not None else None
        if verb in votes:
            votes[verb] += 2.0
    if len(lemma) > 1:
        for parse in parses(lemma[0], language)[:2]:
            if "Name" in parse.tag.grammemes and parse.tag.gender in ("masc", "femn"):
                votes[GENDERS[str(parse.tag.gender)]] += 1.5
                break
    if lemma[-1].lower().endswith(name_lists(language).feminine_surnames):
        votes["feminine"] += 1.0
    return "feminine" if votes["feminine"] > votes["masculine"] else "masculine"


def _past_verb_after(found: Seen, language: str) -> str | None:
    """The gender of a past-tense verb right after the rendering ("Ковалик заявила")."""
    after = found.end
    if after >= len(found.tokens) or not found.tokens[after].is_word:
        return None
    for parse in parses(found.tokens[after].text, language)[:2]:
        tag = parse.tag
        if tag.POS == "VERB" and tag.tense == "past" and tag.number != "plur":
            return GENDERS.get(str(tag.gender))
    return None


def _compile(
    entry_id: str,
    kind: str,
    gender: str,
    words: tuple[str, ...],
    compiler: Compiler,
    evidence: Evidence,
) -> CompiledEntry | None:
    """The hypothesis compiled; a guessed paradigm takes the text's own forms where it has them."""
    language = evidence.language
    term = " ".join(words)
    terms = (term, words[-1]) if kind == "person" and len(words) > 1 else (term,)
    entry = Entry(
        id=entry_id, kind=kind, terms={language: terms}, gender=gender,
        animate=kind == "person", note="guessed from this text's translation",
    )  # fmt: skip
    try:
        compiled = compiler.compile_entry(entry, AUTO_GLOSSARY_ID)
        preferred = compiled.languages[language].preferred
        observed = _observed(preferred, evidence) if preferred.guessed else {}
        if observed:
            compiled = compiler.compile_entry(
                replace(entry, forms={language: observed}), AUTO_GLOSSARY_ID
            )
    except (GlossaryError, ValueError):
        return None
    return replace(compiled, languages={k: _guessed(v) for k, v in compiled.languages.items()})


def _observed(paradigm: Paradigm, evidence: Evidence) -> dict[str, str]:
    """Forms the text shows for the same stem where its context pins the case (first wins).

    A guessed paradigm is least sure of its endings; the model's own inflection of the same
    stem, where the sentence leaves one case and the language's analyser reads the word so, is
    better evidence (Сідумська after "поблизу" where the guess said Сідумську).
    """
    lemma = paradigm.term.lower()
    known = paradigm.all_forms()
    found: dict[str, str] = {}
    for item, context in zip(evidence.seen, evidence.contexts, strict=True):
        if item is None or context is None or context.pinned in (None, "nomn", *found):
            continue
        text = matching_form(item.text)
        common = _common_prefix(text.lower(), lemma)
        if text in known or common < max(3, len(lemma) - 2) or len(text) - common > 4:
            continue
        last = text.split()[-1]
        if any(
            p.tag.POS == "NOUN" and p.tag.case == context.pinned
            for p in parses(last, evidence.language)
        ):
            found[str(context.pinned)] = text
    return found


def _common_prefix(a: str, b: str) -> int:
    """How many leading letters two words share."""
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _guessed(terms: CompiledTerms) -> CompiledTerms:
    """Every paradigm of a temporary entry is flagged as guessed."""

    def mark(paradigm: Paradigm) -> Paradigm:
        return replace(paradigm, guessed=True)

    return replace(
        terms, preferred=mark(terms.preferred), alternatives=tuple(map(mark, terms.alternatives))
    )


def _fit(
    compiled: CompiledEntry, found: Seen, context: Context, evidence: Evidence
) -> float | None:
    """How well a hypothesis explains the renderings; None when it cannot hold the anchor's."""
    terms = compiled.languages[evidence.language]
    text = matching_form(found.text)
    cases = {plain_case(c) for p in terms.paradigms() for c in p.cases_of(text)}
    if not cases or (context.allowed is not None and not cases & context.allowed):
        return None
    score = 0.0
    sources = set(found.mention.hints) | set(found.mention.cases)
    if sources:
        score += 1.0 if cases & sources else -1.0
    forms = terms.all_forms()
    others = [s.text for s in evidence.seen if s is not None and s is not found]
    score += sum(1.5 for other in others if matching_form(other) in forms)
    if len(set(terms.preferred.forms.values())) == 1 and len({*others, found.text}) > 1:
        score -= 1.0  # an indeclinable guess explains any case: trust it only when forced to
    return score
