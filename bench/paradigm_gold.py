"""Gold mode of bench/paradigms.py: the paradigm compiler against hand-checked gold paradigms.

A gold file has the schema of ../shared/eval/glossary-gold.yaml (tests/data/paradigms-heldout/ adds
`family`). Each entry is compiled from what a glossary user writes: its terms and metadata go
through the service's own YAML reader, never the gold `forms`/`forms_alt`/`variants`. Every case
form the compiler generates for the preferred term and for the short form (the term `forms_alt`
gives) counts as right when it is the gold form or one of the gold variants of that case. Shares are
reported overall and per language, kind, family, term and case, with the oblique cases alone
beside them (the nominative is the term itself, so it is always right).
"""

from __future__ import annotations

import collections
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from service.errors import GlossaryError
from service.glossary.io.yaml_files import parse_yaml
from service.glossary.model import CASES, CompiledEntry, Entry, Paradigm
from service.glossary.paradigms.compiler import Compiler

# What a glossary user writes. The gold fields (forms, forms_alt, variants, family) never reach the
# compiler: `forms` would be taken as overrides and score the gold against itself.
USER_FIELDS = ("id", "kind", "gender", "animate", "declinable", "terms", "forbidden", "note")
OBLIQUE = CASES[1:]


@dataclass(frozen=True)
class Checked:
    """One case form of one term, as compiled and as the gold file has it."""

    entry: str
    family: str
    kind: str
    lang: str
    term: str  # "preferred" or "short"
    case: str
    got: str
    gold: tuple[str, ...]  # the gold form first, then its variants

    @property
    def right(self) -> bool:
        return self.got in self.gold


def gold_entries(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = data["entries"] if isinstance(data, dict) else data
    return entries


def user_entries(raw: list[dict[str, Any]], source: str) -> tuple[Entry, ...]:
    """The entries as the service reads a user's glossary file holding only the user's fields."""
    user = [{key: item[key] for key in USER_FIELDS if key in item} for item in raw]
    text = yaml.safe_dump({"entries": user}, allow_unicode=True)
    return parse_yaml(text, glossary_id="gold", source=source).entries


def compiled_paradigm(compiled: CompiledEntry | None, lang: str, term: str) -> Paradigm | None:
    terms = compiled.languages.get(lang) if compiled else None
    return next((p for p in terms.paradigms() if p.term == term), None) if terms else None


def check_entry(entry: Entry, raw: dict[str, Any], compiled: CompiledEntry | None) -> list[Checked]:
    checked = []
    for lang in ("uk", "ru"):
        variants = raw.get("variants", {}).get(lang, {})
        for block, label in (("forms", "preferred"), ("forms_alt", "short")):
            wanted = raw.get(block, {}).get(lang)
            if not wanted:
                continue
            paradigm = compiled_paradigm(compiled, lang, wanted["nomn"])
            for case in CASES:
                got = paradigm.forms.get(case, "") if paradigm else ""
                gold = (wanted[case], *variants.get(case, ()))
                family = str(raw.get("family", "-"))
                checked.append(Checked(entry.id, family, entry.kind, lang, label, case, got, gold))
    return checked


def score_gold(path: Path, compiler: Compiler) -> tuple[list[Checked], dict[str, str]]:
    """Every checked form of the file, and the entries the compiler refused (id -> error)."""
    raw = gold_entries(path)
    checked: list[Checked] = []
    failed: dict[str, str] = {}
    for entry, item in zip(user_entries(raw, str(path)), raw, strict=True):
        try:
            compiled: CompiledEntry | None = compiler.compile_entry(entry)
        except GlossaryError as error:  # counted as wrong, named in the report
            compiled, failed[entry.id] = None, str(error)
        checked += check_entry(entry, item, compiled)
    return checked, failed


def shares(checked: list[Checked]) -> dict[str, dict[str, Any]]:
    """Share of forms right overall and per language, kind, family, term and case."""
    groups: dict[str, list[Checked]] = collections.defaultdict(list)
    for item in checked:
        for key in ("all", f"lang {item.lang}", f"kind {item.kind}", f"family {item.family}"):
            groups[key].append(item)
        groups[f"term {item.term}"].append(item)
        groups[f"case {item.case}"].append(item)
    table = {}
    for key, items in groups.items():
        oblique = [item for item in items if item.case in OBLIQUE]
        right = sum(item.right for item in items)
        table[key] = {
            "forms": len(items),
            "right": right,
            "share": right / len(items),
            "oblique_share": sum(i.right for i in oblique) / len(oblique) if oblique else None,
        }
    return table


def print_gold(path: Path, checked: list[Checked], failed: dict[str, str], verbose: bool) -> None:
    table = shares(checked)
    entries = len({item.entry for item in checked})
    print(f"{path}: {entries} entries, {len(checked)} forms")
    print(f"  {'group':36} {'forms':>6} {'right':>6} {'share':>7} {'oblique':>8}")
    for key in sorted(table, key=lambda k: (k != "all", k.split()[0], k)):
        row = table[key]
        oblique = f"{row['oblique_share']:.3f}" if row["oblique_share"] is not None else "-"
        print(f"  {key:36} {row['forms']:6} {row['right']:6} {row['share']:7.3f} {oblique:>8}")
    for entry_id, error in failed.items():
        print(f"  compile error {entry_id}: {error}")
    if verbose:
        for item in checked:
            if not item.right:
                print(
                    f"  wrong {item.entry} {item.lang} {item.term} {item.case}: "
                    f"{item.got!r}, gold {' | '.join(item.gold)}"
                )


def run_gold(paths: list[Path], verbose: bool, as_json: bool) -> None:
    compiler = Compiler()
    report = {}
    for path in paths:
        checked, failed = score_gold(path, compiler)
        if as_json:
            wrong = [asdict(item) for item in checked if not item.right]
            report[str(path)] = {"shares": shares(checked), "failed": failed, "wrong": wrong}
        else:
            print_gold(path, checked, failed, verbose)
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
