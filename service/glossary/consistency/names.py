"""Names in an article's source sentences that no glossary covers, grouped across mentions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.glossary.consistency.word_lists import name_lists
from service.glossary.enforcement.grammar import parses, source_hints
from service.glossary.enforcement.tokens import Token, tokenize

PROPER_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
"""pymorphy3's grammemes of proper nouns."""
MIN_MENTIONS = 2
"""A name mentioned once cannot be inconsistent."""
Span = tuple[int, int]


@dataclass(frozen=True)
class Mention:
    """One mention of a name in one source sentence."""

    sentence: int
    start: int
    end: int
    """Character offsets in the sentence."""
    text: str
    cases: tuple[str, ...] = ()
    """Cases the source form can stand for (uk/ru sources)."""
    hints: tuple[str, ...] = ()
    """Target cases the source context suggests ("in X" -> loct, "X's" -> gent)."""
    relative_position: float = 0.0
    words: int = 1
    """Source words of the mention (a classifier noun included)."""
    before: str = ""
    after: str = ""
    """The source words next to the mention, case-folded ("" at an edge or punctuation)."""


@dataclass(frozen=True)
class NameGroup:
    """Every mention of one name in an article, in text order."""

    key: str
    """The longest form of the name in the source ("Taras Hnatiuk", "Kursk region")."""
    mentions: tuple[Mention, ...]
    classifier: bool = False
    """A region's name ("the Kursk region"): rendered as an adjective with its noun."""


@dataclass(frozen=True)
class _Run:
    sentence: int
    first: int
    last: int
    """Token indexes [first, last] of the name's words (the classifier noun included)."""
    words: tuple[str, ...]
    classifier: bool


def find_names(
    sentences: Sequence[str], language: str, covered: Sequence[Sequence[Span]]
) -> list[NameGroup]:
    """Names mentioned at least twice in `sentences`, never inside a `covered` span.

    `covered[i]` holds the character spans of sentence i that a glossary term already claims.
    """
    tokenized = [tokenize(sentence, language) for sentence in sentences]
    mid_capitals = {
        t.text
        for tokens in tokenized
        for t in tokens
        if t.is_word and not t.sentence_start and t.text[:1].isupper()
    }
    lower = {t.key for tokens in tokenized for t in tokens if t.is_word and t.text.islower()}
    runs: list[_Run] = []
    for index, tokens in enumerate(tokenized):
        reader = _Reader(tokens, language, covered[index] if index < len(covered) else ())
        runs.extend(reader.runs(index, mid_capitals, lower))
    groups = _group(runs, language)
    return [
        _named(group, tokenized, sentences, language)
        for group in groups
        if len(group) >= MIN_MENTIONS
    ]


class _Reader:
    """Finds the name words of one tokenized sentence."""

    def __init__(self, tokens: Sequence[Token], language: str, covered: Sequence[Span]) -> None:
        self.tokens = tokens
        self.language = language
        self.covered = covered
        self.lists = name_lists(language)

    def runs(self, sentence: int, mid_capitals: set[str], lower: set[str]) -> list[_Run]:
        """Maximal sequences of name words, each with the classifier noun that follows it."""
        found: list[_Run] = []
        index = 0
        tokens = self.tokens
        while index < len(tokens):
            if not self.name_word(index, mid_capitals, lower):
                index += 1
                continue
            last = index
            while last + 1 < len(tokens) and self.name_word(last + 1, mid_capitals, lower, True):
                last += 1
            classifier = last + 1 < len(tokens) and self.is_classifier(tokens[last + 1])
            end = last + 1 if classifier else last
            words = tuple(t.text for t in tokens[index : end + 1])
            found.append(_Run(sentence, index, end, words, classifier))
            index = end + 1
        return found

    def name_word(
        self, index: int, mid_capitals: set[str], lower: set[str], inside: bool = False
    ) -> bool:
        token = self.tokens[index]
        text = token.text
        if not token.is_word or not text[:1].isupper() or any(c.isdigit() for c in text):
            return False
        if len(text) > 1 and text.isupper():
            return False  # an abbreviation (NATO, ЗСУ) is translated as one, consistent anyway
        if any(start < token.end and token.start < end for start, end in self.covered):
            return False
        if token.key in self.lists.not_names:
            return False
        if not token.sentence_start or inside:
            return True
        if self.language != "en":
            return text in mid_capitals or self.proper(text)
        # Sentence-initial: a name if written so mid-sentence too, if a capitalised word follows
        # ("Taras Hnatiuk said"), or if never written lower-case; a lone mention forms no group.
        return text in mid_capitals or self.next_is_capital(index) or token.key not in lower

    def next_is_capital(self, index: int) -> bool:
        following = index + 1
        if following >= len(self.tokens):
            return False
        token = self.tokens[following]
        return token.is_word and token.text[:1].isupper() and token.key not in self.lists.not_names

    def proper(self, word: str) -> bool:
        found = parses(word, self.language)
        return not found or not found[0].is_known or bool(PROPER_TAGS & found[0].tag.grammemes)

    def is_classifier(self, token: Token) -> bool:
        nouns = self.lists.classifiers
        if token.key in nouns:
            return True
        return self.language != "en" and any(
            p.normal_form in nouns for p in parses(token.text, self.language)[:3]
        )


def _group(runs: Sequence[_Run], language: str) -> list[list[_Run]]:
    """Runs that name the same thing: the same words in any case, or a person's surname alone."""
    keys = [_keys(run, language) for run in runs]
    parent = list(range(len(runs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(runs)):
        for j in range(i):
            if _same_name(runs[j], keys[j], runs[i], keys[i]):
                parent[root(i)] = root(j)
                break
    groups: dict[int, list[_Run]] = {}
    for i, run in enumerate(runs):
        groups.setdefault(root(i), []).append(run)
    return list(groups.values())


def _keys(run: _Run, language: str) -> list[frozenset[str]]:
    """Per word, the lemmas it may stand for (uk/ru names decline: Гнатюка is Гнатюк)."""
    found = []
    for word in run.words:
        lemmas = {word.casefold()}
        if language != "en":
            lemmas |= {p.normal_form for p in parses(word, language) if p.tag.POS == "NOUN"}
        found.append(frozenset(lemmas))
    return found


def _same_name(
    earlier: _Run, earlier_keys: list[frozenset[str]], run: _Run, keys: list[frozenset[str]]
) -> bool:
    if earlier.classifier != run.classifier:
        return False
    if len(keys) == len(earlier_keys):
        return all(a & b for a, b in zip(keys, earlier_keys, strict=True))
    # "Hnatiuk" after "Taras Hnatiuk": the surname alone names the same person.
    return len(keys) == 1 and not run.classifier and bool(keys[0] & earlier_keys[-1])


def _named(
    group: list[_Run],
    tokenized: Sequence[Sequence[Token]],
    sentences: Sequence[str],
    language: str,
) -> NameGroup:
    mentions = []
    for run in group:
        tokens = list(tokenized[run.sentence])
        start, end = tokens[run.first].start, tokens[run.last].end
        words = max(1, sum(t.is_word for t in tokens))
        mentions.append(
            Mention(
                sentence=run.sentence,
                start=start,
                end=end,
                text=sentences[run.sentence][start:end],
                cases=_cases(tokens[run.last].text, language),
                hints=_hints(tokens, run.first, run.last + 1, language),
                relative_position=sum(t.is_word for t in tokens[: run.first]) / words,
                words=run.last - run.first + 1,
                before=_neighbour(tokens, run.first - 1),
                after=_neighbour(tokens, run.last + 1),
            )
        )
    longest = max(group, key=lambda r: len(r.words))
    return NameGroup(" ".join(longest.words), tuple(mentions), longest.classifier)


def _hints(tokens: Sequence[Token], start: int, end: int, language: str) -> tuple[str, ...]:
    """The target cases the source suggests; an English sentence's first words are its subject."""
    found = source_hints(list(tokens), start, end, language)
    if not found and language == "en" and tokens[start].sentence_start:
        return ("nomn",)
    return found


def _neighbour(tokens: Sequence[Token], index: int) -> str:
    if 0 <= index < len(tokens) and (tokens[index].is_word or tokens[index].text == "'s"):
        return tokens[index].key
    return ""


def _cases(word: str, language: str) -> tuple[str, ...]:
    """The cases a uk/ru source word can stand for (the target case usually follows it)."""
    if language == "en":
        return ()
    found = [p for p in parses(word, language) if p.tag.POS in ("NOUN", "ADJF")]
    return tuple(dict.fromkeys(str(p.tag.case) for p in found if p.tag.case))
