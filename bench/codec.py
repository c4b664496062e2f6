"""What encoding a Translate answer costs: the typed codec beside the asdict/ParseDict path it
replaced, on the same results, alternating in one run.

    PYTHONPATH=. .venv/bin/python bench/codec.py [--results 16] [--terms 3] [--rounds 2000]

The old path (`dataclasses.asdict` of each result, outcome names swapped for enum values, then
`json_format.ParseDict`) is rebuilt here as it stood in the servicer, so both run on one machine
at one moment; ratios count, absolute times are noisy on a shared box.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from collections.abc import Callable, Sequence

from google.protobuf import json_format

from service.edge import codec
from service.edge.enums import OUTCOME_TO_PB
from service.glossary.enforcement.report import TermReport
from service.pb import translation_pb2 as pb
from service.translation.request import TranslationResult
from service.vocab import TERM_OUTCOMES


def results(count: int, terms: int) -> list[TranslationResult]:
    """`count` results of a sentence each, with `terms` term reports each."""
    reports = tuple(
        TermReport(
            entry_id=f"entry{i}",
            glossary_id="news-ua",
            source_text="Sudzha",
            source_start=10 * i,
            source_end=10 * i + 6,
            target_text="Суджі",
            grammatical_case="loct",
            outcome=TERM_OUTCOMES[i % len(TERM_OUTCOMES)],
            method="preposition",
            original_text="Судже" if i % 2 else "",
        )
        for i in range(terms)
    )
    return [
        TranslationResult(
            text="Українські війська просунулися на 2 км у Курській області біля Суджі.",
            source_language="en",
            source_confidence=0.97,
            route="en-uk",
            terms=reports,
            warnings=("sentence 1 may not be in uk",) if n % 5 == 0 else (),
        )
        for n in range(count)
    ]


def old_encode(found: Sequence[TranslationResult], request_id: str) -> pb.TranslateResponse:
    """The servicer's encoding before the codec: asdict, then ParseDict."""
    encoded = []
    for result in found:
        view = dataclasses.asdict(result)
        for term in view["terms"]:
            term["outcome"] = OUTCOME_TO_PB.get(term["outcome"], pb.TERM_OUTCOME_UNSPECIFIED)
        encoded.append(json_format.ParseDict(view, pb.TranslationResult()))
    return pb.TranslateResponse(results=encoded, request_id=request_id)


def timed(encode: Callable[[], pb.TranslateResponse], rounds: int) -> list[float]:
    """Microseconds per call, one sample per call."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        encode()
        samples.append((time.perf_counter() - started) * 1e6)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=16, help="texts per response")
    parser.add_argument("--terms", type=int, default=3, help="term reports per text")
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    found = results(args.results, args.terms)
    new, old = codec.translate_response(found, "r"), old_encode(found, "r")
    assert new == old, "the two paths must build the same message"
    samples: dict[str, list[float]] = {"asdict + ParseDict": [], "codec": []}
    for _ in range(10):  # alternate in slices so that load on the box hits both alike
        samples["asdict + ParseDict"] += timed(lambda: old_encode(found, "r"), args.rounds // 10)
        samples["codec"] += timed(lambda: codec.translate_response(found, "r"), args.rounds // 10)
    print(f"TranslateResponse of {args.results} results x {args.terms} terms, {args.rounds} calls")
    print("| path | p50 µs | p95 µs | ratio p50 |")
    print("|---|---|---|---|")
    base = statistics.median(samples["asdict + ParseDict"])
    for name, values in samples.items():
        p50 = statistics.median(values)
        p95 = statistics.quantiles(values, n=20)[-1]
        print(f"| {name} | {p50:.0f} | {p95:.0f} | {p50 / base:.2f} |")


if __name__ == "__main__":
    main()
