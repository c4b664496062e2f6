"""The plan of a run: one task per input and target language, with its output path and state."""

from __future__ import annotations

import json
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from service.client.discover import InputFile
from service.client.formats import FileFormatError, FormatOptions, detect_format, parse
from service.client.storage import Journal, sha256

PLACEHOLDERS = ("stem", "suffix", "name", "lang")
# Task states after planning.
TODO, FINISHED, EXISTS, BROKEN = "todo", "finished", "exists", "broken"


class PlanError(ValueError):
    """The options cannot make a consistent plan (bad name pattern, two inputs to one output)."""


@dataclass(frozen=True)
class JobOptions:
    """What the user asked for; everything here that changes an output is in its fingerprint."""

    targets: tuple[str, ...]
    out_dir: Path
    source_language: str = ""
    glossary_ids: tuple[str, ...] = ()
    format_name: str = "auto"
    format_options: FormatOptions = field(default_factory=FormatOptions)
    name_pattern: str = ""
    force: bool = False
    beam_size: int = 0


@dataclass
class Task:
    """Translate one input into one language."""

    source: InputFile
    target_language: str
    format_name: str
    output: Path | None
    """None writes to standard output."""
    key: str
    fingerprint: str = ""
    characters: int = 0
    state: str = TODO
    reason: str = ""


def output_path(options: JobOptions, relative: PurePosixPath, lang: str) -> tuple[Path, str]:
    """Where the translation of `relative` into `lang` goes, and its key (path under out_dir)."""
    if options.name_pattern:
        values = {
            "stem": relative.stem,
            "suffix": relative.suffix,
            "name": relative.name,
            "lang": lang,
        }
        name = options.name_pattern.format(**values)
        key = PurePosixPath(relative.parent, name)
    else:
        key = PurePosixPath(lang, relative)
    if ".." in key.parts or key.is_absolute():
        raise PlanError(f"--name-pattern: output {key} would leave the output folder")
    return options.out_dir / key, str(key)


def check_name_pattern(pattern: str, targets: Sequence[str]) -> None:
    """Raise PlanError unless the pattern uses only known placeholders and tells languages apart."""
    used = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    unknown = used - set(PLACEHOLDERS)
    if unknown:
        raise PlanError(
            f"--name-pattern: unknown placeholder(s) {', '.join(sorted(unknown))}; "
            f"accepted: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
        )
    if len(targets) > 1 and "lang" not in used:
        raise PlanError("--name-pattern must contain {lang} when there are several targets")


def build_plan(
    inputs: Sequence[InputFile], options: JobOptions, journal: Journal | None, stdin: bytes = b""
) -> list[Task]:
    """Tasks in input order; each is parsed once to count characters and catch broken inputs."""
    tasks: list[Task] = []
    owners: dict[str, str] = {}
    for source in inputs:
        format_name = detect_format(source.relative, options.format_name)
        data, characters, reason = _inspect(source, format_name, options.format_options, stdin)
        for lang in options.targets:
            output, key = (
                (None, "-") if source.path is None else output_path(options, source.relative, lang)
            )
            if output is not None and owners.setdefault(key, source.label) != source.label:
                raise PlanError(f"{source.label} and {owners[key]} would both write {key}")
            task = Task(source, lang, format_name, output, key, characters=characters)
            task.fingerprint = _fingerprint(data, lang, format_name, options)
            _set_state(task, reason, options.force, journal)
            tasks.append(task)
    return tasks


def _inspect(
    source: InputFile, format_name: str, format_options: FormatOptions, stdin: bytes
) -> tuple[bytes, int, str]:
    try:
        data = stdin if source.path is None else source.path.read_bytes()
    except OSError as exc:
        return b"", 0, f"cannot read: {exc.strerror}"
    try:
        return data, parse(data, format_name, format_options).characters, ""
    except (FileFormatError, ValueError) as exc:
        return data, 0, str(exc)


def _set_state(task: Task, reason: str, force: bool, journal: Journal | None) -> None:
    if reason:
        task.state, task.reason = BROKEN, reason
    elif task.output is None:
        task.state = TODO
    elif journal is not None and journal.finished(task.output, task.key, task.fingerprint):
        task.state = FINISHED
    elif task.output.exists() and not force:
        task.state, task.reason = EXISTS, "output exists (use --force to overwrite)"


def _fingerprint(data: bytes, lang: str, format_name: str, options: JobOptions) -> str:
    settings = {
        "input": sha256(data),
        "target": lang,
        "source": options.source_language,
        "glossaries": list(options.glossary_ids),
        "format": format_name,
        "fields": list(options.format_options.fields),
        "encoding": options.format_options.encoding,
        "beam": options.beam_size,
    }
    return sha256(json.dumps(settings, sort_keys=True).encode())
