"""Finding inputs: named files, folders walked recursively with globs, or standard input."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

STDIN = "-"


@dataclass(frozen=True)
class InputFile:
    """One input; `relative` is its path under the folder it was found in (its name otherwise)."""

    path: Path | None
    """None for standard input."""
    relative: PurePosixPath

    @property
    def label(self) -> str:
        """How logs and reports name the input."""
        return "<stdin>" if self.path is None else str(self.path)


class InputError(ValueError):
    """An input named on the command line does not exist or cannot be read."""


def discover(
    inputs: Sequence[str],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip_under: Path | None = None,
) -> list[InputFile]:
    """Inputs in command-line order, folders sorted; globs filter files found inside folders.

    A glob with a slash matches the path under the folder, one without matches the file name.
    Hidden files and folders, symbolic links that leave the folder, and anything under
    `skip_under` (the output folder) are left out.
    """
    found: list[InputFile] = []
    for name in inputs:
        if name == STDIN:
            found.append(InputFile(None, PurePosixPath("stdin.txt")))
            continue
        path = Path(name)
        if path.is_dir():
            found.extend(_walk(path, include, exclude, skip_under))
        elif path.is_file():
            found.append(InputFile(path, PurePosixPath(path.name)))
        else:
            raise InputError(f"input {name}: no such file or folder")
    return found


def _walk(
    root: Path, include: Sequence[str], exclude: Sequence[str], skip_under: Path | None
) -> Iterator[InputFile]:
    real_root = root.resolve()
    skip = skip_under.resolve() if skip_under else None
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and Path(folder, d).resolve() != skip
        )
        for file_name in sorted(files):
            path = Path(folder, file_name)
            relative = PurePosixPath(path.relative_to(root).as_posix())
            if file_name.startswith(".") or not _selected(relative, include, exclude):
                continue
            # A link may point anywhere; only files that really live under the folder are read.
            if not path.resolve().is_relative_to(real_root):
                continue
            yield InputFile(path, relative)


def _selected(relative: PurePosixPath, include: Sequence[str], exclude: Sequence[str]) -> bool:
    def matches(pattern: str) -> bool:
        subject = str(relative) if "/" in pattern else relative.name
        return fnmatch.fnmatchcase(subject, pattern)

    if include and not any(matches(p) for p in include):
        return False
    return not any(matches(p) for p in exclude)
