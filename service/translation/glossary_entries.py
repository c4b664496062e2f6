"""The glossary entries a request names: its inline entries compiled, then each named glossary."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from service.errors import GlossaryError, InvalidArgumentError, NotFoundError, quoted
from service.glossary.model import CompiledEntry, Entry, Glossary
from service.glossary.paradigms.compiler import Compiler
from service.glossary.store import GlossaryStore
from service.glossary.validate import validate
from service.translation.request import TranslationRequest

INLINE_GLOSSARY_ID = "inline"


@dataclass(frozen=True)
class RequestEntries:
    """The compiled entries a request names, and what they were compiled from."""

    entries: tuple[CompiledEntry, ...] = ()
    fingerprint: tuple[object, ...] = ()
    """(glossary id, revision) of each named glossary and a digest of the inline entries:
    requests with equal fingerprints are enforced with equal entries."""


def request_entries(
    request: TranslationRequest, compiler: Compiler | None, store: GlossaryStore | None
) -> RequestEntries:
    """The compiled entries a request names: inline entries first, then each glossary.

    Compiling inline entries is CPU work: call this off the event loop.
    """
    entries = list(_inline_entries(request, compiler))
    fingerprint: list[object] = [inline_digest(request.inline_entries)]
    for index, glossary_id in enumerate(request.glossary_ids):
        field = f"glossary_ids[{index}]"
        if store is None:
            raise NotFoundError(
                f"glossary {quoted(glossary_id)} not found: no glossaries loaded", field
            )
        compiled, revision = store.get_revision(glossary_id, field)
        entries.extend(compiled.entries)
        fingerprint.append((glossary_id, revision))
    return RequestEntries(tuple(entries), tuple(fingerprint))


def _inline_entries(
    request: TranslationRequest, compiler: Compiler | None
) -> tuple[CompiledEntry, ...]:
    if not request.inline_entries:
        return ()
    if compiler is None:
        raise InvalidArgumentError("inline_entries", "this server has no glossary compiler")
    glossary = Glossary(INLINE_GLOSSARY_ID, "inline entries", request.inline_entries)
    ids = [entry.id for entry in request.inline_entries]
    for problem in validate(glossary):
        if problem.is_error:
            index = ids.index(problem.entry_id) if problem.entry_id in ids else 0
            raise InvalidArgumentError(
                f"inline_entries[{index}].{problem.field or 'id'}",
                f"entry {quoted(problem.entry_id)}: {problem.message}",
            )
    try:
        return compiler.compile(glossary).entries
    except GlossaryError as exc:
        raise InvalidArgumentError("inline_entries", str(exc)) from exc


def inline_digest(entries: Sequence[Entry]) -> str:
    """A digest of inline entries' content ("" for none): the same entries, the same digest."""
    if not entries:
        return ""
    canonical = json.dumps(
        [dataclasses.asdict(entry) for entry in entries], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
