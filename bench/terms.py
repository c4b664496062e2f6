"""Glossary enforcement on a terminology set: term accuracy, pastes, false repairs, latency.

Run: PYTHONPATH=. .venv/bin/python bench/terms.py --glossary ../shared/eval/glossary.yaml \
        --gold ../shared/eval/glossary-gold.yaml --data ../shared/eval/eval_dev.jsonl [--mode model]

`--glossary` is what gets compiled (the project's Compiler) and enforced; `--gold` (hand-checked
paradigms) is used only for scoring. `--mode drafts` enforces on each item's given draft without a
model (verify/repair rules only); `--mode model` translates each source with the installed model
(n-best) and enforces with the model's scores and prefix-forced decoding. When the items carry a
`family` field (construction families, as in tests/data/terms-challenge), a second table gives
the figures per family; `--families FILE` (JSON: item id -> family) supplies them for a set
whose items have none, e.g. tests/data/terms-challenge/shared-dev-families.json for the shared
development set.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from service.glossary.analyzers import analyzer
from service.glossary.enforcement.enforcer import Enforcer
from service.glossary.enforcement.report import EnforcementResult
from service.glossary.enforcement.steps import complete
from service.glossary.io import load_glossary
from service.glossary.model import CompiledEntry
from service.glossary.paradigms.compiler import Compiler
from service.hypothesis import Hypothesis

ALL = "all"


@dataclass(frozen=True)
class GoldEntry:
    """Hand-checked accepted forms of one entry per language (scoring only)."""

    accepted: dict[str, frozenset[str]]
    nominative: dict[str, frozenset[str]]
    forbidden: dict[str, frozenset[str]]


def load_gold(path: Path) -> dict[str, GoldEntry]:
    """Entry id -> gold forms, from a glossary-gold.yaml file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    gold: dict[str, GoldEntry] = {}
    for entry in raw["entries"]:
        accepted: dict[str, set[str]] = defaultdict(set)
        nominative: dict[str, set[str]] = defaultdict(set)
        for key in ("forms", "forms_alt"):
            for lang, forms in (entry.get(key) or {}).items():
                accepted[lang].update(forms.values())
                nominative[lang].update(v for c, v in forms.items() if c.endswith("nomn"))
        for lang, by_case in (entry.get("variants") or {}).items():
            for forms in by_case.values():
                accepted[lang].update(forms)
        for lang, terms in (entry.get("terms") or {}).items():
            accepted[lang].update(terms)
        gold[entry["id"]] = GoldEntry(
            {k: frozenset(v) for k, v in accepted.items()},
            {k: frozenset(v) for k, v in nominative.items()},
            {k: frozenset(v) for k, v in (entry.get("forbidden") or {}).items()},
        )
    return gold


def _spans(text: str, forms: Iterable[str]) -> list[tuple[int, int, str]]:
    """Whole-word occurrences of `forms` in `text`, longest first, never overlapping."""
    found = [
        (m.start(), m.end(), form)
        for form in forms
        for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text)
    ]
    found.sort(key=lambda s: (s[0] - s[1], s[0]))
    chosen: list[tuple[int, int, str]] = []
    for span in found:
        if all(span[1] <= c[0] or span[0] >= c[1] for c in chosen):
            chosen.append(span)
    return sorted(chosen)


@dataclass
class Tally:
    """Counts for one direction (or all)."""

    items: int = 0
    occurrences: int = 0
    lemma_hits: int = 0
    form_hits: int = 0
    oblique: int = 0
    nominative_pastes: int = 0
    forbidden: int = 0
    correct_drafts: int = 0
    false_repairs: int = 0
    errors: int = 0
    """Items whose enforcement raised: scored as an empty translation (the request fails)."""
    latency_ms: list[float] = field(default_factory=list)
    bare_ms: list[float] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        def share(part: int, whole: int) -> float:
            return round(part / whole, 4) if whole else 0.0

        figures: dict[str, Any] = {
            "items": self.items,
            "occurrences": self.occurrences,
            "ta_lemma": share(self.lemma_hits, self.occurrences),
            "ta_form": share(self.form_hits, self.occurrences),
            "nom_paste_rate": share(self.nominative_pastes, self.oblique),
            "forbidden_rate": share(self.forbidden, self.occurrences),
            "false_repairs": self.false_repairs,
            "correct_drafts": self.correct_drafts,
            "errors": self.errors,
            "latency_p50_ms": _percentile(self.latency_ms, 50),
            "latency_p95_ms": _percentile(self.latency_ms, 95),
        }
        if self.bare_ms:
            figures["bare_p50_ms"] = _percentile(self.bare_ms, 50)
            figures["bare_p95_ms"] = _percentile(self.bare_ms, 95)
        return figures


def _percentile(values: Sequence[float], q: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 3)


def score_item(item: dict[str, Any], text: str, gold: dict[str, GoldEntry], tally: Tally) -> None:
    """Add one translation's term figures to `tally`."""
    lang = item["tgt_lang"]
    ids = list(dict.fromkeys(term["id"] for term in item["terms"]))
    forms = {form: eid for eid in ids for form in gold[eid].accepted.get(lang, ())}
    spans = _spans(text, forms)
    pool: dict[str, list[str]] = defaultdict(list)
    for _, _, form in spans:
        pool[forms[form]].append(form)
    for term in item["terms"]:
        tally.occurrences += 1
        left = pool[term["id"]]
        used = term["ref_form"] if term["ref_form"] in left else (left[0] if left else None)
        if used is None:
            continue
        left.remove(used)
        tally.lemma_hits += 1
        tally.form_hits += used == term["ref_form"]
        nominative = gold[term["id"]].nominative.get(lang, frozenset())
        if term["case"] != "nomn" and term["ref_form"] not in nominative:
            tally.nominative_pastes += used in nominative
    for term in item["terms"]:
        tally.oblique += term["case"] != "nomn" and term["ref_form"] not in gold[
            term["id"]
        ].nominative.get(lang, frozenset())
    for eid in ids:
        banned = gold[eid].forbidden.get(lang, frozenset())
        occurrences = sum(term["id"] == eid for term in item["terms"])
        tally.forbidden += min(occurrences, len(_spans(text, banned)))


Enforce = Callable[
    [Enforcer, dict[str, Any], list[Hypothesis], Sequence[CompiledEntry]], EnforcementResult
]
"""Enforces one item's hypotheses: by the rules alone, or with the model answering its calls."""
Translate = Callable[[dict[str, Any]], tuple[list[Hypothesis], Enforce, float]]


@dataclass
class Results:
    """Tallies of the unenforced and enforced texts, per direction and per construction family."""

    before: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    after: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    family_before: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    family_after: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    lines: list[dict[str, Any]] = field(default_factory=list)


def run(
    items: list[dict[str, Any]],
    entries: Sequence[CompiledEntry],
    gold: dict[str, GoldEntry],
    translate: Translate,
) -> Results:
    """Enforce every item; tally the texts before and after per direction (and family)."""
    enforcer = Enforcer()
    for language in ("uk", "ru"):  # build the analyzers before timing anything
        analyzer(language)
    results = Results()
    for item in items:
        hypotheses, enforce, bare_ms = translate(item)
        started = time.perf_counter()
        result = _enforce(enforce, enforcer, item, hypotheses, entries)
        elapsed = (time.perf_counter() - started) * 1000
        draft = hypotheses[0].text
        direction = f"{item['src_lang']}-{item['tgt_lang']}"
        keyed = [(results.before, results.after, key) for key in (direction, ALL)]
        if "family" in item:
            keyed += [(results.family_before, results.family_after, item["family"])]
            keyed += [(results.family_before, results.family_after, ALL)]
        for before, after, key in keyed:
            _count(before[key], item, draft, draft, gold, [], [])
            _count(after[key], item, draft, result, gold, [elapsed], [bare_ms])
        results.lines.append(_line(item, result))
    return results


def _enforce(
    enforce: Enforce,
    enforcer: Enforcer,
    item: dict[str, Any],
    hypotheses: list[Hypothesis],
    entries: Sequence[CompiledEntry],
) -> EnforcementResult | Exception:
    """The enforced result, or the exception it raised: a crash is a finding, not an abort."""
    try:
        return enforce(enforcer, item, hypotheses, entries)
    except Exception as error:  # any failure is counted and reported for its item
        return error


def _count(
    tally: Tally,
    item: dict[str, Any],
    draft: str,
    result: str | EnforcementResult | Exception,
    gold: dict[str, GoldEntry],
    latency: list[float],
    bare: list[float],
) -> None:
    tally.items += 1
    crashed = isinstance(result, Exception)
    text = result if isinstance(result, str) else "" if crashed else result.text
    tally.errors += crashed
    score_item(item, text, gold, tally)
    if "draft_errors" in item and not item["draft_errors"]:
        tally.correct_drafts += 1
        tally.false_repairs += not crashed and text != draft
    tally.latency_ms += latency
    tally.bare_ms += [b for b in bare if b > 0]


def _line(item: dict[str, Any], result: EnforcementResult | Exception) -> dict[str, Any]:
    if isinstance(result, Exception):
        return {"id": item.get("id", ""), "error": f"{type(result).__name__}: {result}"}
    return {
        "id": item.get("id", ""),
        "text": result.text,
        "terms": [asdict(report) for report in result.reports],
        "warnings": list(result.warnings),
    }


def by_rules(
    enforcer: Enforcer,
    item: dict[str, Any],
    hypotheses: list[Hypothesis],
    entries: Sequence[CompiledEntry],
) -> EnforcementResult:
    """Enforcement without a model: verify and repair by the rules."""
    steps = enforcer.enforce(item["src"], item["src_lang"], item["tgt_lang"], hypotheses, entries)
    return complete(steps)


def drafts(item: dict[str, Any]) -> tuple[list[Hypothesis], Enforce, float]:
    """The item's draft as the only hypothesis, and no model."""
    return [Hypothesis(item["draft"], 0.0, ())], by_rules, 0.0


def model_translator(models_dir: Path, beam: int) -> Translate:
    """Translate each source with the installed model through the production path (batchers,
    route translator; enforcement's decodes and scores answered by them); exits with a message
    when no model is installed."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from service.glossary.enforcement.steps import drive
    from service.model_store.engine import Engine
    from service.model_store.registry import ModelInfo, ModelRegistry
    from service.translation.batcher import BatchOptions
    from service.translation.routes import CallAnswerer, RouteTranslator
    from tests.support.model_path import start_batchers

    def factory(info: ModelInfo) -> Engine:
        return Engine(info.path, source_spm=info.source_spm, target_spm=info.target_spm)

    registry = ModelRegistry(models_dir, factory)
    registry.load()
    if not registry.legs:
        sys.exit(
            f"--mode model: no model is installed under {models_dir}; run `tlumach models fetch`"
        )
    loop = asyncio.new_event_loop()
    batchers = loop.run_until_complete(start_batchers(registry.legs))
    executor = ThreadPoolExecutor(1, thread_name_prefix="text")

    def translate(item: dict[str, Any]) -> tuple[list[Hypothesis], Enforce, float]:
        route = registry.route(item["src_lang"], item["tgt_lang"])
        translator = RouteTranslator(route, batchers)
        started = time.perf_counter()
        [hypotheses] = loop.run_until_complete(
            translator.translate([item["src"]], BatchOptions(num_hypotheses=beam))
        )
        bare = (time.perf_counter() - started) * 1000

        def with_model(
            enforcer: Enforcer,
            item: dict[str, Any],
            hypotheses: list[Hypothesis],
            entries: Sequence[CompiledEntry],
        ) -> EnforcementResult:
            steps = enforcer.enforce(
                item["src"], item["src_lang"], item["tgt_lang"], hypotheses, entries, model=True
            )
            answer = CallAnswerer(translator, BatchOptions(), None)
            return loop.run_until_complete(drive(steps, answer, executor))

        return list(hypotheses), with_model, bare

    return translate


def table(before: dict[str, Tally], after: dict[str, Tally], mode: str) -> str:
    """The figures as a Markdown table, one row per direction and the overall row last."""
    head = (
        "| direction | items | terms | TA-lemma | TA-form | NomPaste | forbidden "
        "| false repairs | p50 ms | p95 ms |"
    )
    rows = [head, "|" + "---|" * 10]
    for key in [*sorted(k for k in after if k != ALL), ALL]:
        b, a = before[key].figures(), after[key].figures()
        rows.append(
            f"| {key} | {a['items']} | {a['occurrences']} "
            f"| {b['ta_lemma']:.3f} → {a['ta_lemma']:.3f} "
            f"| {b['ta_form']:.3f} → {a['ta_form']:.3f} "
            f"| {b['nom_paste_rate']:.3f} → {a['nom_paste_rate']:.3f} "
            f"| {b['forbidden_rate']:.3f} → {a['forbidden_rate']:.3f} "
            f"| {a['false_repairs']}/{a['correct_drafts']} "
            f"| {a['latency_p50_ms']:.2f} | {a['latency_p95_ms']:.2f} |"
        )
    label = "draft" if mode == "drafts" else "model output"
    text = "\n".join(rows) + f"\n\n(x → y: {label} before → after enforcement)"
    if after[ALL].errors:
        text += (
            f"\n\nEnforcement raised on {after[ALL].errors} items: scored as empty translations "
            "(the request would fail), never as false repairs; --out lists the errors."
        )
    return text


def family_table(before: dict[str, Tally], after: dict[str, Tally], mode: str) -> str:
    """Figures per construction family in name order, the overall row last."""
    head = (
        "| family | items | terms | oblique | TA-lemma | TA-form | NomPaste | forbidden "
        "| false repairs | errors |"
    )
    rows = [head, "|" + "---|" * 10]
    for key in [*sorted(k for k in after if k != ALL), ALL]:
        b, a = before[key].figures(), after[key].figures()
        rows.append(
            f"| {key} | {a['items']} | {a['occurrences']} | {after[key].oblique} "
            f"| {b['ta_lemma']:.3f} → {a['ta_lemma']:.3f} "
            f"| {b['ta_form']:.3f} → {a['ta_form']:.3f} "
            f"| {b['nom_paste_rate']:.3f} → {a['nom_paste_rate']:.3f} "
            f"| {b['forbidden_rate']:.3f} → {a['forbidden_rate']:.3f} "
            f"| {a['false_repairs']}/{a['correct_drafts']} | {a['errors']} |"
        )
    label = "draft" if mode == "drafts" else "model output"
    return "\n".join(rows) + f"\n\n(per construction family; x → y: {label} before → after)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--glossary", type=Path, required=True)
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--mode", choices=("drafts", "model"), default="drafts")
    parser.add_argument("--models-dir", type=Path, default=Path("models"))
    parser.add_argument("--beam", type=int, default=4, help="n-best size in model mode")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--out", type=Path, help="write one JSON line per item")
    parser.add_argument("--families", type=Path, help="JSON object: item id -> family")
    args = parser.parse_args(argv)
    entries = Compiler().compile(load_glossary(args.glossary)).entries
    gold = load_gold(args.gold)
    with args.data.open(encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    if args.families:
        items = with_families(items, json.loads(args.families.read_text(encoding="utf-8")))
    translate = drafts if args.mode == "drafts" else model_translator(args.models_dir, args.beam)
    results = run(items, entries, gold, translate)
    if args.out:
        with args.out.open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in results.lines)
    if args.json:
        print(json.dumps(report(results, args.mode), ensure_ascii=False, indent=1))
    else:
        print(table(results.before, results.after, args.mode))
        if results.family_after:
            print()
            print(family_table(results.family_before, results.family_after, args.mode))
    return 0


def with_families(items: list[dict[str, Any]], families: dict[str, str]) -> list[dict[str, Any]]:
    """The items with their `family` from `families`; exits naming any item it does not cover."""
    missing = [item.get("id", "") for item in items if item.get("id", "") not in families]
    if missing:
        sys.exit(f"--families: no family for items {', '.join(missing[:10])}")
    return [{**item, "family": families[item["id"]]} for item in items]


def report(results: Results, mode: str) -> dict[str, Any]:
    """The figures as one JSON object; `families` only when the items carry families."""
    figures: dict[str, Any] = {
        "mode": mode,
        "before": {k: t.figures() for k, t in results.before.items()},
        "after": {k: t.figures() for k, t in results.after.items()},
    }
    if results.family_after:
        figures["families"] = {
            "before": {k: t.figures() for k, t in results.family_before.items()},
            "after": {k: t.figures() for k, t in results.family_after.items()},
        }
    return figures


if __name__ == "__main__":
    raise SystemExit(main())
