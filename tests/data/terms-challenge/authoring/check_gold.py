"""Compare every word of the gold paradigms with pymorphy3's uk/ru dictionaries.

    .venv/bin/python tests/data/terms-challenge/authoring/check_gold.py [--verbose]

For each word position of each uk/ru term, the nominative word is looked up in the dictionary
(dictionary parses only, never the unknown-word guesser). When the dictionary knows it, every
case form the gold lists for that word must be one the dictionary gives for that case in some
matching lexeme (same part of speech, number, and gender for adjectives); the rest are listed
for review by hand. Words the dictionary does not know are listed too.
"""

from __future__ import annotations

import argparse
import collections
from typing import Any

import pymorphy3
from build import load_entries  # type: ignore[import-not-found]

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
CASE_OF = {"gen2": "gent", "acc2": "accs", "loc2": "loct", "gen1": "gent", "loc1": "loct"}
GENDER = {"masculine": "masc", "feminine": "femn", "neuter": "neut"}


def known_parses(morph: Any, word: str) -> list[Any]:
    return [
        parse
        for parse in morph.parse(word)
        if any(type(step[0]).__name__ == "DictionaryAnalyzer" for step in parse.methods_stack)
    ]


def dictionary_cases(parse: Any, plural: bool, gender: str | None) -> dict[str, set[str]]:
    table: dict[str, set[str]] = collections.defaultdict(set)
    for form in parse.lexeme:
        case = CASE_OF.get(str(form.tag.case), str(form.tag.case))
        if case not in CASES:
            continue
        number = form.tag.number
        if plural != (number == "plur" or "Pltm" in form.tag):
            continue
        if form.tag.POS in ("ADJF", "PRTF") and not plural and gender and form.tag.gender != gender:
            continue
        table[case].add(form.word)
    return table


def lexemes(morph: Any, nominative: str, plural: bool, gender: str | None) -> list[Any]:
    found = []
    for parse in known_parses(morph, nominative.lower()):
        if parse.tag.case != "nomn" or parse.tag.POS not in ("NOUN", "ADJF", "PRTF"):
            continue
        table = dictionary_cases(parse, plural, gender)
        if nominative.lower() in table.get("nomn", set()):
            found.append(table)
    return found


def word_rows(entry: dict[str, Any], lang: str, key: str) -> list[list[str]]:
    """Per word position of the preferred (or short) term, the words it takes per case."""
    forms = (entry.get(key) or {}).get(lang)
    if not forms:
        return []
    return [forms[case].replace("-", " ").split() for case in CASES]


def review(entries: list[dict[str, Any]], verbose: bool) -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter()
    morphs = {lang: pymorphy3.MorphAnalyzer(lang=lang) for lang in ("uk", "ru")}
    for entry in entries:
        plural = entry["gender"] == "plural"
        gender = GENDER.get(entry["gender"])
        for lang in ("uk", "ru"):
            extra = (entry.get("variants") or {}).get(lang, {})
            for key in ("forms", "forms_alt"):
                rows = word_rows(entry, lang, key)
                if not rows or len({len(row) for row in rows}) != 1:
                    continue
                for position in range(len(rows[0])):
                    check_word(entry, lang, key, rows, position, extra, morphs[lang], plural,
                               gender, counts, verbose)  # fmt: skip
    return counts


def check_word(
    entry: dict[str, Any],
    lang: str,
    key: str,
    rows: list[list[str]],
    position: int,
    extra: dict[str, list[str]],
    morph: Any,
    plural: bool,
    gender: str | None,
    counts: collections.Counter[str],
    verbose: bool,
) -> None:
    nominative = rows[0][position]
    if len({row[position] for row in rows}) == 1:
        # Indeclinable by the entry's own rule (a woman's surname, an abbreviation, a fixed
        # genitive complement): the dictionary would decline a homonym, so it is not asked.
        counts["fixed"] += 6
        return
    tables = lexemes(morph, nominative, plural, gender)
    if not tables:
        counts["unknown"] += 6
        if verbose:
            print(f"UNKNOWN {entry['id']} {lang} {key} word {nominative}")
        return
    for index, case in enumerate(CASES):
        words = {rows[index][position].lower()}
        for variant in extra.get(case, []):
            parts = variant.replace("-", " ").split()
            if len(parts) == len(rows[0]):
                words.add(parts[position].lower())
        for word in sorted(words):
            if any(word in table.get(case, set()) for table in tables):
                counts["agree"] += 1
            else:
                counts["disagree"] += 1
                offered = sorted(set().union(*(table.get(case, set()) for table in tables)))
                print(f"DISAGREE {entry['id']} {lang} {key} {case}: {word} (dictionary: {offered})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="also list unknown words")
    args = parser.parse_args()
    counts = review(load_entries(), args.verbose)
    print(dict(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
