"""The `tlumach` command line: one module per subcommand, each with `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import platform
from importlib import metadata
from typing import Any

from service import __version__

# Each module defines `register(subparsers)`, which adds its parser and sets `func(args) -> int`.
SUBCOMMANDS = ("serve", "models", "glossary", "translate")
# Named in `tlumach --version`: what a bug report about translations needs to know.
REPORTED_DISTRIBUTIONS = ("ctranslate2", "grpcio", "protobuf")


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows every option's default, except where there is none to show or the help says it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        help_text = action.help or ""
        nothing = action.default is None or action.default is False or action.default in ("", [])
        if nothing or "default" in help_text.lower():
            return action.help
        return super()._get_help_string(action)


class RawHelpFormatter(argparse.RawDescriptionHelpFormatter, HelpFormatter):
    """HelpFormatter that keeps the description and epilog as written (examples, tables)."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help shows defaults; subcommand parsers inherit the class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def version_text() -> str:
    """`tlumach 0.1.0 (ctranslate2 4.6.0, grpcio 1.85.3, protobuf 7.36.2; Python 3.11.2)`."""
    parts = [f"{name} {_installed_version(name)}" for name in REPORTED_DISTRIBUTIONS]
    own = _installed_version("tlumach", __version__)
    return f"tlumach {own} ({', '.join(parts)}; Python {platform.python_version()})"


def _installed_version(distribution: str, fallback: str = "not installed") -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        # Run from a checkout that was never installed (PYTHONPATH): the package's own number.
        return fallback


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every subcommand that is installed."""
    parser = Parser(
        prog="tlumach",
        description="Tlumach: news translation between English, Ukrainian and Russian.",
        formatter_class=RawHelpFormatter,  # the --version line stays one line
    )
    parser.add_argument("--version", action="version", version=version_text())
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"service.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"service.cli.{name}":
                raise
            continue
        module.register(subparsers)
    return parser
