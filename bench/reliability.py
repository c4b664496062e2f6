"""Reliability report (issue 13): fuzzed requests and glossary files, overload, SIGTERM, access.

    PYTHONPATH=. .venv/bin/python bench/reliability.py --requests 100000 --files 100000

1. Fuzzed requests: tests/test_fuzz_rpcs.py (every rpc's fields and raw wire bytes) with the long
   profile, aimed at a real `tlumach serve` on the fixture models: 0 INTERNAL, 0 crashes.
2. Fuzzed glossary files: its CheckGlossary test (YAML, CSV, TSV, TBX, TMX; bombs, deep and wide
   trees, huge fields, wrong encodings) against another server: the same.
3. Deadlines: bursts of calls with short deadlines; what the callers saw beside what the server
   counted (a deadline that passes is DEADLINE_EXCEEDED on both sides, never CANCELLED).
4. Overload: bench/overload.py's open-loop callers at `--factor` x measured capacity for
   `--overload-seconds`: no crash, RSS, refusals answered at once with RetryInfo, and the codes
   the server counted beside the ones the callers saw (deadlines are DEADLINE_EXCEEDED).
5. SIGTERM with `--in-flight` calls in flight, `--rounds` times: every call ends OK.
6. Access on (mutual TLS and bearer tokens): no rpc succeeds without both.

Parts run in that order (`--parts` picks some); each prints its table as it finishes.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
from collections import Counter

from bench.load import capacity, cpu_seconds, server_quantile, start_demo_server, summary_ms
from bench.overload import overload
from bench.reliability_parts import (
    FAULTS,
    FuzzRun,
    access_matrix,
    deadline_burst,
    drain_round,
    run_fuzz,
    server_codes,
)

REQUEST_TESTS = {  # test -> its share of the profile's examples (tests/test_fuzz_rpcs.py)
    "test_translate": 1.0,
    "test_translate_stream": 0.5,
    "test_detect_language": 0.5,
    "test_get_glossary": 0.5,
    "test_raw_bytes_on_the_wire": 1.0,
}
PARTS = ("requests", "files", "deadlines", "overload", "sigterm", "access")


def fuzz_report(title: str, run: FuzzRun) -> None:
    print(f"\n### {title}\n")
    print(f"{run.calls()} calls in {run.seconds / 60:.1f} min; pytest exit {run.pytest_code}; "
          f"server alive after: {run.alive}, exit code {run.exit_code}; "
          f"server RSS {run.rss_mb[0]:.0f} -> {run.rss_mb[1]:.0f} MB")  # fmt: skip
    internal = sum(n for key, n in run.server.items() if key.split()[-1] in FAULTS)
    print(f"INTERNAL/UNKNOWN/DATA_LOSS counted by the server: {internal:.0f} {run.faults or ''}")
    print("\n| rpc | calls | answers seen by the fuzzer |\n|---|---|---|")
    rpcs = sorted({key.split()[0] for key in run.tally})
    for rpc in rpcs:
        codes = {k.split()[-1]: n for k, n in run.tally.items() if k.startswith(f"{rpc} ")
                 and len(k.split()) == 2}  # fmt: skip
        shown = ", ".join(f"{code} {n}" for code, n in sorted(codes.items(), key=lambda x: -x[1]))
        print(f"| {rpc} | {sum(codes.values())} | {shown} |")
    items = {k.split()[-1]: n for k, n in run.tally.items() if k.startswith("TranslateStream item")
             and len(k.split()) == 3}  # fmt: skip
    if items:
        print(
            f"| (stream items) | {sum(items.values())} | "
            + ", ".join(f"{c} {n}" for c, n in sorted(items.items(), key=lambda x: -x[1]))
            + " |"
        )
    fields = Counter({k: n for k, n in run.tally.items() if len(k.split()) == 3
                      and "item" not in k})  # fmt: skip
    top = ", ".join(f"{k.split()[0]} {k.split()[2]} {n}" for k, n in fields.most_common(8))
    print(f"\nmost refused fields: {top}")


def overload_report(args: argparse.Namespace) -> None:
    server = start_demo_server("reliability-overload.log")
    try:
        cap = asyncio.run(capacity(server.port, 32, 20, 6))
        rate = args.factor * cap / 6
        cpu = cpu_seconds(server.process.pid)
        before = server_codes(server.metrics_port)  # the capacity calls are not the overload's
        record = asyncio.run(
            overload(server.port, server.process.pid, rate, args.overload_seconds, 5.0, 6)
        )
        cpu = cpu_seconds(server.process.pid) - cpu
        alive = server.process.poll() is None
        counted = server_codes(server.metrics_port) - before
        refused_p99 = server_quantile(server.metrics_port, "Translate", "RESOURCE_EXHAUSTED", 0.99)
    finally:
        code = server.stop()
    codes = record.codes()
    refused = record.latencies("RESOURCE_EXHAUSTED")
    hinted = sum(o.retry_info for o in record.outcomes if o.code == "RESOURCE_EXHAUSTED")
    rss = record.rss_mb or [0.0]
    print(f"\n### Overload: {args.factor:g}x capacity ({cap:.0f} sentences/s) for "
          f"{args.overload_seconds:g} s, 6 sentences and a 5 s deadline per call\n")  # fmt: skip
    print(
        f"server alive at the end: {alive}, exit code {code}; calls {record.offered}; "
        f"server CPU {cpu / args.overload_seconds:.2f} cores"
    )
    print("\n| | OK | RESOURCE_EXHAUSTED | DEADLINE_EXCEEDED | CANCELLED | other |")
    print("|---|---|---|---|---|---|")
    for who, seen in (("callers saw", codes), ("server counted", _translate_codes(counted))):
        other = sum(n for c, n in seen.items() if c not in
                    ("OK", "RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED", "CANCELLED"))  # fmt: skip
        print(
            f"| {who} | {seen['OK']:.0f} | {seen['RESOURCE_EXHAUSTED']:.0f} "
            f"| {seen['DEADLINE_EXCEEDED']:.0f} | {seen['CANCELLED']:.0f} | {other:.0f} |"
        )
    print(
        f"\nrefusals: {len(refused)}, with RetryInfo {hinted}; caller-side latency p50 / p99 / "
        f"max {summary_ms(refused)} ms; server-side p99 <= {1000 * refused_p99:g} ms (bucket)"
    )
    print(
        f"server RSS start / max / end: {rss[0]:.0f} / {max(rss):.0f} / {rss[-1]:.0f} MB "
        f"({len(rss)} samples, one a second)"
    )


def _translate_codes(counted: Counter[str]) -> Counter[str]:
    return Counter({k.split()[1]: n for k, n in counted.items() if k.startswith("Translate ")})


def deadlines_report() -> None:
    print("\n### Deadlines: waves of calls with 0.05-1.5 s deadlines at a fresh server\n")
    print("| rpc | calls | callers saw | server counted |\n|---|---|---|---|")
    for rpc, calls, waves in (("Translate", 60, 6), ("DetectLanguage", 20, 4)):
        seen, counted = asyncio.run(deadline_burst(rpc, calls, waves))
        shown = [", ".join(f"{c} {n:.0f}" for c, n in sorted(x.items())) for x in (seen, counted)]
        print(f"| {rpc} | {calls * waves} | {shown[0]} | {shown[1]} |")


def sigterm_report(args: argparse.Namespace) -> None:
    print(f"\n### SIGTERM with {args.in_flight} calls in flight, {args.rounds} rounds\n")
    print("| round | in flight at SIGTERM | outcomes | lost | exit code | SIGTERM to exit s |")
    print("|---|---|---|---|---|---|")
    for number in range(1, args.rounds + 1):
        found = asyncio.run(drain_round(args.in_flight, 6))
        lost = sum(n for code, n in found.outcomes.items() if code != "OK")
        shown = ", ".join(f"{c} {n}" for c, n in found.outcomes.items())
        print(f"| {number} | {found.in_flight} | {shown} | {lost} | {found.exit_code} "
              f"| {found.drain_s:.1f} |")  # fmt: skip


def access_report(args: argparse.Namespace) -> None:
    found = asyncio.run(access_matrix(args.attempts))
    print(f"\n### Access on (mutual TLS + bearer tokens): every rpc, {args.attempts} calls each\n")
    print("| credentials | calls | successes | answers |\n|---|---|---|---|")
    for name, outcomes in found.items():
        shown = ", ".join(f"{c} {n}" for c, n in outcomes.most_common())
        print(f"| {name} | {sum(outcomes.values())} | {outcomes['OK']} | {shown} |")


def main() -> None:
    os.nice(10)  # the callers and the fuzzer yield to the server on this shared machine
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default=",".join(PARTS), help=f"some of {','.join(PARTS)}")
    parser.add_argument("--requests", type=int, default=100_000, help="fuzzed calls, at least")
    parser.add_argument("--files", type=int, default=100_000, help="fuzzed glossary files")
    parser.add_argument("--factor", type=float, default=10)
    parser.add_argument("--overload-seconds", type=float, default=300)
    parser.add_argument("--in-flight", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--attempts", type=int, default=20, help="calls per rpc and credential")
    args = parser.parse_args()
    parts = args.parts.split(",")
    if "requests" in parts:
        # Each test runs examples x its share; every example is one call (stream items apart).
        examples = math.ceil(args.requests / sum(REQUEST_TESTS.values()))
        fuzz_report("Fuzzed requests", run_fuzz(list(REQUEST_TESTS), examples, "fuzz-requests"))
    if "files" in parts:
        fuzz_report("Fuzzed glossary files", run_fuzz(["test_check_glossary"], args.files,
                                                       "fuzz-files"))  # fmt: skip
    if "deadlines" in parts:
        deadlines_report()
    if "overload" in parts:
        overload_report(args)
    if "sigterm" in parts:
        sigterm_report(args)
    if "access" in parts:
        access_report(args)


if __name__ == "__main__":
    main()
