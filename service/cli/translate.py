"""`tlumach translate`: translate files, folders or stdin through the service, resumably."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from service.cli import RawHelpFormatter
from service.cli.progress import BarProgress, LogProgress, print_summary
from service.client.connection import ClientAccess, TranslationClient
from service.client.discover import STDIN, InputError, discover
from service.client.endpoints import resolve_named
from service.client.formats import FORMATS, FormatOptions
from service.client.plan import (
    BROKEN,
    TODO,
    JobOptions,
    PlanError,
    Task,
    build_plan,
    check_name_pattern,
)
from service.client.records import TranslationFailedError
from service.client.retry import RetryPolicy
from service.client.runner import Runner
from service.client.storage import Journal
from service.vocab import LANGUAGES

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_PARTIAL, EXIT_FAILED = 0, 1, 2
JOURNAL_NAME = ".tlumach-journal.jsonl"
TOKEN_VARIABLE = "TLUMACH_TOKEN"  # noqa: S105 - a variable name, not a secret

EPILOG = """\
examples:
  tlumach translate articles/ --to uk,ru
      every file under articles/ into out/uk/... and out/ru/..., same relative paths
  tlumach translate news.md --to uk --from en --glossary news-ua --server tlumach:50051
  tlumach translate feed.jsonl --to ru --fields title,body --name-pattern '{stem}.{lang}{suffix}'
      out/feed.ru.jsonl; only "title" and "body" are translated, other fields are kept
  tlumach translate docs/ --include '*.md' --exclude 'drafts/*' --to uk --dry-run
  echo 'Kyiv is the capital.' | tlumach translate - --to uk
  tlumach translate subs/ --to uk --server dns:///tlumach-headless.ns.svc:50051 --concurrency 16

formats: plain (default for unknown suffixes), markdown (.md), html (.html .htm), jsonl (.jsonl
  .ndjson: the --fields are translated), srt (cue text translated, numbers and timings kept),
  docx (paragraphs of body, tables, headers, footers; a paragraph with mixed inline formatting
  takes the formatting of its first run). Encoding, byte-order mark and line endings are kept.

resume: finished outputs are recorded in OUT/.tlumach-journal.jsonl; run the same command again
  after an interruption (even kill -9) and only the unfinished files are translated. Outputs that
  exist but are not in the journal are skipped unless --force.

access: --tls-ca CA.pem (or --tls for the system's roots) speaks TLS; --tls-cert/--tls-key add a
  client certificate for servers that require mutual TLS; the bearer token comes from
  --token-file FILE or the TLUMACH_TOKEN environment variable (never a flag: flags show in ps).

exit status: 0 every file translated (or already done), 1 some files failed (each is reported
  with its reason), 2 nothing could be translated (no server, or every file failed) or bad usage.
"""


def register(subparsers: Any) -> None:
    """Add the `translate` subcommand."""
    parser = subparsers.add_parser(
        "translate",
        help="translate files, folders or stdin through a running server",
        description="Translate files, folders or stdin through a Tlumach server.",
        epilog=EPILOG,
        formatter_class=RawHelpFormatter,
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, or - for stdin")
    parser.add_argument(
        "--to", required=True, type=_languages, help="target language(s), e.g. uk,ru"
    )
    parser.add_argument(
        "--from",
        dest="source",
        default="",
        choices=("", *LANGUAGES),
        help="source language (default: detected per text)",
    )
    parser.add_argument(
        "--server",
        default="localhost:50051",
        help="dns:///host:port or host:port[,host:port...] (default %(default)s)",
    )
    _add_access_arguments(parser)
    parser.add_argument(
        "--glossary",
        action="append",
        default=[],
        metavar="ID",
        help="glossary id to apply; repeat for several, earlier wins",
    )
    parser.add_argument(
        "--format",
        default="auto",
        choices=("auto", *FORMATS),
        help="input format; auto = by file suffix",
    )
    parser.add_argument(
        "--fields",
        default="text",
        type=_fields,
        help="JSON Lines fields to translate, dotted for nested (default: text)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("out"), help="output folder (default: out)"
    )
    parser.add_argument(
        "--name-pattern",
        default="",
        metavar="PATTERN",
        help="output name beside its relative path instead of OUT/<lang>/, using "
        "{stem} {suffix} {name} {lang}, e.g. '{stem}.{lang}{suffix}'",
    )
    parser.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="only files in folders matching GLOB (name, or path if it has /)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files matching GLOB; repeat for several",
    )
    parser.add_argument(
        "--concurrency",
        type=_positive,
        default=8,
        metavar="N",
        help="items in flight per server replica (default %(default)s)",
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=300.0,
        metavar="S",
        help="seconds to wait for one item's result (default %(default)s)",
    )
    parser.add_argument(
        "--retries",
        type=_positive,
        default=6,
        metavar="N",
        help="attempts per item on UNAVAILABLE/RESOURCE_EXHAUSTED (default 6)",
    )
    parser.add_argument("--beam-size", type=int, default=0, help="1..8; 0 = the server's own")
    parser.add_argument("--encoding", default=None, help="input encoding (default: detected)")
    parser.add_argument("--force", action="store_true", help="overwrite existing outputs")
    parser.add_argument("--dry-run", action="store_true", help="list the plan, translate nothing")
    parser.add_argument(
        "--report",
        type=Path,
        metavar="FILE.jsonl",
        help="write the per-term glossary report of every text here",
    )
    parser.add_argument("--journal", type=Path, help=f"resume journal (default OUT/{JOURNAL_NAME})")
    parser.add_argument(
        "--progress",
        choices=("auto", "bar", "log"),
        default="auto",
        help="progress bar on a terminal, log lines otherwise (default auto)",
    )
    parser.set_defaults(func=run)


def _add_access_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tls", action="store_true", help="speak TLS, trusting the system roots")
    parser.add_argument(
        "--tls-ca", type=Path, metavar="PEM", help="speak TLS, trusting this CA bundle"
    )
    parser.add_argument(
        "--tls-cert", type=Path, metavar="PEM", help="client certificate (mutual TLS)"
    )
    parser.add_argument("--tls-key", type=Path, metavar="PEM", help="key of --tls-cert")
    parser.add_argument(
        "--token-file",
        type=Path,
        metavar="FILE",
        help=f"file holding the bearer token (default: ${TOKEN_VARIABLE} if set)",
    )


def client_access(args: argparse.Namespace, environ: dict[str, str]) -> ClientAccess:
    """TLS and token options from the command line and the environment; ValueError if unusable."""
    if (args.tls_cert is None) != (args.tls_key is None):
        raise ValueError("--tls-cert and --tls-key go together")
    token = environ.get(TOKEN_VARIABLE, "").strip()
    if args.token_file is not None:
        token = _read(args.token_file, "--token-file").decode("utf-8", "replace").strip()
        if not token:
            raise ValueError(f"--token-file {args.token_file}: the file is empty")
    return ClientAccess(
        tls=bool(args.tls or args.tls_ca or args.tls_cert),
        root_certificates=_read(args.tls_ca, "--tls-ca") if args.tls_ca else None,
        certificate_chain=_read(args.tls_cert, "--tls-cert") if args.tls_cert else None,
        private_key=_read(args.tls_key, "--tls-key") if args.tls_key else None,
        token=token,
    )


def _read(path: Path, flag: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{flag} {path}: {exc.strerror}") from exc


def run(args: argparse.Namespace) -> int:
    """Plan, then translate; returns the exit status described in the epilog."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr
    )
    try:
        access = client_access(args, dict(os.environ))
        options, tasks, journal, stdin = _plan(args)
    except (InputError, PlanError, ValueError) as exc:
        print(f"tlumach translate: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.dry_run:
        _print_plan(tasks, sys.stdout)
        return EXIT_OK
    return asyncio.run(_translate(args, access, options, tasks, journal, stdin))


def _plan(args: argparse.Namespace) -> tuple[JobOptions, list[Task], Journal | None, bytes]:
    if args.name_pattern:
        check_name_pattern(args.name_pattern, args.to)
    options = JobOptions(
        targets=args.to,
        out_dir=args.out,
        source_language=args.source,
        glossary_ids=tuple(args.glossary),
        format_name=args.format,
        format_options=FormatOptions(encoding=args.encoding, fields=args.fields),
        name_pattern=args.name_pattern,
        force=args.force,
        beam_size=args.beam_size,
    )
    if STDIN in args.inputs and len(args.to) > 1:
        raise PlanError("standard input goes to standard output: give one --to language")
    inputs = discover(args.inputs, args.include, args.exclude, skip_under=args.out)
    stdin = sys.stdin.buffer.read() if STDIN in args.inputs else b""
    journal = Journal(args.journal or args.out / JOURNAL_NAME)
    return options, build_plan(inputs, options, journal, stdin), journal, stdin


def _print_plan(tasks: list[Task], stream: TextIO) -> None:
    for task in tasks:
        target = "<stdout>" if task.output is None else str(task.output)
        note = f" ({task.reason})" if task.reason else ""
        stream.write(
            f"{task.state:8} {task.source.label} -> {target} [{task.target_language}, "
            f"{task.format_name}, {task.characters} chars]{note}\n"
        )
    todo = [task for task in tasks if task.state == TODO]
    stream.write(
        f"{len(todo)} of {len(tasks)} task(s) to translate, "
        f"{sum(task.characters for task in todo)} characters\n"
    )


async def _translate(
    args: argparse.Namespace,
    access: ClientAccess,
    options: JobOptions,
    tasks: list[Task],
    journal: Journal | None,
    stdin: bytes,
) -> int:
    started = time.monotonic()
    for task in tasks:
        if task.state == BROKEN:
            logger.warning("skipped: %s: %s", task.source.label, task.reason)
    todo = [task for task in tasks if task.state == TODO]
    hosts = await resolve_named(args.server)
    addresses = list(hosts)
    client = TranslationClient(
        addresses,
        window=args.concurrency,
        deadline_s=args.deadline,
        retry=RetryPolicy(max_attempts=args.retries),
        access=access,
        server_names=hosts,
    )
    use_bar = args.progress == "bar" or (args.progress == "auto" and sys.stderr.isatty())
    progress = (BarProgress if use_bar else LogProgress)(
        files=len(todo), characters=sum(task.characters for task in todo)
    )
    report = _ReportFile(args.report) if args.report else None
    try:
        if todo:
            await _check_pairs(client, options)
        runner = Runner(
            client, options, journal, progress, report, files_in_flight=max(4, 2 * len(addresses))
        )
        tally = await runner.run(tasks, stdin)
    except TranslationFailedError as exc:
        print(f"tlumach translate: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        progress.close()
        if report:
            report.close()
        await client.close()
    print_summary(tasks, tally, time.monotonic() - started, client.retries, sys.stderr)
    return exit_status(tasks)


def exit_status(tasks: list[Task]) -> int:
    """0 when nothing failed, 2 when nothing succeeded (done now or before), 1 otherwise."""
    failed = sum(task.state in ("failed", BROKEN) for task in tasks)
    if not failed:
        return EXIT_OK
    return EXIT_FAILED if failed == len(tasks) else EXIT_PARTIAL


async def _check_pairs(client: TranslationClient, options: JobOptions) -> None:
    """Fail fast when no replica answers; warn about targets no replica serves."""
    pairs = await client.served_pairs()
    if pairs is None:
        logger.info("this token may not list the served pairs; not checking the targets")
        return
    served_targets = {target for _, target in pairs}
    for lang in options.targets:
        if lang not in served_targets:
            logger.warning("no served pair translates into %s; its files will fail", lang)


class _ReportFile:
    """The --report JSON Lines file, written as texts finish."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 (kept open for the run)

    def write(self, record: dict[str, Any]) -> None:
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._handle.close()


def _languages(value: str) -> tuple[str, ...]:
    langs = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    bad = [lang for lang in langs if lang not in LANGUAGES]
    if not langs or bad:
        raise argparse.ArgumentTypeError(
            f"{', '.join(bad) or repr(value)} not accepted; "
            f"use {', '.join(LANGUAGES)}, comma-separated"
        )
    return langs


def _fields(value: str) -> tuple[str, ...]:
    fields = tuple(part.strip() for part in value.split(",") if part.strip())
    if not fields:
        raise argparse.ArgumentTypeError("give at least one field name, e.g. title,body")
    return fields


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return number
