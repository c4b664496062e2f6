"""Glossary files in and out: YAML (the native format), CSV/TSV, TBX v2/v3 and TMX imports."""

from __future__ import annotations

from service.glossary.io_yaml import dump_yaml, load_glossary, parse_yaml, read_yaml

__all__ = ["dump_yaml", "load_glossary", "parse_yaml", "read_yaml"]
