"""Overload: a real server offered many times its capacity, every call with a short deadline.

First the server's capacity is measured (closed loop: callers always waiting), then callers
arrive open-loop at `--factor` times that rate for `--seconds`, each call with `--deadline`.
Goodput is the sentences answered OK (so within their deadline) per second, as a share of
capacity; refusals must come back at once, with google.rpc.RetryInfo; memory must stay bounded.

    PYTHONPATH=. .venv/bin/python bench/overload.py --seconds 120 --factor 10 --deadline 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random

from bench.load import (
    Record,
    article,
    capacity,
    cpu_seconds,
    open_loop,
    plain_request,
    server_quantile,
    start_demo_server,
    summary_ms,
    timed_translate,
    watch_memory,
)


async def overload(
    port: int, pid: int, rate: float, seconds: float, deadline: float, sentences: int
) -> Record:
    rng = random.Random(11)
    texts = [article(rng, sentences) for _ in range(64)]
    stop = asyncio.Event()
    memory = Record()
    watcher = asyncio.create_task(watch_memory(pid, memory, stop))

    def make_call(index: int):  # type: ignore[no-untyped-def]
        request = plain_request(texts[index % len(texts)])
        return lambda stub: timed_translate(stub, request, deadline)

    record = await open_loop(port, rate, seconds, make_call)
    stop.set()
    await watcher
    record.rss_mb = memory.rss_mb
    return record


def main() -> None:
    # The callers share this machine's cores with the server: they yield to it, so what is
    # measured is the server (the offered load actually reached is reported).
    os.nice(10)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--factor", type=float, default=10, help="offered load / capacity")
    parser.add_argument("--deadline", type=float, default=5, help="client deadline, seconds")
    parser.add_argument("--sentences", type=int, default=6, help="sentences per call")
    parser.add_argument("--capacity-seconds", type=float, default=20)
    args = parser.parse_args()
    server = start_demo_server("overload.log")
    try:
        cap = asyncio.run(capacity(server.port, 32, args.capacity_seconds, args.sentences))
        rate = args.factor * cap / args.sentences
        cpu_before = cpu_seconds(server.process.pid)
        record = asyncio.run(
            overload(
                server.port, server.process.pid, rate, args.seconds, args.deadline, args.sentences
            )
        )
        cpu = cpu_seconds(server.process.pid) - cpu_before
        server_p99 = server_quantile(server.metrics_port, "Translate", "RESOURCE_EXHAUSTED", 0.99)
        # Measured again after the overload, since other load on a shared machine drifts: the
        # share is taken of the mean of both.
        after = asyncio.run(capacity(server.port, 32, args.capacity_seconds, args.sentences))
        print(f"capacity before / after the overload: {cap:.0f} / {after:.0f} sentences/s")
        cap = (cap + after) / 2
    finally:
        code = server.stop()
    report(args, cap, rate, record, cpu, code)
    print(f"\nserver-side handler time of refusals, p99: <= {1000 * server_p99:g} ms (bucket)")


def report(
    args: argparse.Namespace, cap: float, rate: float, record: Record, cpu: float, code: int
) -> None:
    codes = record.codes()
    goodput = record.good_sentences() / args.seconds
    refused = record.latencies("RESOURCE_EXHAUSTED")
    hinted = sum(o.retry_info for o in record.outcomes if o.code == "RESOURCE_EXHAUSTED")
    offered = record.offered * args.sentences / args.seconds
    print(
        f"demo model en→uk, {args.sentences} sentences per call, {args.deadline:g} s deadlines, "
        f"{args.seconds:g} s at {args.factor:g}× capacity; server exit code {code}"
    )
    print("| capacity sent/s | offered sent/s | goodput sent/s | goodput / capacity | calls "
          "| OK | RESOURCE_EXHAUSTED (with RetryInfo) | DEADLINE_EXCEEDED | other |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    other = sum(n for c, n in codes.items() if c not in ("OK", "RESOURCE_EXHAUSTED",
                                                          "DEADLINE_EXCEEDED"))  # fmt: skip
    print(
        f"| {cap:.0f} | {offered:.0f} | {goodput:.0f} | {goodput / cap:.2f} | {record.offered} "
        f"| {codes['OK']} | {codes['RESOURCE_EXHAUSTED']} ({hinted}) "
        f"| {codes['DEADLINE_EXCEEDED']} | {other} |"
    )
    print()
    print("| latency p50 / p99 / max ms | refused | accepted (OK) "
          "| server RSS start / max / end MB | server CPU share |")  # fmt: skip
    print("|---|---|---|---|---|")
    rss = record.rss_mb or [0.0]
    print(
        f"| | {summary_ms(refused)} | {summary_ms(record.latencies('OK'))} "
        f"| {rss[0]:.0f} / {max(rss):.0f} / {rss[-1]:.0f} | {cpu / args.seconds:.2f} cores |"
    )


if __name__ == "__main__":
    main()
