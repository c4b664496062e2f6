"""The `tlumach` command line: one module per subcommand, each with `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib

# Each module defines `register(subparsers)`, which adds its parser and sets `func(args) -> int`.
SUBCOMMANDS = ("serve", "models", "glossary", "translate")


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every subcommand that is installed."""
    parser = argparse.ArgumentParser(
        prog="tlumach",
        description="Tlumach: news translation between English, Ukrainian and Russian.",
    )
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
