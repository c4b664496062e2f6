"""`tlumach glossary check|import|export|suggest`: validate, bring in, write out, draft new."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from service.cli import suggest
from service.config import DEFAULT_GLOSSARIES_DIR
from service.errors import GlossaryError
from service.folders import resolve_folders
from service.glossary.check import check_glossary
from service.glossary.io import (
    dump_table,
    dump_yaml,
    format_for_path,
    read_glossary_file,
)
from service.glossary.io.listing import compiled_to_dict, problems_to_list, render_table
from service.glossary.model import Glossary
from service.glossary.validate import validate
from service.vocab import GLOSSARY_FORMATS

EXPORT_FORMATS = ("yaml", "csv", "tsv")
_EXPORT_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".tsv": "tsv", ".txt": "tsv"}


def register(subparsers: Any) -> None:
    """Add `glossary` with its check, import and export subcommands."""
    parser = subparsers.add_parser("glossary", help="check, import and export glossaries")
    commands = parser.add_subparsers(dest="glossary_command", metavar="ACTION", required=True)
    check = commands.add_parser(
        "check", help="list every problem and print the compiled forms; exit 1 on errors"
    )
    check.add_argument("file", type=Path, metavar="FILE")
    check.add_argument(
        "--format", choices=("table", "json"), default="table", help="how to print the result"
    )
    _input_options(check)
    check.set_defaults(func=run_check)
    importer = commands.add_parser("import", help="convert CSV/TSV/TBX/TMX into a YAML glossary")
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument("--to", type=Path, required=True, metavar="glossaries/NAME.yaml")
    importer.add_argument("--name", default="", help="the glossary's display name")
    importer.add_argument("--force", action="store_true", help="overwrite an existing file")
    _input_options(importer)
    importer.set_defaults(func=run_import)
    export = commands.add_parser("export", help="write a glossary as YAML, CSV or TSV")
    export.add_argument("glossary", metavar="ID_OR_FILE")
    export.add_argument("--to", type=Path, help="output file (default: standard output)")
    export.add_argument("--format", choices=EXPORT_FORMATS, help="default: from --to, else yaml")
    export.add_argument(
        "--glossaries-dir",
        type=Path,
        default=DEFAULT_GLOSSARIES_DIR,
        help="where glossary ids are looked up; the packaged glossaries when not given and absent",
    )
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.set_defaults(func=run_export)
    suggest.register(commands)


def _input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--columns",
        type=_languages,
        metavar="en,uk",
        help="languages of the columns of a CSV/TSV file without a header row",
    )
    parser.add_argument(
        "--input-format", choices=GLOSSARY_FORMATS, help="default: from the file's suffix"
    )


def _languages(value: str) -> tuple[str, ...]:
    codes = tuple(code.strip() for code in value.split(",") if code.strip())
    if len(codes) < 2:
        raise argparse.ArgumentTypeError("give at least two language codes, e.g. en,uk")
    return codes


def run_check(args: argparse.Namespace) -> int:
    """Parse, validate and compile FILE; print problems and forms; 0 only without errors."""
    from service.glossary.paradigms.compiler import (
        Compiler,  # loads dictionaries: only when checking
    )

    path: Path = args.file
    try:
        data = path.read_bytes()
        fmt = args.input_format or format_for_path(path, data)
    except (OSError, GlossaryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    result = check_glossary(
        data,
        fmt=fmt,
        glossary_id=path.stem,
        source=str(path),
        compiler=Compiler(),
        column_languages=args.columns,
    )
    if args.format == "json":
        document = {
            "ok": result.ok,
            "problems": problems_to_list(result.problems),
            "glossary": compiled_to_dict(result.compiled) if result.compiled else None,
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for problem in result.problems:
            print(problem)
        if result.compiled is not None:
            print(render_table(result.compiled), end="")
        errors = sum(problem.is_error for problem in result.problems)
        print(f"{path}: {errors} errors, {len(result.problems) - errors} warnings", file=sys.stderr)
    return 0 if result.ok else 1


def run_import(args: argparse.Namespace) -> int:
    """Convert FILE to YAML at --to; the output's stem is the glossary id."""
    target: Path = args.to
    if target.suffix.lower() not in (".yaml", ".yml"):
        print(f"error: --to {target}: the file must end in .yaml", file=sys.stderr)
        return 2
    if target.exists() and not args.force:
        print(f"error: {target} exists; add --force to overwrite it", file=sys.stderr)
        return 1
    try:
        source = read_glossary_file(args.file, fmt=args.input_format, column_languages=args.columns)
    except GlossaryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    glossary = Glossary(
        id=target.stem,
        name=args.name or source.name,
        entries=source.entries,
        description=source.description or f"Imported from {args.file.name}",
        languages=source.languages,
        version=source.version,
        source=str(target),
    )
    _write(target, dump_yaml(glossary))
    problems = validate(glossary)
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(problem.is_error for problem in problems)
    print(
        f"wrote {len(glossary.entries)} entries to {target}; {errors} errors to fix; "
        f"check the compiled forms with: tlumach glossary check {target}",
        file=sys.stderr,
    )
    return 1 if errors else 0


def run_export(args: argparse.Namespace) -> int:
    """Write a glossary (a file, or an id in --glossaries-dir) as YAML, CSV or TSV."""
    fmt = args.format or "yaml"
    if args.format is None and args.to is not None:
        fmt = _EXPORT_SUFFIXES.get(args.to.suffix.lower(), args.to.suffix)
    if fmt not in EXPORT_FORMATS:
        print(
            f"error: cannot export to {fmt!r}; accepted: {', '.join(EXPORT_FORMATS)}",
            file=sys.stderr,
        )
        return 2
    if args.to is not None and args.to.exists() and not args.force:
        print(f"error: {args.to} exists; add --force to overwrite it", file=sys.stderr)
        return 1
    try:
        folder = resolve_folders(glossaries_dir=args.glossaries_dir).glossaries
        glossary = read_glossary_file(_locate(args.glossary, folder))
    except GlossaryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if fmt == "yaml":
        text = dump_yaml(glossary)
    else:
        text = dump_table(glossary, delimiter="," if fmt == "csv" else "\t")
    if args.to is None:
        sys.stdout.write(text)
    else:
        _write(args.to, text)
    return 0


def _locate(name: str, directory: Path) -> Path:
    """`name` when it is a file, else the YAML file of glossary id `name` in `directory`."""
    given = Path(name)
    if given.is_file():
        return given
    if given.name != name or name.startswith("."):  # an id is a bare file stem, never a path
        raise GlossaryError(f"no such file: {name}")
    for suffix in (".yaml", ".yml"):
        if (directory / f"{name}{suffix}").is_file():
            return directory / f"{name}{suffix}"
    known = sorted(path.stem for path in directory.glob("*.y*ml")) if directory.is_dir() else []
    raise GlossaryError(
        f"no file or glossary id {name!r} in {directory}; known: {', '.join(known) or 'none'}"
    )


def _write(target: Path, text: str) -> None:
    """Write through a hidden temporary file so a watching server never reads half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(
            temporary, 0o644
        )  # mkstemp makes it owner-only; the server may run as another user
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
