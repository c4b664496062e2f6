"""Soak: mixed traffic at a multiple of capacity for minutes; no call may hang, memory must hold.

Calls arrive open-loop, a mix of plain Translate, Translate with the shipped glossary, with
inline entries, TranslateStream, DetectLanguage and calls the caller cancels part way. Every
call has a deadline; a call that has not ended `--slack` seconds after its deadline is hung.

    PYTHONPATH=. .venv/bin/python bench/soak.py --minutes 10 --factor 2
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable

import grpc

from bench.load import (
    Outcome,
    Record,
    article,
    capacity,
    open_loop,
    percentile,
    start_demo_server,
    timed_translate,
    watch_memory,
)
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc

DEADLINE_S = 10.0
KINDS = ("plain", "glossary", "inline", "stream", "detect", "cancel")
WEIGHTS = (35, 25, 10, 10, 10, 10)


def _entry(entry_id: str, en: str, uk: str, ru: str) -> pb.InlineGlossaryEntry:
    terms = {"en": en, "uk": uk, "ru": ru}
    return pb.InlineGlossaryEntry(
        id=entry_id,
        kind="place",
        gender="masculine",
        terms={lang: pb.TermList(terms=[term]) for lang, term in terms.items()},
    )


INLINE = (
    _entry("kramatorsk", "Kramatorsk", "Краматорськ", "Краматорск"),
    _entry("zhytomyr", "Zhytomyr", "Житомир", "Житомир"),
)


def _request(text: str, target: str, kind: str) -> pb.TranslateRequest:
    request = pb.TranslateRequest(texts=[text], source_language="en", target_language=target)
    if kind in ("glossary", "inline"):
        request.glossary_ids.append("news-ua")
        request.options.return_term_report = True
    if kind == "inline":
        request.inline_entries.extend(INLINE)
    return request


async def _stream(stub: pb_grpc.TranslationServiceStub, texts: list[str]) -> Outcome:
    started = time.perf_counter()
    items = [
        pb.TranslateStreamRequest(item_id=str(i), request=_request(t, "uk", "plain"))
        for i, t in enumerate(texts)
    ]
    try:
        call = stub.TranslateStream(iter(items), timeout=DEADLINE_S)
        codes = [response.status_code async for response in call]
    except grpc.aio.AioRpcError as exc:
        return Outcome(exc.code().name, time.perf_counter() - started, len(texts))
    code = "OK" if len(codes) == len(texts) and not any(codes) else "ITEM_FAILED"
    if all(c == grpc.StatusCode.RESOURCE_EXHAUSTED.value[0] for c in codes):
        code = "RESOURCE_EXHAUSTED"
    return Outcome(code, time.perf_counter() - started, len(texts))


async def _detect(stub: pb_grpc.TranslationServiceStub, text: str) -> Outcome:
    started = time.perf_counter()
    try:
        await stub.DetectLanguage(pb.DetectLanguageRequest(texts=[text]), timeout=DEADLINE_S)
    except grpc.aio.AioRpcError as exc:
        return Outcome(exc.code().name, time.perf_counter() - started, 0)
    return Outcome("OK", time.perf_counter() - started, 0)


async def _cancelled(
    stub: pb_grpc.TranslationServiceStub, request: pb.TranslateRequest, after_s: float
) -> Outcome:
    started = time.perf_counter()
    call = stub.Translate(request, timeout=DEADLINE_S)
    await asyncio.sleep(after_s)
    call.cancel()
    try:
        await call
    except asyncio.CancelledError:
        return Outcome("CANCELLED_BY_CALLER", time.perf_counter() - started, 0)
    except grpc.aio.AioRpcError as exc:
        return Outcome(exc.code().name, time.perf_counter() - started, 0)
    return Outcome("OK", time.perf_counter() - started, 0)


Call = Callable[[pb_grpc.TranslationServiceStub], Awaitable[Outcome]]


def make_calls(seed: int) -> tuple[Callable[[int], Call], dict[int, str]]:
    """A call factory for the mix, and the kind of each call index (filled as calls start)."""
    rng = random.Random(seed)
    kinds: dict[int, str] = {}

    def make(index: int) -> Call:
        kind = rng.choices(KINDS, WEIGHTS)[0]
        kinds[index] = kind
        text = article(rng, rng.randint(1, 6))
        target = rng.choice(("uk", "ru"))
        if kind == "stream":
            texts = [article(rng, rng.randint(1, 3)) for _ in range(5)]
            return lambda stub: _stream(stub, texts)
        if kind == "detect":
            return lambda stub: _detect(stub, text)
        request = _request(text, target, "glossary" if rng.random() < 0.5 else "plain")
        if kind == "cancel":
            after = rng.uniform(0.0, 0.3)
            return lambda stub: _cancelled(stub, request, after)
        request = _request(text, target, kind)
        return lambda stub: timed_translate(stub, request, DEADLINE_S)

    return make, kinds


async def soak(port: int, pid: int, rate: float, seconds: float) -> tuple[Record, dict[int, str]]:
    make, kinds = make_calls(5)
    memory = Record()
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_memory(pid, memory, stop))
    record = await open_loop(port, rate, seconds, make)
    stop.set()
    await watcher
    record.rss_mb = memory.rss_mb
    return record, kinds


def main() -> None:
    os.nice(10)  # the callers yield to the server on this shared machine (see overload.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--factor", type=float, default=2, help="offered load / capacity")
    parser.add_argument("--slack", type=float, default=2.0, help="seconds past the deadline")
    parser.add_argument("--capacity-seconds", type=float, default=20)
    args = parser.parse_args()
    server = start_demo_server("soak.log")
    try:
        cap = asyncio.run(capacity(server.port, 32, args.capacity_seconds, 4))
        # Calls of the mix average about 3.5 sentences (streams: 10).
        rate = args.factor * cap / 4.0
        record, kinds = asyncio.run(soak(server.port, server.process.pid, rate, args.minutes * 60))
        alive = server.process.poll() is None
    finally:
        code = server.stop()
    report(args, cap, rate, record, kinds, alive, code)


def report(
    args: argparse.Namespace,
    cap: float,
    rate: float,
    record: Record,
    kinds: dict[int, str],
    alive: bool,
    code: int,
) -> None:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in record.outcomes:
        by_kind[kinds.get(outcome.index, "?")].append(outcome)
    hung = sum(o.latency_s > DEADLINE_S + args.slack for o in record.outcomes)
    rss = record.rss_mb or [0.0]
    print(
        f"demo models, {args.minutes:g} min at {args.factor:g}× capacity ({cap:.0f} sent/s, "
        f"{rate:.0f} calls/s offered), {DEADLINE_S:g} s deadlines; server alive at the end: "
        f"{alive}, exit code {code}; calls {record.offered}, ended {len(record.outcomes)}, "
        f"hung {hung}"
    )
    print(f"server RSS start / max / end: {rss[0]:.0f} / {max(rss):.0f} / {rss[-1]:.0f} MB")
    print()
    print("| kind | calls | outcomes | accepted p50 / p99 ms |")
    print("|---|---|---|---|")
    for kind in KINDS:
        outcomes = by_kind.get(kind, [])
        codes = Counter(o.code for o in outcomes)
        ok = sorted(o.latency_s for o in outcomes if o.code == "OK")
        shown = ", ".join(f"{c} {n}" for c, n in codes.most_common())
        timing = f"{1000 * percentile(ok, 0.5):.0f} / {1000 * percentile(ok, 0.99):.0f}"
        print(f"| {kind} | {len(outcomes)} | {shown} | {timing if ok else '-'} |")


if __name__ == "__main__":
    main()
