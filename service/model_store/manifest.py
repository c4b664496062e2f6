"""The model manifest (`models/models.yaml`): which OPUS-MT release serves which direction."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

from service.errors import ConfigError
from service.model_store.route_plan import plan_routes
from service.vocab import LANGUAGES, PAIRS, PIVOT_LANGUAGE

ENTRY_FIELDS = (
    "name",
    "version",
    "pairs",
    "url",
    "sha256",
    "huggingface",
    "license",
    "target_tokens",
    "notes",  # for people reading the file: accepted, never used
)
REQUIRED_FIELDS = ("name", "version", "pairs", "url", "license")
# The id names the install directory models/<id>/, so it must be one safe path component.
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_HF_REPO = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_TARGET_TOKEN = re.compile(r"^>>[A-Za-z_]{2,12}<<$")


@dataclass(frozen=True)
class ModelSource:
    """One manifest entry: a release to download and the directions it serves."""

    id: str
    name: str
    version: str
    pairs: tuple[str, ...]
    url: str
    license: str
    sha256: str | None = None
    huggingface: str | None = None
    target_tokens: Mapping[str, str] = field(default_factory=dict)

    @property
    def archive_name(self) -> str:
        """File name of the release archive, taken from the URL path."""
        return PurePosixPath(urlsplit(self.url).path).name


@dataclass(frozen=True)
class Manifest:
    """Every configured release, and the language that unconfigured directions pivot through."""

    path: Path
    entries: tuple[ModelSource, ...]
    pivot: str | None = PIVOT_LANGUAGE

    def entry_for(self, pair: str) -> ModelSource | None:
        """The entry that serves `pair` directly, if any."""
        return next((entry for entry in self.entries if pair in entry.pairs), None)

    def pivot_legs(self, pair: str) -> tuple[str, str] | None:
        """The two directions that serve `pair` through the pivot language, when it pivots."""
        legs = self._routes().get(pair, ())
        return (legs[0], legs[1]) if len(legs) == 2 else None

    def _routes(self) -> dict[str, tuple[str, ...]]:
        return plan_routes((pair for entry in self.entries for pair in entry.pairs), self.pivot)

    def select(self, pairs: Iterable[str]) -> list[ModelSource]:
        """Entries needed to serve `pairs` (all entries when empty), pivot legs included."""
        wanted = list(pairs)
        if not wanted:
            return list(self.entries)
        chosen: dict[str, ModelSource] = {}
        for pair in wanted:
            for leg in self._legs(pair):
                entry = self.entry_for(leg)
                assert entry is not None  # _legs only returns configured directions
                chosen.setdefault(entry.id, entry)
        return list(chosen.values())

    def _legs(self, pair: str) -> tuple[str, ...]:
        if pair not in PAIRS:
            raise ConfigError(f"pair {pair!r} is not accepted; use one of: {', '.join(PAIRS)}")
        legs = self._routes().get(pair)
        if legs is None:
            raise ConfigError(
                f"{self.path}: no entry serves {pair} and it cannot pivot through "
                f"{self.pivot or '(pivot disabled)'}; add an entry whose pairs include {pair}"
            )
        return legs


def load_manifest(path: Path) -> Manifest:
    """Read and validate a manifest file; errors name the entry and the field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read manifest {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"manifest {path} is not valid YAML: {exc}") from exc
    return parse_manifest(raw, path)


def parse_manifest(raw: Any, path: Path) -> Manifest:
    """Validate an already-parsed manifest mapping (see `load_manifest`)."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: must be a mapping with a `models` section")
    unknown = sorted(set(raw) - {"schema", "pivot", "models"})
    if unknown:
        raise ConfigError(f"{path}: unknown top-level field(s) {unknown}; accepted: pivot, models")
    pivot = raw.get("pivot", PIVOT_LANGUAGE)
    if pivot is not None and pivot not in LANGUAGES:
        raise ConfigError(f"{path}: field pivot={pivot!r}; use one of {LANGUAGES} or null")
    models = raw.get("models")
    if not isinstance(models, dict) or not models:
        raise ConfigError(f"{path}: field models must map entry ids to releases")
    entries = tuple(_parse_entry(path, str(key), value) for key, value in models.items())
    _check_unique_pairs(path, entries)
    return Manifest(path=path, entries=entries, pivot=pivot)


def _fail(path: Path, entry: str, field_name: str, message: str) -> ConfigError:
    return ConfigError(f"{path}: entry {entry}, field {field_name}: {message}")


def _parse_entry(path: Path, entry_id: str, raw: Any) -> ModelSource:
    if not _ID.match(entry_id):
        raise _fail(path, entry_id, "id", "must be lowercase letters, digits, '.', '_' or '-'")
    if not isinstance(raw, dict):
        raise _fail(path, entry_id, "(entry)", "must be a mapping of field: value")
    unknown = sorted(set(raw) - set(ENTRY_FIELDS))
    if unknown:
        raise _fail(path, entry_id, unknown[0], f"unknown; accepted: {', '.join(ENTRY_FIELDS)}")
    for name in REQUIRED_FIELDS:
        if raw.get(name) in (None, ""):
            raise _fail(path, entry_id, name, "is required")
    pairs = _pairs(path, entry_id, raw["pairs"])
    return ModelSource(
        id=entry_id,
        name=_text(path, entry_id, "name", raw["name"]),
        version=_version(path, entry_id, raw["version"]),
        pairs=pairs,
        url=_url(path, entry_id, raw["url"]),
        license=_text(path, entry_id, "license", raw["license"]),
        sha256=_sha256(path, entry_id, raw.get("sha256")),
        huggingface=_huggingface(path, entry_id, raw.get("huggingface")),
        target_tokens=_target_tokens(path, entry_id, raw.get("target_tokens"), pairs),
    )


def _text(path: Path, entry: str, name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, entry, name, f"must be a non-empty string (got {value!r})")
    return value.strip()


def _version(path: Path, entry: str, value: Any) -> str:
    # YAML reads an unquoted 2020-01-08 as a date; accept it as the release tag it means.
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _text(path, entry, "version", value)


def _pairs(path: Path, entry: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _fail(path, entry, "pairs", "must be a non-empty list such as [en-uk]")
    for pair in value:
        if pair not in PAIRS:
            raise _fail(path, entry, "pairs", f"{pair!r} is not one of {', '.join(PAIRS)}")
    if len(set(value)) != len(value):
        raise _fail(path, entry, "pairs", "lists a pair twice")
    return tuple(value)


def _url(path: Path, entry: str, value: Any) -> str:
    text = _text(path, entry, "url", value)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or not parts.path.strip("/"):
        raise _fail(path, entry, "url", f"must be an http(s) address of an archive (got {text!r})")
    return text


def _sha256(path: Path, entry: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _SHA256.match(value.lower()):
        raise _fail(path, entry, "sha256", f"must be 64 hex digits or null (got {value!r})")
    return value.lower()


def _huggingface(path: Path, entry: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _HF_REPO.match(value):
        raise _fail(path, entry, "huggingface", f"must be 'owner/name' (got {value!r})")
    return value


def _target_tokens(path: Path, entry: str, value: Any, pairs: tuple[str, ...]) -> dict[str, str]:
    tokens = value or {}
    if not isinstance(tokens, dict):
        raise _fail(path, entry, "target_tokens", "must map a target language to a token")
    targets = {pair.split("-")[1] for pair in pairs}
    for language, token in tokens.items():
        if language not in targets:
            raise _fail(
                path,
                entry,
                "target_tokens",
                f"language {language!r} is not a target of pairs {list(pairs)}",
            )
        if not isinstance(token, str) or not _TARGET_TOKEN.match(token):
            raise _fail(path, entry, "target_tokens", f"{token!r} is not of the form >>ukr<<")
    if tokens and set(tokens) != targets:
        missing = sorted(targets - set(tokens))
        raise _fail(path, entry, "target_tokens", f"missing a token for {', '.join(missing)}")
    if not tokens and len(targets) > 1:
        # A multi-target OPUS-MT model picks its output language only from the token.
        raise _fail(path, entry, "target_tokens", f"required: the model has targets {targets}")
    return {str(language): str(token) for language, token in tokens.items()}


def _check_unique_pairs(path: Path, entries: tuple[ModelSource, ...]) -> None:
    owner: dict[str, str] = {}
    for entry in entries:
        for pair in entry.pairs:
            if pair in owner:
                raise _fail(
                    path, entry.id, "pairs", f"{pair} is already served by entry {owner[pair]}"
                )
            owner[pair] = entry.id
