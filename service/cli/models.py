"""`tlumach models fetch|list|verify`: install OPUS-MT models and check what is installed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from service.config import DEFAULT_MODELS_DIR
from service.errors import TlumachError
from service.folders import resolve_folders
from service.model_store.convert import QUANTIZATIONS
from service.model_store.download import DownloadError, DownloadRetry
from service.model_store.install import InstallOptions, install
from service.model_store.inventory import InstalledModel, routes, scan, verify
from service.model_store.manifest import ModelSource, load_manifest
from service.vocab import PAIRS


def register(subparsers: Any) -> None:
    """Add `models` with its fetch, list and verify subcommands."""
    parser = subparsers.add_parser("models", help="install and check translation models")
    commands = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    fetch = commands.add_parser("fetch", help="download, verify, convert and install models")
    fetch.add_argument(
        "pairs", nargs="*", metavar="PAIR", help=f"of {', '.join(PAIRS)}; default all"
    )
    _common(fetch)
    fetch.add_argument(
        "--manifest",
        type=Path,
        help="releases to install (default: MODELS_DIR/models.yaml, else the packaged one)",
    )
    fetch.add_argument(
        "--quantization", default="int8", choices=QUANTIZATIONS, help="CTranslate2 weights"
    )
    fetch.add_argument(
        "--from",
        dest="local",
        type=Path,
        metavar="FILE_OR_DIR",
        help="install from a release archive or unpacked release/checkpoint on disk (one pair)",
    )
    fetch.add_argument("--force", action="store_true", help="reinstall even if up to date")
    fetch.add_argument(
        "--require-checksum", action="store_true", help="refuse entries with no pinned sha256"
    )
    fetch.add_argument(
        "--retries", type=int, default=5, help="download attempts (an offline host: just one)"
    )
    fetch.add_argument("--no-progress", action="store_true", help="no progress bar")
    fetch.set_defaults(func=run_fetch)
    listing = commands.add_parser("list", help="installed models, sizes, origin and routes")
    _common(listing)
    listing.set_defaults(func=run_list)
    check = commands.add_parser("verify", help="load each model and translate a canary sentence")
    _common(check)
    check.add_argument(
        "--device", default="cpu", choices=("cpu", "cuda", "auto"), help="CTranslate2 device"
    )
    check.set_defaults(func=run_verify)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--models-dir",
        type=Path,
        default=DEFAULT_MODELS_DIR,
        help="where real models are installed (relative to the working directory)",
    )


def run_fetch(args: argparse.Namespace) -> int:
    """Install the manifest entries that serve the requested pairs; 0 when all succeeded."""
    try:
        manifest = load_manifest(args.manifest or resolve_folders(args.models_dir).manifest)
        entries = manifest.select(args.pairs)
    except TlumachError as exc:
        return _fail(str(exc))
    if args.local is not None and len(entries) != 1:
        return _fail("--from installs one model: name exactly one pair served by one entry")
    for pair in args.pairs:
        if manifest.entry_for(pair) is None:
            print(f"{pair}: no direct model configured; served through {manifest.pivot}")
    options = InstallOptions(
        quantization=args.quantization,
        local=args.local,
        force=args.force,
        require_checksum=args.require_checksum,
        progress=not args.no_progress,
        retry=DownloadRetry(attempts=max(1, args.retries)),
    )
    failed = 0
    for entry in entries:
        try:
            result = install(entry, args.models_dir, options)
        except TlumachError as exc:
            failed += 1
            print(f"{entry.id}: FAILED: {exc}", file=sys.stderr)
            if isinstance(exc, DownloadError):
                print(_air_gapped_hint(entry), file=sys.stderr)
            continue
        if not result.changed:
            print(f"{entry.id}: already installed ({result.path}), nothing to do")
            continue
        check = "verified" if result.pinned else "recorded (not pinned in the manifest)"
        print(f"{entry.id}: installed {entry.name} {entry.version} into {result.path}")
        if result.sha256:
            print(f"{entry.id}: sha256 {result.sha256} {check}")
    return 1 if failed else 0


def _air_gapped_hint(entry: ModelSource) -> str:
    """How to install `entry` on a host that cannot download it."""
    return (
        f"{entry.id}: without network access, fetch {entry.url} on another machine, copy it "
        f"here and run: tlumach models fetch {entry.pairs[0]} --from {entry.archive_name}"
    )


def _scan(models_dir: Path) -> list[InstalledModel]:
    """What `tlumach serve --models-dir models_dir` would load, packaged demo models included."""
    demo = resolve_folders(models_dir).demo_models
    return scan(models_dir, [demo] if demo else [])


def run_list(args: argparse.Namespace) -> int:
    """Print the installed models and how each direction is served."""
    models = _scan(args.models_dir)
    if not models:
        print(f"no models in {args.models_dir}; install them with `tlumach models fetch`")
    for model in models:
        if model.info is None:
            print(f"{model.label}: REFUSED: {model.error}")
            continue
        info = model.info
        kind = "DEMO" if info.demo else "real"
        print(
            f"{model.label}: {info.name} {info.version} [{kind}] pairs={','.join(info.pairs)} "
            f"compute={info.compute_type or '?'} size={model.size_bytes / (1 << 20):.1f} MiB"
        )
        print(f"    origin: {model.origin or 'unknown'}")
        if model.sha256:
            print(f"    sha256: {model.sha256}")
    served = routes(models)
    print("directions:")
    for pair in PAIRS:
        print(f"    {pair}: {served.get(pair, 'not served')}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """Load every model, translate a canary, report time and memory; 1 if any failed."""
    models = _scan(args.models_dir)
    if not models:
        return _fail(f"no models in {args.models_dir}")
    failed = 0
    for model in models:
        outcome = verify(model, device=args.device)
        if not outcome.ok:
            failed += 1
            print(f"{outcome.label}: FAILED: {outcome.error}")
            continue
        print(
            f"{outcome.label}: ok, load {outcome.load_s:.2f}s, RSS {outcome.rss_mib:.0f} MiB "
            f"(+{outcome.rss_added_mib:.0f} MiB for this model)"
        )
        for pair, text in (outcome.outputs or {}).items():
            print(f"    {pair}: {text}")
    return 1 if failed else 0


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2
