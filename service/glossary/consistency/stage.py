"""Article-level name consistency: every mention of a name written the way the model chose first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from service.glossary.consistency.anchor import AutoEntry, Seen, build_entry
from service.glossary.consistency.names import NameGroup, find_names
from service.glossary.consistency.rendering import Sentence, looks_like_name, renderings
from service.glossary.enforcement.enforcer import Enforcer
from service.glossary.enforcement.match import TermMatch
from service.glossary.enforcement.report import TermReport
from service.glossary.enforcement.steps import Steps, align
from service.glossary.enforcement.tokens import Token, tokenize
from service.glossary.enforcement.verify import OK, Verifier
from service.glossary.model import CompiledEntry
from service.glossary.paradigms.compiler import Compiler
from service.hypothesis import Alignment, Hypothesis
from service.vocab import AUTO_CONSISTENCY, FAILED, KEPT


@dataclass(frozen=True)
class Consistent:
    """An article's translations after the stage, and a report per mention it answers for."""

    texts: list[str]
    reports: list[tuple[TermReport, ...]]
    """Per sentence, the mentions of every name the stage changed somewhere in the text
    (offsets into the source sentence, outcome `auto_consistency`)."""


@dataclass(frozen=True)
class FoundName:
    """A recurring name, how each mention is rendered, and its temporary entry."""

    group: NameGroup
    seen: list[Seen | None]
    auto: AutoEntry


@dataclass(frozen=True)
class Article:
    """An article's sentences as the stage reads them."""

    sources: Sequence[str]
    texts: list[str]
    tokens: list[list[Token]]
    glossary: Sequence[Sequence[TermMatch]]
    claimed: list[frozenset[int]]
    """Per sentence, the translation's tokens a glossary term holds."""


class NameConsistency:
    """Makes every mention of a name no glossary covers agree with its first sure rendering.

    `run` is a computation that yields its model calls (one alignment, then the scores that
    break ties between forms), see `service.glossary.enforcement.steps`. Thread-safe.
    """

    def __init__(self, compiler: Compiler, enforcer: Enforcer | None = None) -> None:
        self._compiler = compiler
        # An enforcer of its own: per-text entries must not push the glossaries' match indexes
        # out of the request path's enforcer cache.
        self._enforcer = enforcer or Enforcer(cache_size=8)

    def run(
        self,
        sources: Sequence[str],
        translations: Sequence[str],
        languages: tuple[str, str],
        glossary: Sequence[Sequence[TermMatch]],
    ) -> Steps[Consistent]:
        """The article's translations (one per source sentence) made consistent in names.

        `glossary[i]` are the glossary terms found in sentence i: never a name of this stage,
        their forms never a repair target, and a change that would break one is dropped.
        """
        article = self.article(sources, translations, languages[1], glossary)
        unchanged = Consistent(list(translations), [() for _ in translations])
        names = yield from self.names(article, languages)
        if not names:
            return unchanged
        entries = (*_glossary_entries(glossary), *(name.auto.compiled for name in names))
        verifier = Verifier(entries, languages[1])
        offset = len(entries) - len(names)
        found: list[tuple[int, int, TermReport]] = []
        changed: set[int] = set()
        for sentence in sorted({m.sentence for n in names for m in n.group.mentions}):
            matches, owners = _matches(names, sentence, offset, article.texts[sentence])
            result = yield from self._enforcer.enforce(
                sources[sentence], languages[0], languages[1],
                [Hypothesis(article.texts[sentence], 0.0, ())], entries,
                model=True, matches=matches, agreement=False, redecode=False,
            )  # fmt: skip
            edited = [o for o, r in zip(owners, result.reports, strict=True) if _edited(r)]
            old = article.texts[sentence]
            if edited and _keeps_glossary(old, result.text, glossary[sentence], verifier):
                article.texts[sentence] = result.text
                changed.update(edited)
            found.extend((sentence, o, r) for o, r in zip(owners, result.reports, strict=True))
        reports: list[list[TermReport]] = [[] for _ in article.texts]
        for sentence, owner, report in found:
            if owner in changed:
                reports[sentence].append(_reported(report, names[owner], sentence))
        return Consistent(article.texts, [tuple(r) for r in reports])

    def names(self, article: Article, languages: tuple[str, str]) -> Steps[list[FoundName]]:
        """The recurring names of the article with their temporary entries (one model call)."""
        source_language, language = languages
        covered = [[(m.start, m.end) for m in matches] for matches in article.glossary]
        groups = _rendered_somewhere(find_names(article.sources, source_language, covered),
                                     article, language)  # fmt: skip
        if not groups:
            return []
        wanted = sorted({m.sentence for group in groups for m in group.mentions})
        alignments = yield from align(
            [article.sources[i] for i in wanted], [article.texts[i] for i in wanted]
        )
        seen = _seen(groups, dict(zip(wanted, alignments, strict=True)), article, languages)
        names = []
        for number, (group, renderings_) in enumerate(zip(groups, seen, strict=True)):
            entry_id = f"auto:{_slug(group.key) or number + 1}"
            auto = build_entry(group, renderings_, languages, self._compiler, entry_id)
            if auto is not None:
                names.append(FoundName(group, renderings_, auto))
        return names

    def article(
        self,
        sources: Sequence[str],
        translations: Sequence[str],
        language: str,
        glossary: Sequence[Sequence[TermMatch]],
    ) -> Article:
        """The sentences, their translations and what glossary terms hold in them."""
        texts = list(translations)
        checker = Verifier(_glossary_entries(glossary), language)
        claimed = [
            checker.verify(text, list(matches)).claimed if matches else frozenset()
            for text, matches in zip(texts, glossary, strict=True)
        ]
        tokens = [tokenize(text, language) for text in texts]
        return Article(sources, texts, tokens, glossary, claimed)


def _glossary_entries(glossary: Sequence[Sequence[TermMatch]]) -> tuple[CompiledEntry, ...]:
    """The glossary entries found in the article, once each (their forms stay claimed)."""
    found: dict[int, CompiledEntry] = {}
    for matches in glossary:
        for match in matches:
            found.setdefault(id(match.entry), match.entry)
    return tuple(found.values())


def _rendered_somewhere(
    groups: Sequence[NameGroup], article: Article, language: str
) -> list[NameGroup]:
    """Mentions in sentences whose translation holds a name-like word; names left twice.

    A cheap filter before the model is asked to align anything: "Air defence" opening two
    sentences is no name, and its translations hold no capitalised word it could be.
    """
    kept = []
    for group in groups:
        mentions = tuple(
            m
            for m in group.mentions
            if any(
                looks_like_name(article.tokens[m.sentence], i, language)
                and i not in article.claimed[m.sentence]
                for i in range(len(article.tokens[m.sentence]))
            )
        )
        if len(mentions) >= 2:
            kept.append(replace(group, mentions=mentions))
    return kept


def _seen(
    groups: Sequence[NameGroup],
    alignments: dict[int, Alignment],
    article: Article,
    languages: tuple[str, str],
) -> list[list[Seen | None]]:
    """Per group and mention, the translation's words that render it (None: not found)."""
    seen: list[list[Seen | None]] = [[None] * len(g.mentions) for g in groups]
    for sentence, alignment in alignments.items():
        here = [
            (g, m)
            for g, group in enumerate(groups)
            for m, mention in enumerate(group.mentions)
            if mention.sentence == sentence
        ]
        target = Sentence(article.tokens[sentence], languages[1], article.claimed[sentence])
        found = renderings(
            alignment,
            [groups[g].mentions[m] for g, m in here],
            languages[0],
            target,
            [groups[g].classifier for g, _ in here],
        )
        for (g, m), rendering in zip(here, found, strict=True):
            if rendering is not None:
                seen[g][m] = Seen(
                    groups[g].mentions[m], target.tokens, rendering.start, rendering.end
                )
    return seen


def _matches(
    names: Sequence[FoundName], sentence: int, offset: int, text: str
) -> tuple[list[TermMatch], list[int]]:
    """The sentence's mentions as matches of the temporary entries, with their names' indexes."""
    found: list[tuple[TermMatch, int]] = []
    for number, name in enumerate(names):
        for mention, seen in zip(name.group.mentions, name.seen, strict=True):
            if mention.sentence != sentence:
                continue
            hint = None
            if seen is not None:
                start, end = seen.tokens[seen.start].start, seen.tokens[seen.end - 1].end
                hint = (text, start, end)
            match = TermMatch(
                entry=name.auto.compiled,
                position=offset + number,
                start=mention.start,
                end=mention.end,
                text=mention.text,
                cases=mention.cases,
                hints=mention.hints,
                relative_position=mention.relative_position,
                target_hint=hint,
            )
            found.append((match, number))
    found.sort(key=lambda item: item[0].start)
    return [match for match, _ in found], [number for _, number in found]


def _edited(report: TermReport) -> bool:
    return report.outcome not in (KEPT, FAILED)


def _keeps_glossary(old: str, new: str, matches: Sequence[TermMatch], verifier: Verifier) -> bool:
    """True when every glossary term the sentence had right is still right in `new`."""
    if not matches:
        return True
    before = verifier.verify(old, list(matches))
    after = verifier.verify(new, list(matches))
    kept = all(
        b.status != OK or a.status == OK
        for b, a in zip(before.findings, after.findings, strict=True)
    )
    return kept and len(after.forbidden) <= len(before.forbidden)


def _reported(report: TermReport, name: FoundName, sentence: int) -> TermReport:
    """A mention of a name the stage changed somewhere: how this one stands now."""
    method = report.method
    if report.outcome == KEPT:
        anchor = name.group.mentions[name.auto.anchor]
        is_anchor = anchor.sentence == sentence and anchor.start == report.source_start
        method = "anchor" if is_anchor else "match"
    return replace(report, outcome=AUTO_CONSISTENCY, method=method)


def _slug(key: str) -> str:
    return re.sub(r"\W+", "-", key.casefold()).strip("-")
