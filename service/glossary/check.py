"""Checking a glossary end to end: parse, validate and compile, collecting every problem."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from service.errors import GlossaryError, GlossaryLimitError, InvalidArgumentError, quoted
from service.glossary.io import check_size, decode_text, parse_glossary
from service.glossary.io.yaml_files import read_yaml
from service.glossary.model import CompiledGlossary, Glossary
from service.glossary.problem import ERROR, WARNING, Problem
from service.glossary.validate import validate


class GlossaryCompiler(Protocol):
    """What the store and the checks need of `service.glossary.paradigms.compiler.Compiler`."""

    def compile(self, glossary: Glossary) -> CompiledGlossary:
        """Compile every entry; raises GlossaryError naming file, entry and field."""
        ...


MAX_UPLOAD_ENTRIES = 5_000
"""Entries one CheckGlossary compiles (~2.5 ms each, ~900 bytes of answer each); a bigger file is
checked where it lives, with `tlumach glossary check`."""
MAX_COLUMN_LANGUAGES = 3
MAX_LANGUAGE_CODE_CHARS = 16


@dataclass(frozen=True)
class Upload:
    """A glossary file sent to be checked, not stored."""

    content: bytes
    fmt: str = "yaml"
    column_languages: tuple[str, ...] = ()
    """The languages of a headerless two-column CSV/TSV file's columns (empty: from the header)."""

    def validate(self) -> None:
        """Raise InvalidArgumentError naming the field and the limit for anything unacceptable."""
        if len(self.column_languages) > MAX_COLUMN_LANGUAGES:
            raise InvalidArgumentError(
                "column_languages",
                f"{len(self.column_languages)} codes; at most {MAX_COLUMN_LANGUAGES}",
            )
        for index, code in enumerate(self.column_languages):
            if not 0 < len(code) <= MAX_LANGUAGE_CODE_CHARS or not code.isprintable():
                raise InvalidArgumentError(
                    f"column_languages[{index}]",
                    f"{quoted(code)}: a language code of 1..{MAX_LANGUAGE_CODE_CHARS} "
                    "printable characters, e.g. en",
                )


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a check: the compiled glossary when it has no errors, and every problem."""

    glossary: Glossary | None
    compiled: CompiledGlossary | None
    problems: tuple[Problem, ...]
    over_limit: bool = False
    """The file was refused for its size (bytes, nesting, elements, a cell, entries): the one
    problem says which limit; nothing was validated or compiled."""

    @property
    def ok(self) -> bool:
        """True when nothing stops the glossary from loading."""
        return self.compiled is not None and not any(p.is_error for p in self.problems)

    def reported(self) -> list[Problem]:
        """Every problem, then the compiler's warnings about the entries that compiled."""
        entries = self.compiled.entries if self.compiled else ()
        warnings = [Problem(WARNING, e.entry.id, "", text) for e in entries for text in e.warnings]
        return [*self.problems, *warnings]


def check_glossary(
    data: str | bytes,
    *,
    fmt: str,
    glossary_id: str,
    source: str,
    compiler: GlossaryCompiler,
    column_languages: tuple[str, ...] | None = None,
    max_entries: int | None = None,
) -> CheckResult:
    """Parse, validate and compile `data`, storing nothing; never raises GlossaryError.

    `max_entries` bounds the work of an uploaded file: one with more entries is refused before
    it is validated or compiled (a few milliseconds per entry).
    """
    problems: list[Problem] = []
    glossary: Glossary | None
    try:
        if fmt == "yaml":  # list every structural problem, not only the first
            check_size(data, source)
            text = decode_text(data, source) if isinstance(data, bytes) else data
            glossary, problems = read_yaml(text, glossary_id=glossary_id, source=source)
        else:
            glossary = parse_glossary(
                data,
                fmt=fmt,
                glossary_id=glossary_id,
                source=source,
                column_languages=column_languages,
            )
        if glossary is not None and max_entries is not None:
            _check_entry_count(glossary, max_entries, source)
    except GlossaryLimitError as error:
        return CheckResult(None, None, (problem_from_error(error),), over_limit=True)
    except GlossaryError as error:
        return CheckResult(None, None, (problem_from_error(error),))
    if glossary is None:
        return CheckResult(None, None, tuple(problems))
    problems += validate(glossary)
    compiled = None
    if not any(problem.is_error for problem in problems):
        try:
            compiled = compiler.compile(glossary)
        except GlossaryError as error:
            problems.append(problem_from_error(error))
    return CheckResult(glossary, compiled, tuple(problems))


def check_upload(upload: Upload, compiler: GlossaryCompiler) -> CheckResult:
    """Check a file a caller sent: its fields are checked first, and a file over a size limit is
    refused with InvalidArgumentError naming `content`, before the work that limit bounds."""
    upload.validate()
    result = check_glossary(
        upload.content,
        fmt=upload.fmt,
        glossary_id="uploaded",
        source="request",
        compiler=compiler,
        column_languages=upload.column_languages or None,
        max_entries=MAX_UPLOAD_ENTRIES,
    )
    if result.over_limit:
        raise InvalidArgumentError("content", result.problems[0].message)
    return result


def _check_entry_count(glossary: Glossary, limit: int, source: str) -> None:
    if len(glossary.entries) > limit:
        raise GlossaryLimitError(
            f"{len(glossary.entries)} entries; at most {limit} are checked at once", file=source
        )


def problem_from_error(error: GlossaryError) -> Problem:
    """A GlossaryError as a Problem, its message without the `file .., entry ..:` prefix."""
    message = str(error)
    if error.file or error.entry or error.field:
        message = message.split(": ", 1)[-1]
    return Problem(ERROR, error.entry, error.field, message, error.file)
