"""The resolver's own development items stay built from their source and are enforced without a
false repair (a right draft is never changed) or a crash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.terms import drafts, load_gold, run
from service.glossary.io import load_glossary
from service.glossary.paradigms.compiler import Compiler

DATA = Path(__file__).resolve().parent / "data"
ITEMS = DATA / "case-resolver"
CHALLENGE = DATA / "terms-challenge"


def test_dev_items_are_built_from_their_source() -> None:
    done = subprocess.run(
        [sys.executable, str(ITEMS / "build.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_right_drafts_stay_and_nothing_raises() -> None:
    entries = Compiler().compile(load_glossary(CHALLENGE / "glossary.yaml")).entries
    gold = load_gold(CHALLENGE / "glossary-gold.yaml")
    lines = (ITEMS / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    results = run(items, entries, gold, drafts)
    figures = results.after["all"].figures()
    assert figures["correct_drafts"] >= 40
    assert figures["false_repairs"] == 0
    assert figures["errors"] == 0
    assert figures["ta_form"] > results.before["all"].figures()["ta_form"]
