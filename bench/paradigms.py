"""External check of the paradigm compiler: on pymorphy3's dictionary paradigms, or on a gold file.

Dictionary mode (the default) picks toponyms (ru: tagged Geox; uk: the same names as ru Geox
lemmas that the uk dictionary knows as inanimate nouns, spelled alike or with -ськ/-цьк for
-ск/-цк) and person surnames (tagged Surn), hides each word from the compiler so that it takes the
unknown-word path, compiles it from the metadata a glossary would carry (kind, gender, animacy),
and compares every generated case form with the forms the dictionary lists for that case. Words
are sampled from two-letter prefixes in a seeded order.

    PYTHONPATH=. .venv/bin/python bench/paradigms.py [--places 400] [--surnames 150] [--seed 7]

Gold mode (`--gold FILE`, repeatable) scores hand-checked paradigms instead; see paradigm_gold.py.

    PYTHONPATH=. .venv/bin/python bench/paradigms.py --gold FILE [--gold FILE] [--verbose] [--json]
"""

from __future__ import annotations

import argparse
import collections
import itertools
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymorphy3
from paradigm_gold import run_gold  # bench/ is the script's folder, so first on sys.path

from service.glossary.model import CASES, Entry
from service.glossary.paradigms.compiler import Compiler

_LETTERS = {"ru": "абвгдежзиклмнопрстуфхцчшэюя", "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшюя"}
_GENDERS = {"masc": "masculine", "femn": "feminine", "neut": "neuter"}


@dataclass(frozen=True)
class Sample:
    """One dictionary word with its metadata and its case forms according to the dictionary."""

    lang: str
    kind: str
    word: str
    gender: str
    expected: dict[str, frozenset[str]]


def grammemes(tag: Any) -> set[str]:
    return {str(grammeme) for grammeme in tag.grammemes}


def expected_forms(parse: Any, plural: bool) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = collections.defaultdict(set)
    for form in parse.lexeme:
        tags = grammemes(form.tag)
        if bool(tags & {"plur", "Pltm"}) == plural and str(form.tag.case) in CASES:
            table[str(form.tag.case)].add(form.word)
    return {case: frozenset(table[case]) for case in CASES}


def lemmas(analyzer: Any, lang: str, rng: random.Random, wanted: str) -> Iterator[tuple[str, Any]]:
    """Nominative lemmas carrying grammeme `wanted`, prefix by prefix in a seeded order."""
    prefixes = ["".join(pair) for pair in itertools.product(_LETTERS[lang], repeat=2)]
    rng.shuffle(prefixes)
    for prefix in prefixes:
        for word, tag, normal, _para, _index in analyzer.iter_known_word_parses(prefix):
            tags = grammemes(tag)
            if word == normal and tag.POS == "NOUN" and "nomn" in tags and wanted in tags:
                yield word, tag


def metadata(tag: Any) -> str | None:
    tags = grammemes(tag)
    if tags & {"plur", "Pltm"}:
        return "plural"
    return next((_GENDERS[g] for g in _GENDERS if g in tags), None)


def pick_places(ru: Any, uk: Any, count: int, rng: random.Random) -> list[Sample]:
    ru_samples: list[Sample] = []
    uk_samples: list[Sample] = []
    seen: set[str] = set()
    for word, tag in lemmas(ru, "ru", rng, "Geox"):
        gender = metadata(tag)
        if (
            word in seen
            or gender is None
            or "Fixd" in grammemes(tag)
            or len(word) < 4
            or "-" in word
        ):
            continue
        seen.add(word)
        if len(ru_samples) < count:
            ru_parse = next(p for p in ru.parse(word) if p.tag == tag)
            expected = expected_forms(ru_parse, gender == "plural")
            ru_samples.append(Sample("ru", "place", word, gender, expected))
        uk_word = word.replace("ё", "е").removesuffix("ск") + "ськ" if word.endswith("ск") else word
        uk_word = uk_word.removesuffix("цк") + "цьк" if uk_word.endswith("цк") else uk_word
        for parse in uk.parse(uk_word):
            tags = grammemes(parse.tag)
            uk_gender = metadata(parse.tag)
            if (
                parse.is_known
                and parse.normal_form == uk_word
                and "nomn" in tags
                and parse.tag.POS == "NOUN"
                and "inan" in tags
                and uk_gender == gender
                and "Fixd" not in tags
                and len(uk_samples) < count
            ):
                expected = expected_forms(parse, gender == "plural")
                uk_samples.append(Sample("uk", "place", uk_word, gender, expected))
                break
        if len(ru_samples) >= count and len(uk_samples) >= count:
            break
    return ru_samples + uk_samples


def pick_surnames(analyzer: Any, lang: str, count: int, rng: random.Random) -> list[Sample]:
    samples: dict[tuple[str, str], Sample] = {}
    for word, tag in lemmas(analyzer, lang, rng, "Surn"):
        gender = metadata(tag)
        if gender not in ("masculine", "feminine") or "-" in word or (word, gender) in samples:
            continue
        parse = next(p for p in analyzer.parse(word) if p.tag == tag)
        expected = expected_forms(parse, plural=False)
        samples[(word, gender)] = Sample(lang, "person", word.capitalize(), gender, expected)
        if len(samples) >= count:
            break
    return list(samples.values())


def score(samples: list[Sample]) -> None:
    hidden = frozenset(sample.word.lower() for sample in samples)
    compiler = Compiler(hidden=hidden.__contains__)
    hits: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    misses: list[str] = []
    started = time.perf_counter()
    for index, sample in enumerate(samples):
        term = sample.word.capitalize() if sample.kind == "person" else sample.word
        entry = Entry(
            id=f"w{index}",
            kind=sample.kind,
            terms={sample.lang: (term,)},
            gender=sample.gender,
            animate=sample.kind == "person",
        )
        paradigm = compiler.compile_entry(entry).languages[sample.lang].preferred
        for case in CASES:
            got = paradigm.forms[case].lower()
            ok = got in sample.expected[case]
            hits[(sample.lang, sample.kind)]["ok" if ok else "bad"] += 1
            hits[(sample.lang, sample.kind)][f"{case}:{'ok' if ok else 'bad'}"] += 1
            if not ok:
                misses.append(
                    f"{sample.lang} {sample.kind} {sample.gender} {sample.word} {case}: "
                    f"{got} not in {sorted(sample.expected[case])}"
                )
    elapsed = time.perf_counter() - started
    for (lang, kind), counter in sorted(hits.items()):
        total = counter["ok"] + counter["bad"]
        words = total // len(CASES)
        per_case = " ".join(
            f"{case} {counter[f'{case}:ok'] / (words or 1):.1%}" for case in CASES[1:]
        )
        print(
            f"{lang} {kind:6} {words:4} words {total:5} forms  accuracy "
            f"{counter['ok'] / total:.2%}  ({per_case})"
        )
    print(f"compiled {len(samples)} words in {elapsed:.1f}s; first misses:")
    for line in misses[:40]:
        print("  ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=400)
    parser.add_argument("--surnames", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--gold", type=Path, action="append", help="score a gold file instead")
    parser.add_argument("--verbose", action="store_true", help="gold mode: list every wrong form")
    parser.add_argument("--json", action="store_true", help="gold mode: print the figures as JSON")
    args = parser.parse_args()
    if args.gold:
        run_gold(args.gold, args.verbose, args.json)
        return
    ru = pymorphy3.MorphAnalyzer(lang="ru")
    uk = pymorphy3.MorphAnalyzer(lang="uk")
    samples = pick_places(ru, uk, args.places, random.Random(args.seed))
    samples += pick_surnames(uk, "uk", args.surnames, random.Random(args.seed))
    samples += pick_surnames(ru, "ru", args.surnames, random.Random(args.seed))
    score(samples)


if __name__ == "__main__":
    main()
