"""Glossary enforcement of one sentence: pick a hypothesis, verify, repair, re-decode, report."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from service.glossary.enforcement.locate import Located, Locator
from service.glossary.enforcement.match import TermMatch, TermMatcher
from service.glossary.enforcement.outcomes import doubt_warning, kept_report, term_report
from service.glossary.enforcement.redecode import redecode
from service.glossary.enforcement.repair import Edit, FormChooser, agreement_edits, pick_paradigm
from service.glossary.enforcement.report import EnforcementResult, TermReport
from service.glossary.enforcement.steps import Steps
from service.glossary.enforcement.tokens import matching_form
from service.glossary.enforcement.verify import (
    HOMOGLYPH,
    NAME_PARTS,
    OK,
    WRONG_CASE,
    Finding,
    TranslationCheck,
    Verifier,
)
from service.glossary.model import CompiledEntry
from service.hypothesis import Hypothesis
from service.vocab import FAILED, KEPT, NOT_ENFORCED, REPAIRED_FORM, REPAIRED_REDECODE


@dataclass(frozen=True)
class _Tools:
    matcher: TermMatcher
    verifier: Verifier
    locator: Locator


@dataclass
class _Pass:
    """One repair pass over a translation: its edits and a report per occurrence."""

    edits: list[Edit]
    reports: list[TermReport]
    unlocated: list[Finding]
    warnings: list[str]


class Enforcer:
    """Makes a translation use every glossary term of its source, in the case the sentence needs.

    Thread-safe; indexes of recently used entry lists are cached. `enforce` is a computation
    that yields the model calls it needs (see `service.glossary.enforcement.steps`) instead of
    making them.
    """

    def __init__(self, *, margin: float = 0.15, cache_size: int = 32, redecode_forms: int = 3):
        self.margin = margin
        self.redecode_forms = redecode_forms
        self._cache_size = cache_size
        self._cache: OrderedDict[tuple[object, ...], tuple[object, _Tools]] = OrderedDict()
        self._lock = threading.Lock()
        self._chooser = FormChooser()

    def enforce(
        self,
        source: str,
        source_lang: str,
        target_lang: str,
        hypotheses: Sequence[Hypothesis],
        entries: Sequence[CompiledEntry],
        *,
        model: bool = False,
        enabled: bool = True,
        matches: list[TermMatch] | None = None,
        redecode: bool = True,
        agreement: bool = True,
        checked: TranslationCheck | None = None,
    ) -> Steps[EnforcementResult]:
        """The enforced translation of `source` (hypotheses best first) and its term report.

        With `model`, ties between forms are scored and (with `redecode`) a missing term is
        forced by re-decoding (model calls are yielded); without, only the rules repair.
        `matches` are the terms found in `source` by `find_terms`, when the caller has them.
        `agreement` lets the verb next to a person follow the entry's gender. `checked` is
        `check` of the best hypothesis with those matches, when the caller has made it.
        """
        if not hypotheses:
            raise ValueError("hypotheses: at least one translation is needed")
        best = hypotheses[0]
        if not entries or source_lang == target_lang:
            return EnforcementResult(best.text)
        tools = self._tools(entries, source_lang, target_lang)
        if matches is None:
            matches = tools.matcher.find(source)
        if not matches:
            return EnforcementResult(best.text)
        view, switched = self._pick(hypotheses, matches, tools, checked)
        text, reports, warnings = yield from self._enforce_view(
            source, view, matches, tools, (model, model and redecode, agreement)
        )
        if switched:
            reports = [replace(r, method="n-best") if r.outcome == KEPT else r for r in reports]
        if not enabled:
            reports = [replace(r, outcome=NOT_ENFORCED) for r in reports]
            return EnforcementResult(best.text, tuple(reports), tuple(warnings))
        return EnforcementResult(text, tuple(reports), tuple(warnings), text != best.text)

    def find_terms(
        self, source: str, source_lang: str, target_lang: str, entries: Sequence[CompiledEntry]
    ) -> list[TermMatch]:
        """Glossary terms in `source` (so callers can ask for n-best only where terms occur)."""
        if not entries or source_lang == target_lang:
            return []
        return self._tools(entries, source_lang, target_lang).matcher.find(source)

    def satisfied(
        self,
        matches: list[TermMatch],
        source_lang: str,
        target_lang: str,
        translation: str,
        entries: Sequence[CompiledEntry],
    ) -> bool:
        """True when `translation` already has every found term right (nothing to do)."""
        if not matches:
            return True
        return self.check(matches, source_lang, target_lang, translation, entries).satisfied

    def check(
        self,
        matches: list[TermMatch],
        source_lang: str,
        target_lang: str,
        translation: str,
        entries: Sequence[CompiledEntry],
    ) -> TranslationCheck:
        """Every found term checked against `translation` (hand it to `enforce` as `checked`)."""
        tools = self._tools(entries, source_lang, target_lang)
        return tools.verifier.verify(translation, matches)

    def _tools(self, entries: Sequence[CompiledEntry], source: str, target: str) -> _Tools:
        key = (*(id(entry) for entry in entries), source, target)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached[1]
        tools = _Tools(
            TermMatcher(entries, source),
            Verifier(entries, target),
            Locator(entries, target, source),
        )
        with self._lock:
            # Keep the entry list alive with its tools so the ids in the key stay unique.
            self._cache[key] = (tuple(entries), tools)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return tools

    def _pick(
        self,
        hypotheses: Sequence[Hypothesis],
        matches: list[TermMatch],
        tools: _Tools,
        checked: TranslationCheck | None,
    ) -> tuple[TranslationCheck, bool]:
        """The best hypothesis that already satisfies every term, if its score is close enough."""
        first = checked
        if first is None or first.text != hypotheses[0].text:
            first = tools.verifier.verify(hypotheses[0].text, matches)
        if first.satisfied:
            return first, False
        for hypothesis in hypotheses[1:]:
            if hypothesis.score < hypotheses[0].score - self.margin:
                break
            view = tools.verifier.verify(hypothesis.text, matches)
            if view.satisfied:
                return view, True
        return first, False

    def _enforce_view(
        self,
        source: str,
        view: TranslationCheck,
        matches: list[TermMatch],
        tools: _Tools,
        switches: tuple[bool, bool, bool],
    ) -> Steps[tuple[str, list[TermReport], list[str]]]:
        model, forcing, agreeing = switches
        scoring = source if model else None
        step = yield from self._pass(source, view, tools, scoring)
        text = apply(view.text, step.edits)
        redecoded: int | None = None
        if step.unlocated and forcing:
            missing = step.unlocated[0]
            forced = yield from redecode(
                source, text, missing.match, tools.verifier, self.redecode_forms
            )
            if forced is not None:
                forced_view = tools.verifier.verify(forced, matches)
                step = yield from self._pass(source, forced_view, tools, scoring)
                text = apply(forced, step.edits)
                redecoded = list(view.findings).index(missing)
        reports = step.reports
        if redecoded is not None and reports[redecoded].outcome != FAILED:
            reports[redecoded] = replace(
                reports[redecoded], outcome=REPAIRED_REDECODE, method="prefix-redecode"
            )
        # Verifying is most of a kept sentence's cost: a text nothing changed is checked already.
        final = view if text == view.text else tools.verifier.verify(text, matches)
        agreement = agreement_edits(final, tools.verifier.language) if agreeing else []
        for index, _edit in agreement:
            reports[index] = replace(reports[index], method=f"{reports[index].method}+agreement")
        text = apply(text, [edit for _, edit in agreement])
        warnings = [
            f"term {r.entry_id} missing from the translation"
            for r in reports
            if r.outcome == FAILED
        ]
        return text, reports, warnings + step.warnings

    def _pass(
        self, source: str, view: TranslationCheck, tools: _Tools, scoring: str | None
    ) -> Steps[_Pass]:
        """Repairs for every occurrence not already right (ties scored against `scoring`)."""
        failed = [term_report(f, "", "", FAILED, "not-found") for f in view.findings]
        step = _Pass([], failed, [], [])
        taken = {i for f in view.findings if f.status == OK and f.span for i in _cells(f.span)}
        for index, finding in enumerate(view.findings):
            if finding.status == OK:
                step.reports[index] = kept_report(finding)
                if finding.doubted:
                    step.warnings.append(doubt_warning(finding))
                continue
            located = self._located(source, view, finding, tools, taken)
            if located is None:
                step.unlocated.append(finding)
                continue
            taken.update(range(located.start, located.end))
            kept = tools.locator.dictionary_form(view, finding, located, tools.verifier.resolver)
            if kept is not None:  # "у Бундестазі": right, though the paradigm lacks it
                step.reports[index] = term_report(finding, *kept, KEPT, "dictionary-form")
                continue
            edit = yield from self._repair(view, finding, located, tools, scoring)
            step.edits.append(edit)
            step.reports[index] = term_report(
                finding, edit.text, edit.case, REPAIRED_FORM, edit.method, edit.original
            )
        yield from self._forbidden_leftovers(view, tools, taken, step)
        return step

    def _located(
        self, source: str, view: TranslationCheck, finding: Finding, tools: _Tools, taken: set[int]
    ) -> Located | None:
        span = finding.span
        if finding.status == HOMOGLYPH and span is not None:
            return Located(span.start, span.end, "homoglyph", span.ref.cases, span.ref.paradigm)
        if finding.status == WRONG_CASE and span is not None:
            return Located(span.start, span.end, "wrong-case", (), span.ref.paradigm)
        if finding.status == NAME_PARTS and span is not None:
            return Located(span.start, span.end, "name-parts", (), span.ref.paradigm)
        return tools.locator.locate(view, finding, taken, source)

    def _repair(
        self,
        view: TranslationCheck,
        finding: Finding,
        located: Located,
        tools: _Tools,
        scoring: str | None,
    ) -> Steps[Edit]:
        language = tools.verifier.language
        start, end = view.tokens[located.start].start, view.tokens[located.end - 1].end
        wrong = view.text[start:end]
        if located.method == "homoglyph":
            case = located.wrong_cases[0] if located.wrong_cases else ""
            return Edit(start, end, matching_form(wrong), case, "homoglyph", wrong)
        paradigm = pick_paradigm(
            finding.match.entry, language, matching_form(wrong), located.paradigm
        )
        need = finding.need
        if finding.status not in (WRONG_CASE, NAME_PARTS):
            need = tools.verifier.resolver.need(
                view.tokens, located.start, located.end, finding.match, view.accepted
            )

        def render(form: str) -> str:
            return view.text[:start] + form + view.text[end:]

        form, case, how = yield from self._chooser.choose(
            finding,
            paradigm,
            need,
            matching_form(wrong),
            located.wrong_cases,
            render,
            scoring,
            located.evidence,
        )
        if view.tokens[located.start].sentence_start:
            form = form[:1].upper() + form[1:]
        return Edit(start, end, form, case, f"{located.method}+{how}", wrong)

    def _forbidden_leftovers(
        self, view: TranslationCheck, tools: _Tools, taken: set[int], step: _Pass
    ) -> Steps[None]:
        """A forbidden variant beside a right form (an extra mention): replace it as well."""
        for span in view.forbidden:
            if any(i in taken for i in _cells(span)):
                continue
            owner = next((f for f in view.findings if f.match.position == span.ref.position), None)
            if owner is None:
                continue
            located = Located(span.start, span.end, "forbidden")
            step.edits.append((yield from self._repair(view, owner, located, tools, None)))
            step.warnings.append(f"term {owner.match.entry.entry.id}: replaced an extra variant")
            taken.update(_cells(span))


def apply(text: str, edits: Sequence[Edit]) -> str:
    """`text` with non-overlapping edits applied (right to left, so offsets stay valid)."""
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def _cells(span: object) -> range:
    return range(span.start, span.end)  # type: ignore[attr-defined]
