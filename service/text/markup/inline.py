"""A run of inline content (text and inline tags) cut into sentence units with tags as tokens."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from service.text.markup.parsed import ParsedTextBuilder, Part
from service.text.protect import Masked, free_prefix, restore
from service.text.segment import split_text

Escape = Callable[[str], str]


@dataclass(frozen=True)
class Atom:
    """Source text (`text` set: what the model reads; `raw`: how it was written) or inline markup
    (`text` None), whose `raw` parts may hold translated attributes."""

    raw: tuple[Part, ...]
    text: str | None = None


def add_run(
    builder: ParsedTextBuilder, atoms: Sequence[Atom], language: str, escape: Escape
) -> None:
    """Append a run: sentences become units; markup at a sentence's edge stays literal, markup
    inside it travels as a token the model copies and is put back where the model left it."""
    starts, plain = _layout(atoms)
    taken = [False] * len(atoms)
    cursor = 0
    for piece in split_text(plain, language):
        end = cursor + len(piece.text)
        if piece.translate:
            _emit_tags_at(builder, atoms, starts, taken, cursor)
            _add_sentence(builder, atoms, starts, taken, (cursor, end), escape)
        else:
            _emit_range(builder, atoms, starts, taken, (cursor, end), escape)
        cursor = end
    _emit_range(builder, atoms, starts, taken, (cursor, cursor), escape)


def _layout(atoms: Sequence[Atom]) -> tuple[list[int], str]:
    starts, texts, offset = [], [], 0
    for atom in atoms:
        starts.append(offset)
        if atom.text is not None:
            texts.append(atom.text)
            offset += len(atom.text)
    return starts, "".join(texts)


def _emit_tags_at(
    builder: ParsedTextBuilder, atoms: Sequence[Atom], starts: list[int], taken: list[bool], at: int
) -> None:
    for i, atom in enumerate(atoms):
        if atom.text is None and not taken[i] and starts[i] <= at:
            _literal_parts(builder, atom.raw)
            taken[i] = True


def _emit_range(
    builder: ParsedTextBuilder,
    atoms: Sequence[Atom],
    starts: list[int],
    taken: list[bool],
    span: tuple[int, int],
    escape: Escape,
) -> None:
    """Everything of the source between two sentences, as written."""
    begin, end = span
    for i, atom in enumerate(atoms):
        if atom.text is None:
            if not taken[i] and starts[i] <= end:
                _literal_parts(builder, atom.raw)
                taken[i] = True
            continue
        lo, hi = max(begin, starts[i]), min(end, starts[i] + len(atom.text))
        if lo < hi:
            builder.literal(_source_slice(atom, lo - starts[i], hi - starts[i], escape))


def _add_sentence(
    builder: ParsedTextBuilder,
    atoms: Sequence[Atom],
    starts: list[int],
    taken: list[bool],
    span: tuple[int, int],
    escape: Escape,
) -> None:
    begin, end = span
    plain = "".join(a.text or "" for a in atoms)[begin:end]
    prefix = free_prefix(plain) or "QZ"
    unit: list[str] = []
    tags: list[tuple[Part, ...]] = []
    for i, atom in enumerate(atoms):
        if atom.text is None:
            if not taken[i] and begin < starts[i] < end:
                unit.append(f"{prefix}{len(tags)}")
                tags.append(atom.raw)
                taken[i] = True
            continue
        lo, hi = max(begin, starts[i]), min(end, starts[i] + len(atom.text))
        if lo < hi:
            unit.append(atom.text[lo - starts[i] : hi - starts[i]])
    builder.add_unit("".join(unit), _finisher(tuple(tags), prefix, escape))


def _finisher(
    tags: tuple[tuple[Part, ...], ...], prefix: str, escape: Escape
) -> Callable[[str, Callable[[int], str], list[str]], str]:
    def finish(translation: str, finished: Callable[[int], str], warnings: list[str]) -> str:
        if not tags:
            return escape(translation)
        spans = tuple("".join(p if isinstance(p, str) else finished(p) for p in t) for t in tags)
        restored = restore(escape(translation), Masked("", spans, prefix))
        warnings.extend(w.replace("protected span", "inline markup") for w in restored.warnings)
        return restored.text

    return finish


def _source_slice(atom: Atom, lo: int, hi: int, escape: Escape) -> str:
    raw = "".join(p for p in atom.raw if isinstance(p, str))
    text = atom.text or ""
    if len(raw) == len(text) and all(r == t or r == "\n" for r, t in zip(raw, text, strict=True)):
        return raw[lo:hi]
    if lo == 0 and hi == len(text):
        return raw
    return escape(text[lo:hi])


def _literal_parts(builder: ParsedTextBuilder, parts: tuple[Part, ...]) -> None:
    for part in parts:
        if isinstance(part, str):
            builder.literal(part)
        else:
            builder.parts.append(part)
