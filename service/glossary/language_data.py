"""Per-language word lists kept as YAML in a `data/` folder beside the code that reads them.

The files are package data (they travel in the wheel) and are read on first use, never at
import. A malformed file is a fault of the package, not of a caller: it fails loudly.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

Groups = list[tuple[tuple[str, ...], tuple[str, ...]]]
"""(cases, words) pairs, in file order."""


def read_language_file(package: str, language: str) -> dict[str, Any]:
    """The mapping in `<package>/data/<language>.yaml` (a missing file is an error: lists that
    silently came back empty would change what the service does)."""
    source = resources.files(package).joinpath("data", f"{language}.yaml")
    loaded = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    if not isinstance(loaded, dict):
        raise TypeError(f"{source}: must be a mapping of list names to word lists")
    return loaded


def words(table: dict[str, Any], name: str) -> tuple[str, ...]:
    """The list `name` of a language file (empty when the file has none)."""
    found = table.get(name, [])
    if not isinstance(found, list) or not all(isinstance(word, str) for word in found):
        raise TypeError(f"language data {name!r}: must be a list of words, got {found!r}")
    return tuple(found)


def named_lists(table: dict[str, Any], name: str) -> dict[str, tuple[str, ...]]:
    """A `{key: [words]}` mapping of a language file."""
    found = table.get(name, {})
    if not isinstance(found, dict):
        raise TypeError(f"language data {name!r}: must map names to word lists")
    return {str(key): words(found, key) for key in found}


def case_groups(table: dict[str, Any], name: str) -> Groups:
    """A `[{cases: [...], words: [...]}]` list of a language file."""
    found = table.get(name, [])
    if not isinstance(found, list) or not all(isinstance(group, dict) for group in found):
        raise TypeError(f"language data {name!r}: must be a list of {{cases, words}} groups")
    return [(words(group, "cases"), words(group, "words")) for group in found]
