"""Cross-check hand-written gold paradigms against pymorphy3's own uk/ru dictionaries, word by word.

The gold files (tests/data/paradigms-heldout/*.yaml, ../shared/eval/glossary-gold.yaml) are written
by hand. This script looks every declining word up in the dictionary (never in the project's
compiler), picks the dictionary lexeme that fits the entry (number, gender, part of speech) and
lists where the two disagree: a gold form the dictionary does not have for that case, and a
dictionary form for the case that the gold file does not accept. Words the dictionary does not
know are listed too; they were checked by hand. Each disagreement is for a person to judge: the
dictionary is a witness, not the gold.

    PYTHONPATH=. .venv/bin/python bench/paradigm_gold_check.py GOLD.yaml [GOLD.yaml ...] [--quiet]

e.g. GOLD.yaml = tests/data/paradigms-heldout/entries.yaml; --quiet prints only the summary.
"""

from __future__ import annotations

import argparse
import collections
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymorphy3
import yaml

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
# Russian second genitive/locative (чаю, в лесу) count as forms of the main case.
_CASE_OF = {**{case: case for case in CASES}, "gen2": "gent", "loc2": "loct", "acc2": "accs"}
_PREFERRED_TAGS = {"person": ("Surn", "Name"), "place": ("Geox",), "organization": ("Orgn",)}


@dataclass
class Finding:
    """What the dictionary said about one word of one gold paradigm."""

    entry: str
    lang: str
    word: str
    verdict: str  # agree | differs | unknown | fixed | fixed-but-declines
    notes: list[str] = field(default_factory=list)


def _plain(word: str) -> str:
    """Lower case, ё read as е (the Russian dictionary writes ё, news text mostly does not)."""
    return word.lower().replace("ё", "е")


def grammemes(tag: Any) -> set[str]:
    return {str(grammeme) for grammeme in tag.grammemes}


def accepted(forms: dict[str, str], variants: dict[str, list[str]], case: str) -> list[str]:
    """The preferred form of the case first, then the accepted variants with as many words."""
    width = len(forms["nomn"].split(" "))
    found = [forms[case], *variants.get(case, [])]
    return [form for form in dict.fromkeys(found) if len(form.split(" ")) == width]


def word_columns(
    forms: dict[str, str], variants: dict[str, list[str]]
) -> Iterator[dict[str, list[str]]]:
    """Per word (and per hyphen part) of the term: case -> accepted forms, preferred first."""
    table = {case: [form.split(" ") for form in accepted(forms, variants, case)] for case in CASES}
    for index, word in enumerate(forms["nomn"].split(" ")):
        column = {case: [split[index] for split in table[case]] for case in CASES}
        parts = word.count("-")
        same_shape = all(form.count("-") == parts for found in column.values() for form in found)
        if parts and same_shape:
            for part in range(parts + 1):
                yield {
                    case: list(dict.fromkeys(form.split("-")[part] for form in found))
                    for case, found in column.items()
                }
        else:
            yield {case: list(dict.fromkeys(found)) for case, found in column.items()}


def lexeme_table(parse: Any, plural: bool, animate: bool) -> dict[str, set[str]]:
    """Case -> forms of the parse's lexeme in the parse's number (and gender, for adjectives)."""
    nominative = grammemes(parse.tag)
    adjective = parse.tag.POS in ("ADJF", "PRTF", "NUMR")
    gender = next((g for g in ("masc", "femn", "neut") if g in nominative), None)
    table: dict[str, set[str]] = collections.defaultdict(set)
    for form in parse.lexeme:
        tags = grammemes(form.tag)
        if bool(tags & {"plur", "Pltm"}) != plural and "Fixd" not in tags:
            continue
        if not plural and gender and tags & {"masc", "femn", "neut"} and gender not in tags:
            continue  # adjectives, and surname lexemes that hold both genders (Захаров/Захарова)
        if tags & {"Supr", "Cmp2"} and not nominative & {"Supr", "Cmp2"}:
            continue  # белейшая, новейший: other words for a name's purposes
        case = _CASE_OF.get(str(form.tag.case))
        if case:
            table[case].add(_plain(form.word))
    if adjective and (plural or gender == "masc") and table["accs"]:
        # Adjectives list both accusatives; keep the one the entry's animacy takes.
        wanted = table["gent"] if animate else table["nomn"]
        table["accs"] = (table["accs"] & wanted) or table["accs"]
    return table


def candidates(analyzer: Any, word: str, plural: bool) -> list[Any]:
    """Known nominative readings of the word in the entry's number."""
    found = []
    for parse in analyzer.parse(word.lower()):
        tags = grammemes(parse.tag)
        if not parse.is_known or parse.tag.POS not in ("NOUN", "ADJF", "PRTF", "NUMR"):
            continue
        if "nomn" not in tags or bool(tags & {"plur", "Pltm"}) != plural:
            continue
        found.append(parse)
    return found


def judge(analyzer: Any, raw: dict[str, Any], lang: str, column: dict[str, list[str]]) -> Finding:
    word = column["nomn"][0]
    plural = raw.get("gender") == "plural"
    animate = bool(raw.get("animate", raw.get("kind") == "person"))
    fixed = all(found == [word] for found in column.values())
    readings = candidates(analyzer, word, plural)
    if fixed:
        declining = [
            p
            for p in readings
            if "Fixd" not in grammemes(p.tag) and grammemes(p.tag) & {"Surn", "Geox", "Name"}
        ]
        if declining:
            table = lexeme_table(declining[0], plural, animate)
            notes = [f"dictionary declines it ({declining[0].tag}): gent {sorted(table['gent'])}"]
            return Finding(raw["id"], lang, word, "fixed-but-declines", notes)
        return Finding(raw["id"], lang, word, "fixed")
    if not readings:
        return Finding(raw["id"], lang, word, "unknown")
    preferred_tags = _PREFERRED_TAGS.get(raw.get("kind", ""), ())

    def fit(parse: Any) -> tuple[int, int]:
        table = lexeme_table(parse, plural, animate)
        agree = sum(_plain(column[case][0]) in table[case] for case in CASES)
        return agree, int(bool(grammemes(parse.tag) & set(preferred_tags)))

    best = max(readings, key=fit)
    table = lexeme_table(best, plural, animate)
    notes = []
    for case in CASES:
        gold = [_plain(form) for form in column[case]]
        if gold[0] not in table[case]:
            notes.append(f"{case}: gold {column[case][0]} not in dictionary {sorted(table[case])}")
        for other in gold[1:]:
            if other not in table[case]:
                notes.append(f"{case}: variant {other} not in dictionary")
        extra = sorted(table[case] - set(gold))
        if extra:
            notes.append(f"{case}: dictionary also has {extra}")
    verdict = "differs" if notes else "agree"
    return Finding(raw["id"], lang, word, verdict, [f"[{best.tag}]", *notes] if notes else [])


def check(path: Path) -> list[Finding]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = data["entries"] if isinstance(data, dict) else data
    analyzers = {lang: pymorphy3.MorphAnalyzer(lang=lang) for lang in ("uk", "ru")}
    findings = []
    for raw in entries:
        seen: set[tuple[str, str]] = set()  # a surname is checked once, not again as forms_alt
        for lang in ("uk", "ru"):
            variants = raw.get("variants", {}).get(lang, {})
            for block in ("forms", "forms_alt"):
                forms = raw.get(block, {}).get(lang)
                if not forms:
                    continue
                for column in word_columns(forms, variants):
                    key = (lang, repr(column))
                    if key not in seen:
                        seen.add(key)
                        findings.append(judge(analyzers[lang], raw, lang, column))
    return findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, nargs="+")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    args = parser.parse_args()
    for path in args.gold:
        findings = check(path)
        counts = collections.Counter((f.lang, f.verdict) for f in findings)
        print(f"{path}: {len(findings)} word paradigms")
        for (lang, verdict), count in sorted(counts.items()):
            print(f"  {lang} {verdict:18} {count}")
        if args.quiet:
            continue
        for finding in findings:
            if finding.verdict in ("differs", "unknown", "fixed-but-declines"):
                print(f"{finding.entry} {finding.lang} {finding.word}: {finding.verdict}")
                for note in finding.notes:
                    print("    ", note)


if __name__ == "__main__":
    main()
