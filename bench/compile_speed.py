"""Compile time and peak memory of the paradigm compiler for a large synthetic glossary.

Builds N distinct entries (towns, regions, people, terms; made-up stems, so nearly every word takes
the unknown-word path and the per-term cache cannot help), then times Compiler() and compile().

    PYTHONPATH=. .venv/bin/python bench/compile_speed.py [--entries 10000]
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from collections.abc import Iterator

from service.glossary.model import Entry, Glossary
from service.glossary.paradigms.compiler import Compiler

_SYLLABLES = ("ба", "ве", "го", "да", "ле", "ми", "но", "ро", "са", "ту", "хо", "че")
_GIVEN = {
    "masculine": (("Олександр", "Александр"), ("Іван", "Иван"), ("Сергій", "Сергей")),
    "feminine": (("Ірина", "Ирина"), ("Олена", "Елена"), ("Марія", "Мария")),
}


def stem(index: int) -> str:
    parts = []
    for _ in range(4):
        index, digit = divmod(index, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
    word = "".join(parts)
    return word[0].upper() + word[1:]


def entries(count: int) -> Iterator[Entry]:
    for index in range(count):
        base = stem(index)
        kind = index % 5
        if kind == 0:
            terms = {"en": (base,), "uk": (base + "ськ",), "ru": (base + "ск",)}
            yield Entry(f"e{index}", "place", terms, gender="masculine", animate=False)
        elif kind == 1:
            terms = {"en": (base,), "uk": (base + "івка",), "ru": (base + "овка",)}
            yield Entry(f"e{index}", "place", terms, gender="feminine", animate=False)
        elif kind == 2:
            uk = (f"{base}ська область", f"{base}щина")
            terms = {"en": (f"{base} region",), "uk": uk, "ru": (f"{base}ская область",)}
            yield Entry(f"e{index}", "place", terms, gender="feminine", animate=False)
        else:
            gender = "masculine" if kind == 3 else "feminine"
            uk_given, ru_given = _GIVEN[gender][index % 3]
            uk_surname = base + ("енко" if gender == "masculine" else "ук")
            ru_surname = base + ("ов" if gender == "masculine" else "ова")
            terms = {
                "en": (base,),
                "uk": (f"{uk_given} {uk_surname}", uk_surname),
                "ru": (f"{ru_given} {ru_surname}", ru_surname),
            }
            yield Entry(f"e{index}", "person", terms, gender=gender, animate=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    args = parser.parse_args()
    glossary = Glossary(id="bench", name="bench", entries=tuple(entries(args.entries)))
    tracemalloc.start()
    started = time.perf_counter()
    compiler = Compiler()
    built = time.perf_counter()
    compiled = compiler.compile(glossary)
    done = time.perf_counter()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    terms = sum(len(terms) for e in glossary.entries for terms in e.terms.values())
    guessed = sum(1 for entry in compiled.entries if entry.warnings)
    print(f"entries {len(compiled.entries)}  terms {terms}  entries with warnings {guessed}")
    print(
        f"Compiler() {built - started:.2f}s  compile() {done - built:.2f}s  "
        f"({(done - built) / len(compiled.entries) * 1000:.2f} ms/entry)"
    )
    print(f"peak traced Python memory {peak / 2**20:.0f} MiB  peak RSS {rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
