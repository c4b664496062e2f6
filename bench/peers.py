"""Side by side with the peers: Tlumach, the raw engine, transformers and LibreTranslate, one run.

Every side decodes the same weights: the OPUS-MT-sized model of bench/throughput.py (6+6 layers,
d512, 60k vocabulary, random weights), converted once by CTranslate2 (int8; Tlumach, the raw
engine, and LibreTranslate through an Argos package) and once by transformers' own Marian
converter (float32). Random weights never write </s>, so every sentence decodes exactly
`--output-tokens` tokens on every side, with beam 2. The workloads are interleaved: for each one,
every side runs in turn, so a slow spell of this shared machine hits all of them alike.

    PYTHONPATH=. .venv/bin/python bench/peers.py     # transformers needs the `peers` extra
    PYTHONPATH=. .venv/bin/python bench/peers.py --sides raw,tlumach,lt-default,lt-tuned
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import grpc

from bench import libretranslate_side as lt
from bench.hf_marian import convert_release
from bench.peer_load import (
    Figures,
    Item,
    Level,
    article_items,
    figures_from,
    run_callers,
    workloads,
)
from bench.peer_report import Row, print_table, work_checks
from bench.throughput import CACHE, model_dir
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from tests.support.serve_process import ServeProcess, start_serve

ROOT = Path(__file__).resolve().parents[1]
SIDES = ("raw", "tlumach", "lt-default", "lt-tuned", "hf", "hf-int8")
DEFAULT_SIDES = SIDES[:-1]


class LibrarySide:
    """The raw engine or transformers, one worker process per workload (bench/peer_libs.py)."""

    def __init__(self, name: str, model: Path, args: argparse.Namespace, extra: list[str]) -> None:
        self.name, self.model, self.args, self.extra = name, model, args, extra
        self.output_tokens = 0.0
        self.best_sentences: list[str] = []
        """For the raw engine: sentences of its offline best run, repeated in every workload."""
        self.slot_best: dict[str, float] = {}

    def run(self, level: Level, best: list[str] | None = None) -> dict[str, object]:
        items = _json_items(level)
        if self.name.startswith("hf"):
            # Behind a perfect batcher every round of a library is the same; a few give its rate.
            items = items[: self.args.hf_rounds * level.clients]
        work = {
            "levels": [{"name": level.name, "clients": level.clients, "items": items}],
            "best": best or [],
        }
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(work, handle)
        command = [
            sys.executable, str(ROOT / "bench" / "peer_libs.py"), self.name.split("-")[0],
            "--model", str(self.model), "--work", handle.name, "--beam", str(self.args.beam),
            "--output-tokens", str(self.args.output_tokens), *self.extra,
        ]  # fmt: skip
        done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        Path(handle.name).unlink()
        report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        self.output_tokens = float(str(report["output_tokens"]))
        return report

    def measure(self, level: Level) -> Figures:
        report = self.run(level, self.best_sentences)
        best, levels = report.get("best", {}), report["levels"]
        assert isinstance(best, dict)
        assert isinstance(levels, dict)
        self.slot_best = best
        return figures_from(levels[level.name])


def _json_items(level: Level) -> list[dict[str, object]]:
    return [{"text": i.text, "sentences": list(i.sentences)} for i in level.items]


class TlumachSide:
    """A real `tlumach serve` process; callers are grpc.aio coroutines, one call per item."""

    WARM_UP_SENTENCES = 4

    def __init__(self, models: Path, args: argparse.Namespace) -> None:
        self.server: ServeProcess = start_serve(
            models,
            metrics_port=0,
            extra_args=[
                *("--beam-size", str(args.beam), "--inter-threads", "2"),
                *("--intra-threads", "1", "--log-level", "WARNING"),
            ],
            log=CACHE / "peers-serve.log",
            # As in bench/throughput.py: random weights write no language, so the target-language
            # guard would re-decode every sentence.
            env_overrides={
                "TLUMACH_MAX_OUTPUT_TOKENS": str(args.output_tokens),
                "TLUMACH_LANGUAGE_GUARD": "false",
            },
        )
        # Distinct, so that a sentence cache cannot take any of them.
        texts = [f"Warm-up number {n}." for n in range(self.WARM_UP_SENTENCES)]
        warm_up = [Item(text, (text,)) for text in texts]
        asyncio.run(self._calls(warm_up, 4))

    def measure(self, level: Level) -> Figures:
        return asyncio.run(self._calls(level.items, level.clients))

    async def _calls(self, items: list[Item], clients: int) -> Figures:
        pending = list(reversed(items))
        latencies: list[float] = []
        async with grpc.aio.insecure_channel(f"127.0.0.1:{self.server.port}") as channel:
            stub = pb_grpc.TranslationServiceStub(channel)

            async def caller() -> None:
                while pending:
                    item = pending.pop()
                    request = pb.TranslateRequest(
                        texts=[item.text], source_language="en", target_language="uk"
                    )
                    started = time.perf_counter()
                    await stub.Translate(request, timeout=600)
                    latencies.append(time.perf_counter() - started)

            started = time.perf_counter()
            await asyncio.gather(*(caller() for _ in range(clients)))
            elapsed = time.perf_counter() - started
        return Figures(sum(len(i.sentences) for i in items), elapsed, tuple(latencies))

    def sentences_decoded(self) -> int | None:
        """Sentences the server's batcher decoded so far (its own metric; None without it)."""
        import urllib.request

        url = f"http://127.0.0.1:{self.server.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as reply:
            body = reply.read().decode("utf-8")
        sums = [
            float(line.split()[-1])
            for line in body.splitlines()
            if line.startswith("tlumach_batch_size_sentences_sum")
        ]
        return int(sum(sums)) if sums else None

    def stop(self) -> None:
        self.server.stop()


class LibreTranslateSide:
    """LibreTranslate with one `Settings`; callers are threads with keep-alive HTTP connections."""

    WARM_UP_SENTENCES = 2

    def __init__(self, settings: lt.Settings, python: Path, home: Path, out_tokens: int) -> None:
        self.settings = settings
        self.server = lt.start(python, home, settings, out_tokens, CACHE / "peers-lt.log")
        self.server.translate("First warm-up sentence. Second warm-up sentence.")

    def measure(self, level: Level) -> Figures:
        return run_callers(level.items, level.clients, lambda item: _check(self.server, item))

    def stop(self) -> None:
        self.server.stop()


def _check(server: lt.LibreTranslate, item: Item) -> None:
    if not server.translate(item.text):
        raise RuntimeError("LibreTranslate returned an empty translation")


def lt_settings(text: str, label: str) -> lt.Settings:
    """`threads=16,inter=2,intra=1,batch=1024,beam=2,splitter=SPACY` as Settings."""
    names = {"batch": "batch_tokens"}
    fields: dict[str, object] = {}
    for part in filter(None, text.split(",")):
        key, value = part.split("=")
        key = names.get(key, key)
        fields[key] = value if key == "splitter" else int(value)
    return lt.Settings(label, **fields)  # type: ignore[arg-type]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sides", default=",".join(DEFAULT_SIDES), help=f"of {', '.join(SIDES)}")
    parser.add_argument(
        "--hf-rounds",
        type=int,
        default=2,
        help="transformers decodes only this many rounds of each workload (it is that slow)",
    )
    parser.add_argument("--levels", default="1:8,8:48,32:96", help="clients:sentences,...")
    parser.add_argument("--articles", type=int, default=8, help="articles of 16 sentences")
    parser.add_argument("--article-clients", type=int, default=4)
    parser.add_argument(
        "--best-sentences", type=int, default=96, help="raw engine's offline best, per workload"
    )
    parser.add_argument(
        "--models-dir", type=Path, help="models folder with en-uk (default: OPUS-sized)"
    )
    parser.add_argument("--beam", type=int, default=2)
    parser.add_argument("--output-tokens", type=int, default=32)
    parser.add_argument("--lt-default", default="", help="changes to LibreTranslate's defaults")
    parser.add_argument(
        "--lt-tuned",
        default="threads=8,inter=2,intra=1,batch=1024,splitter=SPACY",
        help="LibreTranslate's best settings (bench/peers_tune.py finds them)",
    )
    return parser.parse_args()


def start_sides(args: argparse.Namespace, names: list[str]) -> dict[str, object]:
    """Every requested side, ready to measure; if one cannot start, those started are stopped."""
    sides: dict[str, object] = {}
    try:
        _start(args, names, sides)
    except BaseException:
        for side in sides.values():
            if hasattr(side, "stop"):
                side.stop()
        raise
    return sides


def _start(args: argparse.Namespace, names: list[str], sides: dict[str, object]) -> None:
    models = args.models_dir or model_dir()
    if "raw" in names:
        sides["raw"] = LibrarySide("raw", models / "en-uk", args, [])
    if "tlumach" in names:
        sides["tlumach"] = TlumachSide(models, args)
    lt_names = [n for n in names if n.startswith("lt-")]
    if lt_names:
        python = lt.ensure_venv(CACHE)
        for name in lt_names:
            text = args.lt_default if name == "lt-default" else args.lt_tuned
            settings = lt_settings(f"beam={args.beam}," + text, name)
            home = lt.home_for(python, CACHE, models / "en-uk", settings.splitter)
            sides[name] = LibreTranslateSide(settings, python, home, args.output_tokens)
    if any(n.startswith("hf") for n in names):
        hf_model = convert_release(models.parent / "release-7", models.parent / "hf" / "en-uk")
        for name in (n for n in names if n.startswith("hf")):
            sides[name] = LibrarySide(name, hf_model, args, ["--int8"] * (name == "hf-int8"))


def main() -> None:
    args = parse_args()
    names = [n for n in args.sides.split(",") if n]
    unknown = set(names) - set(SIDES)
    if unknown:
        raise SystemExit(f"--sides: {', '.join(sorted(unknown))} not among {', '.join(SIDES)}")
    pairs = [tuple(int(x) for x in part.split(":")) for part in args.levels.split(",")]
    levels = workloads([(c, n) for c, n in pairs], args.articles, args.article_clients)
    best_items = article_items(args.best_sentences // 16, 80_000)
    names = ["raw", *(n for n in names if n != "raw")]  # the raw engine first: it sets the ratio
    sides = start_sides(args, names)
    raw = sides["raw"]
    assert isinstance(raw, LibrarySide)
    raw.best_sentences = [s for item in best_items for s in item.sentences]
    rows: list[Row] = []
    problems: list[str] = []
    try:
        for level in levels:
            slot: list[tuple[str, Figures]] = []
            for name in names:
                print(f"{level.name}: {name} ...", file=sys.stderr, flush=True)
                slot.append((name, sides[name].measure(level)))  # type: ignore[attr-defined]
            # The raw engine's best in this slot, where the machine's load was what the others
            # met: its offline run, or its ideal batching when that came out faster.
            best = max(raw.slot_best["sent_s"], slot[0][1].sent_s)
            rows += [Row(level.name, name, figures, best) for name, figures in slot]
        print_table(rows, args, sides)
        problems = work_checks(sides, levels)
    finally:
        for side in sides.values():
            if hasattr(side, "stop"):
                side.stop()
    if problems:
        raise SystemExit("the sides did not do the same work:\n" + "\n".join(problems))


if __name__ == "__main__":
    main()
