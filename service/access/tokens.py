"""The bearer-token file: SHA-256 digests of tokens, each with its id, allowed rpcs and quotas."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from service.errors import ConfigError

# The id is the only trace of a caller in logs, so it is short and plain: nothing a log reader
# could mistake for structure, nothing long enough to smuggle a secret in.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
DIGEST_PATTERN = re.compile(r"[0-9a-f]{64}")
QUOTA_FIELDS = ("requests_per_minute", "characters_per_minute")
ENTRY_FIELDS = frozenset({"id", "sha256", "rpcs", *QUOTA_FIELDS})
MAX_QUOTA = 10**12
EMPTY_DIGEST = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True)
class Quota:
    """Per-minute allowances of one caller; 0 means unlimited."""

    requests_per_minute: int = 0
    characters_per_minute: int = 0


@dataclass(frozen=True)
class Caller:
    """One token's owner: the operator's short id, the rpcs it may call (None = all), its quota."""

    id: str
    rpcs: frozenset[str] | None
    quota: Quota

    def may_call(self, rpc: str) -> bool:
        """Whether this caller may call the rpc (a TranslationService method name)."""
        return self.rpcs is None or rpc in self.rpcs


def token_digest(token: str) -> bytes:
    """The SHA-256 digest stored in the token file (its hex form) for a token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


class TokenTable:
    """Known tokens; `match` compares a presented token with every one in constant time."""

    def __init__(self, entries: Sequence[tuple[bytes, Caller]]) -> None:
        self._entries = tuple(entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def callers(self) -> tuple[Caller, ...]:
        """Every caller, in file order."""
        return tuple(caller for _, caller in self._entries)

    def match(self, token: str) -> Caller | None:
        """The caller whose token this is, or None.

        Every digest is compared, with `hmac.compare_digest`, whether or not one matched earlier,
        so the time taken says nothing about which digest (or how much of it) was close.
        """
        presented = token_digest(token)
        found: Caller | None = None
        for digest, caller in self._entries:
            if hmac.compare_digest(presented, digest) and found is None:
                found = caller
        return found


def load_token_file(path: Path, known_rpcs: frozenset[str]) -> TokenTable:
    """Parse and check a token file; ConfigError names the file, entry and field at fault."""
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"token file {path}: cannot read it: {_first_line(exc)}") from exc
    if not isinstance(loaded, dict) or not isinstance(loaded.get("tokens"), list):
        raise ConfigError(f"token file {path}: must be a mapping with a list under 'tokens'")
    unknown = sorted(set(loaded) - {"tokens", "defaults"})
    if unknown:
        raise ConfigError(f"token file {path}: unknown key(s) {', '.join(map(str, unknown))}")
    defaults = _quota_defaults(path, loaded.get("defaults") or {})
    entries: list[tuple[bytes, Caller]] = []
    seen_ids: set[str] = set()
    seen_digests: set[bytes] = set()
    for index, raw in enumerate(loaded["tokens"]):
        digest, caller = _entry(path, index, raw, defaults, known_rpcs)
        if caller.id in seen_ids:
            raise ConfigError(f"token file {path}: entry {caller.id}: field id: used twice")
        if digest in seen_digests:
            raise ConfigError(f"token file {path}: entry {caller.id}: field sha256: used twice")
        seen_ids.add(caller.id)
        seen_digests.add(digest)
        entries.append((digest, caller))
    return TokenTable(entries)


def _entry(
    path: Path, index: int, raw: Any, defaults: Mapping[str, int], known_rpcs: frozenset[str]
) -> tuple[bytes, Caller]:
    where = f"token file {path}: entry #{index + 1}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be a mapping with id and sha256")
    unknown = sorted(set(raw) - ENTRY_FIELDS)
    if unknown:
        accepted = ", ".join(sorted(ENTRY_FIELDS))
        raise ConfigError(f"{where}: unknown field(s) {', '.join(map(str, unknown))}; {accepted}")
    caller_id = raw.get("id")
    if not isinstance(caller_id, str) or not ID_PATTERN.fullmatch(caller_id):
        raise ConfigError(f"{where}: field id: 1-32 of a-z 0-9 . _ -, starting with a letter/digit")
    where = f"token file {path}: entry {caller_id}"
    digest = raw.get("sha256")
    if not isinstance(digest, str) or not DIGEST_PATTERN.fullmatch(digest.lower()):
        raise ConfigError(f"{where}: field sha256: 64 hex digits, the SHA-256 of the token")
    if digest.lower() == EMPTY_DIGEST:
        raise ConfigError(f"{where}: field sha256: that is the SHA-256 of an empty token")
    rpcs = _rpcs(where, raw.get("rpcs"), known_rpcs)
    quota = Quota(
        **{name: _quota(where, name, raw.get(name, defaults[name])) for name in QUOTA_FIELDS}
    )
    return bytes.fromhex(digest), Caller(caller_id, rpcs, quota)


def _rpcs(where: str, value: Any, known: frozenset[str]) -> frozenset[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: field rpcs: a list of rpc names, e.g. [Translate]")
    unknown = sorted(set(value) - known)
    if unknown:
        accepted = ", ".join(sorted(known))
        raise ConfigError(
            f"{where}: field rpcs: unknown {', '.join(unknown)}; accepted: {accepted}"
        )
    return frozenset(value)


def _quota_defaults(path: Path, raw: Any) -> dict[str, int]:
    where = f"token file {path}: defaults"
    if not isinstance(raw, dict) or set(raw) - set(QUOTA_FIELDS):
        raise ConfigError(f"{where}: a mapping of {', '.join(QUOTA_FIELDS)}")
    return {name: _quota(where, name, raw.get(name, 0)) for name in QUOTA_FIELDS}


def _quota(where: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_QUOTA:
        raise ConfigError(f"{where}: field {name}: a whole number 0..{MAX_QUOTA} (0 = unlimited)")
    return int(value)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
