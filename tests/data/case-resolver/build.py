"""Build dev.jsonl from items.txt: sentences written for the case resolver (tuning data).

Each line of items.txt: direction | family | source | reference | draft | errors, with every
term written {form@entry.case}; an empty draft means the draft is the reference (a right draft
that enforcement must leave alone). Forms are checked against the hand-written paradigms of
../terms-challenge/glossary-gold.yaml before anything is written.

    python tests/data/case-resolver/build.py [--check]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
GOLD = HERE.parent / "terms-challenge" / "glossary-gold.yaml"
TERM = re.compile(r"\{([^{}@]+)@([a-z_]+)\.([a-z]+)\}")


def gold_forms(entry: dict[str, object], language: str, case: str) -> set[str]:
    """The gold forms of one case (preferred, short and variant paradigms)."""
    found: set[str] = set()
    for key in ("forms", "forms_alt"):
        table = (entry.get(key) or {}).get(language) or {}  # type: ignore[attr-defined]
        found |= {form for c, form in table.items() if c.removeprefix("plur_") == case}
    variants = (entry.get("variants") or {}).get(language) or {}  # type: ignore[attr-defined]
    for c, forms in variants.items():
        if c.removeprefix("plur_") == case:
            found |= set(forms)
    return found


def build() -> str:
    gold = {e["id"]: e for e in yaml.safe_load(GOLD.read_text(encoding="utf-8"))["entries"]}
    lines = []
    rows = (HERE / "items.txt").read_text(encoding="utf-8").splitlines()
    for number, row in enumerate(r for r in rows if r.strip() and not r.startswith("#")):
        direction, family, source, ref, draft, errors = (part.strip() for part in row.split("|"))
        src, tgt = direction.split("-")
        terms = []
        for form, entry_id, case in TERM.findall(ref):
            if form not in gold_forms(gold[entry_id], tgt, case):
                sys.exit(f"{row}\n{form!r} is not a gold {case} form of {entry_id}")
            terms.append({"id": entry_id, "ref_form": form, "case": case})
        item = {
            "id": f"x{number + 1:03d}",
            "src_lang": src,
            "tgt_lang": tgt,
            "family": family,
            "src": source,
            "ref": TERM.sub(r"\1", ref),
            "terms": terms,
            "draft": TERM.sub(r"\1", draft or ref),
            "draft_errors": [label for label in errors.split(",") if label],
        }
        lines.append(json.dumps(item, ensure_ascii=False) + "\n")
    return "".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    built, target = build(), HERE / "dev.jsonl"
    if parser.parse_args().check:
        same = target.read_text(encoding="utf-8") == built
        print("dev.jsonl is up to date" if same else "dev.jsonl differs from items.txt")
        return 0 if same else 1
    target.write_text(built, encoding="utf-8")
    print(f"{built.count(chr(10))} items written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
