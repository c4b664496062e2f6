"""Entry point of the `tlumach` command."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from service.cli import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen subcommand; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
