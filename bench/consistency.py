"""Article-level name consistency: without and with the stage, on the demo models and on drafts.

    PYTHONPATH=. python bench/consistency.py --mode model     # a real tlumach serve, demo models
    PYTHONPATH=. python bench/consistency.py --mode drafts    # the set's inconsistent drafts
    PYTHONPATH=. python bench/consistency.py --mode overhead  # controls: stage on vs off, p50/p95

`--data` picks the set (default `tests/data/consistency/articles.jsonl`; `dev.jsonl` to tune on).
Model mode sends every article as one text to a real server with the demo models and the
shipped glossaries (news-ua applied), once with `disable_auto_consistency` and once without.
Drafts mode runs the stage in-process on each draft through the production path (batchers,
route translator; the demo model answers its alignments and scores). Consistency: the share of
recurring names whose every mention uses one lemma in the right case (see
`bench/consistency_score.py`); exact: mentions equal to the expected form; false repairs (drafts):
sentences the stage changed whose draft held no error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc

from bench.consistency_score import NameScore, Oracle, draft_paragraphs, paragraphs, score_article
from service.glossary.paradigms.compiler import Compiler
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from tests.support.serve_process import start_serve

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "consistency"
DIRECTIONS = ("en-uk", "en-ru", "uk-ru", "ru-uk")


@dataclass
class Tally:
    """Scores of one direction and one variant (without or with the stage)."""

    names: int = 0
    consistent: int = 0
    mentions: int = 0
    exact: int = 0
    found: int = 0
    latencies: list[float] = field(default_factory=list)

    def add(self, scores: Sequence[NameScore]) -> None:
        for score in scores:
            self.names += 1
            self.consistent += score.consistent
            self.mentions += score.mentions
            self.exact += score.exact
            self.found += score.found

    def share(self, part: int, whole: int) -> str:
        return f"{part / whole:.3f}" if whole else "-"


def read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def article_text(article: dict[str, Any], language: str) -> str:
    return "\n\n".join(paragraphs(article, language))


async def translate(
    stub: pb_grpc.TranslationServiceStub, text: str, pair: str, stage: bool
) -> tuple[list[str], float, int]:
    """(output paragraphs, seconds, auto-consistency mentions reported) for one article."""
    source, target = pair.split("-")
    options = pb.TranslateOptions(return_term_report=True, disable_auto_consistency=not stage)
    request = pb.TranslateRequest(
        texts=[text], source_language=source, target_language=target,
        glossary_ids=["news-ua"], options=options,
    )  # fmt: skip
    started = time.perf_counter()
    response = await stub.Translate(request, timeout=120)
    elapsed = time.perf_counter() - started
    result = response.results[0]
    auto = sum(t.outcome == pb.TERM_OUTCOME_AUTO_CONSISTENCY for t in result.terms)
    return result.text.split("\n\n"), elapsed, auto


async def model_mode(articles: list[dict[str, Any]], port: int, pairs: Sequence[str]) -> dict:
    oracle = Oracle(Compiler())
    tallies: dict[str, dict[str, Tally]] = {p: {"off": Tally(), "on": Tally()} for p in pairs}
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = pb_grpc.TranslationServiceStub(channel)
        for pair in pairs:
            source, target = pair.split("-")
            for article in articles:
                text = article_text(article, source)
                for variant, stage in (("off", False), ("on", True)):
                    outputs, seconds, _ = await translate(stub, text, pair, stage)
                    tally = tallies[pair][variant]
                    tally.add(score_article(article, outputs, target, oracle))
                    tally.latencies.append(seconds)
    return tallies


def drafts_mode(articles: list[dict[str, Any]], models_dir: Path, pairs: Sequence[str]) -> dict:
    """The stage on each draft, in-process through batchers and the route translator."""
    from concurrent.futures import ThreadPoolExecutor

    from service.glossary.consistency.stage import NameConsistency
    from service.glossary.enforcement.enforcer import Enforcer
    from service.glossary.enforcement.steps import drive
    from service.glossary.store import GlossaryStore
    from service.model_store.engine import Engine
    from service.model_store.registry import ModelInfo, ModelRegistry
    from service.translation.batcher import BatchOptions
    from service.translation.routes import CallAnswerer, RouteTranslator
    from tests.support.model_path import start_batchers

    def factory(info: ModelInfo) -> Engine:
        return Engine(info.path, source_spm=info.source_spm, target_spm=info.target_spm)

    registry = ModelRegistry(models_dir, factory)
    registry.load()
    compiler = Compiler()
    store = GlossaryStore(ROOT / "glossaries", compiler)
    store.load_all()
    entries = store.get("news-ua").entries
    enforcer = Enforcer()
    stage = NameConsistency(compiler)
    oracle = Oracle(compiler)
    loop = asyncio.new_event_loop()
    batchers = loop.run_until_complete(start_batchers(registry.legs))
    executor = ThreadPoolExecutor(1, thread_name_prefix="text")
    tallies: dict[str, dict[str, Tally]] = {}
    false_repairs: dict[str, list[int]] = {}
    for pair in pairs:
        source, target = pair.split("-")
        if target not in ("uk", "ru"):
            continue
        translator = RouteTranslator(registry.route(source, target), batchers)
        answer = CallAnswerer(translator, BatchOptions(), None)
        tallies[pair] = {"off": Tally(), "on": Tally()}
        false_repairs[pair] = [0, 0]
        for article in articles:
            sources = [str(s[source]) for s in article["sentences"]]
            drafts = list(article["drafts"][target])
            glossary = [enforcer.find_terms(s, source, target, entries) for s in sources]
            started = time.perf_counter()
            steps = stage.run(sources, drafts, (source, target), glossary)
            result = loop.run_until_complete(drive(steps, answer, executor))
            tallies[pair]["on"].latencies.append(time.perf_counter() - started)
            after = _rejoin(article, result.texts)
            tallies[pair]["off"].add(
                score_article(article, draft_paragraphs(article, target), target, oracle)
            )
            tallies[pair]["on"].add(score_article(article, after, target, oracle))
            flawed = {
                int(article["occurrences"][int(e["occurrence"])]["sentence"])
                for e in article["draft_errors"][target]
            }
            for index, (old, new) in enumerate(zip(drafts, result.texts, strict=True)):
                if index not in flawed:
                    false_repairs[pair][1] += 1
                    false_repairs[pair][0] += old != new
    for batcher in batchers.values():
        loop.run_until_complete(batcher.stop())
    return {"tallies": tallies, "false_repairs": false_repairs}


def _rejoin(article: dict[str, Any], sentences: Sequence[str]) -> list[str]:
    grouped: dict[int, list[str]] = {}
    for sentence, text in zip(article["sentences"], sentences, strict=True):
        grouped.setdefault(int(sentence["paragraph"]), []).append(text)
    return [" ".join(grouped[key]) for key in sorted(grouped)]


async def overhead(controls: list[dict[str, Any]], port: int, rounds: int) -> dict[str, Tally]:
    """Latency of the controls (nothing for the stage to do) with the stage off and on."""
    tallies = {"off": Tally(), "on": Tally()}
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = pb_grpc.TranslationServiceStub(channel)
        for article in controls[:3]:  # warm-up
            await translate(stub, article_text(article, "en"), "en-uk", True)
        for number in range(rounds):
            for index, article in enumerate(controls):
                text = article_text(article, "en")
                order = (True, False) if (index + number) % 2 else (False, True)
                for stage in order:
                    _, seconds, auto = await translate(stub, text, "en-uk", stage)
                    tallies["on" if stage else "off"].latencies.append(seconds)
                    tallies["on" if stage else "off"].found += auto
    return tallies


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def consistency_table(
    tallies: dict[str, dict[str, Tally]], extra: dict | None = None
) -> Iterator[str]:
    yield "| direction | names | consistent (off → on) | exact mentions (off → on) | found |"
    yield "|---|---|---|---|---|"
    for pair, variants in tallies.items():
        off, on = variants["off"], variants["on"]
        line = (
            f"| {pair} | {off.names} | {off.share(off.consistent, off.names)} → "
            f"{on.share(on.consistent, on.names)} | {off.share(off.exact, off.mentions)} → "
            f"{on.share(on.exact, on.mentions)} | {off.found}/{off.mentions} → {on.found} |"
        )
        if extra is not None:
            changed, total = extra[pair]
            line += f" false repairs {changed}/{total} |"
        yield line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("model", "drafts", "overhead"), default="model")
    parser.add_argument("--data", type=Path, default=DATA / "articles.jsonl")
    parser.add_argument("--controls", type=Path, default=DATA / "controls.jsonl")
    parser.add_argument("--pairs", default=",".join(DIRECTIONS), help="directions to score")
    parser.add_argument("--rounds", type=int, default=3, help="overhead: passes over the controls")
    parser.add_argument("--models-dir", type=Path, default=ROOT / "models")
    args = parser.parse_args(argv)
    pairs = [p for p in args.pairs.split(",") if p]
    if args.mode == "drafts":
        found = drafts_mode(read(args.data), args.models_dir, pairs)
        print("\n".join(consistency_table(found["tallies"], found["false_repairs"])))
        return 0
    server = start_serve(args.models_dir, glossaries_dir=ROOT / "glossaries")
    try:
        if args.mode == "model":
            tallies = asyncio.run(model_mode(read(args.data), server.port, pairs))
            print("\n".join(consistency_table(tallies)))
        else:
            found = asyncio.run(overhead(read(args.controls), server.port, args.rounds))
            off, on = found["off"].latencies, found["on"].latencies
            o50, n50 = statistics.median(off), statistics.median(on)
            o95, n95 = percentile(off, 0.95), percentile(on, 0.95)
            print(
                "| texts | stage off p50 / p95 ms | stage on p50 / p95 ms | added p50 | added p95 |"
                " auto mentions |"
            )
            print("|---|---|---|---|---|---|")
            print(
                f"| {len(off)} | {1000 * o50:.1f} / {1000 * o95:.1f} | {1000 * n50:.1f} / "
                f"{1000 * n95:.1f} | {100 * (n50 / o50 - 1):+.1f} % "
                f"| {100 * (n95 / o95 - 1):+.1f} % "
                f"| {found['on'].found} |"
            )
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
