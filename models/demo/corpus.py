"""Deterministic generator of parallel en/uk/ru news sentences for training the demo model.

Run `python models/demo/corpus.py --help`. Every sentence comes from a hand-written template whose
slots (people, places, units, countries, numbers) carry the uk/ru case form the template's grammar
needs: preposition government ("у Курській області", "до Суджі", ru "в Судже"), gendered past-tense
verbs ("заявила"), the Ukrainian у/в and з/зі and the Russian в/во and с/со alternations. A held-out
list of real and invented names never appears in training; it feeds evaluation and glossary tests.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# The corpus is test data, not secrets: seeded `random` is exactly what reproducibility needs.
# ruff: noqa: S311, N812
if __package__:
    from . import names as N
    from .templates import TEMPLATES, Template
else:  # run as a script: python models/demo/corpus.py
    import names as N  # type: ignore[no-redef]
    from templates import TEMPLATES, Template  # type: ignore[no-redef]

LANGS = ("en", "uk", "ru")
CASE_INDEX = {"nom": N.NOM, "gen": N.GEN, "dat": N.DAT, "acc": N.ACC, "ins": N.INS, "loc": N.LOC}
_VOWELS = set("аеєиіїоуюяыэё")
_SUBJECTS = [
    ("Ukrainian troops", "Українські війська", "Украинские войска"),
    ("Russian troops", "Російські війська", "Российские войска"),
    ("Ukrainian forces", "Українські сили", "Украинские силы"),
    ("Russian forces", "Російські сили", "Российские силы"),
]
INVENTED_STEMS = 900
HELD_OUT_SHARE = 0.12


@dataclass(frozen=True)
class Pools:
    """The names one split may use."""

    people: list[N.Person]
    cities: list[N.Place]
    regions: list[N.Place]
    countries: list[N.Place]
    units: list[N.Unit]


def build_pools(seed: int) -> tuple[Pools, Pools]:
    """(training pools, held-out pools): invented stems split by seed, real held-out names added."""
    rng = random.Random(seed)
    stems: dict[str, tuple[str, str]] = {}
    while len(stems) < INVENTED_STEMS:
        stem = N.invented_stem(rng)
        stems.setdefault(stem[0], stem)
    ordered = list(stems.values())
    cut = int(len(ordered) * (1 - HELD_OUT_SHARE))

    def invent(part: list[tuple[str, str]]) -> tuple[list[N.Person], list[N.Place], list[N.Place]]:
        people, cities, regions = [], [], []
        for i, stem in enumerate(part):
            kind = i % 3
            if kind == 0:
                people.append(N.invented_person(stem, rng, female=rng.random() < 0.4))
            elif kind == 1:
                cities.append(N.invented_place(stem, rng.randrange(5)))
            else:
                place = N.invented_place(stem, rng.randrange(6))
                (regions if place.en.endswith(" region") else cities).append(place)
        return people, cities, regions

    train_people, train_cities, train_regions = invent(ordered[:cut])
    held_people, held_cities, held_regions = invent(ordered[cut:])
    train = Pools(
        N.real_people() + train_people,
        N.real_cities() + train_cities,
        N.real_regions() + train_regions,
        N.countries(),
        N.units(),
    )
    held = Pools(
        N.held_out_real_people() + held_people,
        N.held_out_real_cities() + held_cities,
        N.held_out_real_regions() + held_regions,
        N.countries(),
        N.units(),
    )
    return train, held


def _count(rng: random.Random) -> int:
    """A count that takes the genitive plural in uk and ru (5-20, 25-30, 35-40, ...)."""
    while True:
        n = rng.randint(5, 60)
        if n % 10 in (0, 5, 6, 7, 8, 9) or 10 <= n % 100 <= 20:
            return n


def _uk_in(prev: str, word: str) -> str:
    """Ukrainian у/в: в before a vowel or after a vowel, у between consonants and before в/ф."""
    w = word.lower()
    if w[0] in _VOWELS:
        return "в"
    if w[0] in "вфхґ" or w.startswith(("льв", "св", "тв", "зв")):
        return "у"
    return "в" if prev and prev[-1].lower() in _VOWELS else "у"


def _uk_from(word: str) -> str:
    """Ukrainian з/зі: зі before a sibilant followed by a consonant (зі Львова, зі Збручан)."""
    w = word.lower()
    if (w[0] in "зсцчшщж" and len(w) > 1 and w[1] not in _VOWELS) or w.startswith("льв"):
        return "зі"
    return "з"


def _ru_in(word: str) -> str:
    """Russian в/во: во before в/ф + consonant and before Льв- (во Львове)."""
    w = word.lower()
    if (w[0] in "вф" and len(w) > 1 and w[1] not in _VOWELS) or w.startswith("льв"):
        return "во"
    return "в"


def _ru_with(word: str) -> str:
    """Russian с/со: со before с/з/ш/ж/щ + consonant and before мн-/льв-."""
    w = word.lower()
    if (w[0] in "сзшжщ" and len(w) > 1 and w[1] not in _VOWELS) or w.startswith(("мн", "льв")):
        return "со"
    return "с"


_SLOT = re.compile(r"\{(?:(\w+):)?([a-z])((?:\.\w+)*)(?:\|([^}]*))?\}")


def render(text: str, lang: str, slots: dict[str, object]) -> str:
    """Fill one template string; see templates.py for the placeholder syntax."""
    out: list[str] = []
    pos = 0
    for m in _SLOT.finditer(text):
        out.append(text[pos : m.start()])
        prep, name, path, choices = m.group(1), m.group(2), m.group(3), m.group(4)
        value = slots[name]
        if choices is not None:  # {p|заявив|заявила}: gender agreement with person p
            male, female = choices.split("|")
            word = female if getattr(value, "female", False) else male
        else:
            word = _form(value, lang, path)
        if prep:
            before = "".join(out).rstrip().split(" ")[-1]
            word = f"{_preposition(prep, before, word)} {word}"
        out.append(word)
        pos = m.end()
    out.append(text[pos:])
    sentence = "".join(out)
    return sentence[0].upper() + sentence[1:]


def _preposition(prep: str, before: str, word: str) -> str:
    if prep == "в_uk":
        return _uk_in(before, word)
    if prep == "з_uk":
        return _uk_from(word)
    if prep == "в_ru":
        return _ru_in(word)
    if prep == "с_ru":
        return _ru_with(word)
    raise ValueError(f"unknown preposition marker {prep!r}")


def _form(value: object, lang: str, path: str) -> str:
    parts = [p for p in path.split(".") if p]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):  # a subject phrase (en, uk, ru)
        return str(value[LANGS.index(lang)])
    surname = "sur" in parts
    if lang == "en":
        return str(value.en_surname if surname else value.en)  # type: ignore[attr-defined]
    case = next((CASE_INDEX[p] for p in parts if p in CASE_INDEX), N.NOM)
    attr = f"{lang}_surname" if surname else lang
    forms: N.Forms = getattr(value, attr)
    return forms[case]


def fill(template: Template, pools: Pools, rng: random.Random) -> tuple[str, str, str]:
    """One (en, uk, ru) sentence from a template with random slots."""
    p, q = rng.sample(pools.people, 2)
    slots: dict[str, object] = {
        "p": p,
        "q": q,
        "c": rng.choice(pools.cities),
        "r": rng.choice(pools.regions),
        "k": rng.choice(pools.countries),
        "u": rng.choice(pools.units),
        "s": rng.choice(_SUBJECTS),
        "n": rng.randint(1, 30),
        "m": _count(rng),
    }
    return (
        render(template.en, "en", slots),
        render(template.uk, "uk", slots),
        render(template.ru, "ru", slots),
    )


def generate(pools: Pools, count: int, seed: int) -> Iterator[tuple[str, str, str]]:
    """`count` sentences, deterministic for a given seed."""
    rng = random.Random(seed)
    for _ in range(count):
        yield fill(rng.choice(TEMPLATES), pools, rng)


def write_splits(out: Path, seed: int, train_size: int, eval_size: int) -> dict[str, int]:
    """Write train.tsv, heldout_seen.tsv (unseen combinations of seen names), heldout_unseen.tsv."""
    train_pools, held_pools = build_pools(seed)
    out.mkdir(parents=True, exist_ok=True)
    train = list(dict.fromkeys(generate(train_pools, train_size, seed + 1)))
    seen_en = {row[0] for row in train}
    seen_eval = list(dict.fromkeys(generate(train_pools, eval_size * 3, seed + 2)))
    seen_eval = [r for r in seen_eval if r[0] not in seen_en][:eval_size]
    unseen_eval = list(dict.fromkeys(generate(held_pools, eval_size, seed + 3)))
    sizes = {}
    for name, rows in (
        ("train", train),
        ("heldout_seen", seen_eval),
        ("heldout_unseen", unseen_eval),
    ):
        with (out / f"{name}.tsv").open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter="\t", lineterminator="\n").writerows(rows)
        sizes[name] = len(rows)
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--seed", type=int, default=20250101, help="corpus seed (default: %(default)s)"
    )
    parser.add_argument("--train-size", type=int, default=300_000, help="training sentences")
    parser.add_argument("--eval-size", type=int, default=600, help="sentences per held-out set")
    parser.add_argument("--out", type=Path, required=True, help="output folder for the .tsv files")
    args = parser.parse_args()
    sizes = write_splits(args.out, args.seed, args.train_size, args.eval_size)
    print(" ".join(f"{k}={v}" for k, v in sizes.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
