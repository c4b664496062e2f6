"""Plain-text segmentation: paragraphs, lines and sentences, with every byte accounted for."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import pysbd
import razdel

Span = tuple[int, int]
SentenceSplitter = Callable[[str], list[Span]]

# A line that starts with a list marker keeps the marker out of the model's input: the model would
# otherwise translate "1." or "•" into something else or drop it.
_BULLET = re.compile(r"(?:[-*•‣◦▪–—]|\d{1,3}[.)]|[a-zа-яіїєґ][.)])[ \t]+", re.IGNORECASE)
_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_EDGE_SPACE = re.compile(r"^\s*|\s*$")

# Abbreviations that stand before a name and therefore never end a sentence, even when the next
# word is capitalised ("вул. ім. Шевченка", "Mr. Smith"). razdel and pysbd miss some of these for
# Ukrainian; measured on tests/data/segmentation-gold.jsonl (bench/segmentation.py).
_NEVER_FINAL = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "mt",
        "ім", "им", "вул", "ул", "просп", "пров", "пер", "пл", "бульв", "наб", "буд", "кв",
        "смт", "акад", "проф", "ген", "д-р", "св", "гл", "рис", "табл", "див", "напр",
    }
)  # fmt: skip
# Chosen by bench/segmentation.py on the gold file; see the README's segmentation table.
_DEFAULT_BACKEND = "razdel"
_LAST_WORD = re.compile(r"([\w-]+)\.[\"'»”)]*\s*$")


@dataclass(frozen=True)
class Piece:
    """A run of the source text; `translate` pieces are single sentences without edge whitespace."""

    text: str
    translate: bool


def split_text(text: str, language: str) -> list[Piece]:
    """Split `text` into sentences to translate and the layout between them.

    Paragraphs are lines: a newline always ends a sentence, so headlines, bulleted lines and
    datelines without a full stop never merge with the next line. `"".join(p.text) == text`.
    """
    splitter = sentence_splitter(language)
    pieces: list[Piece] = []
    for match in _LINE.finditer(text):
        pieces.extend(_split_line(match.group(0), splitter))
    return _coalesce(pieces)


def sentence_splitter(language: str, backend: str = "") -> SentenceSplitter:
    """Return the measured-best sentence splitter for `language` (spans into the given text)."""
    chosen = backend or _DEFAULT_BACKEND
    if chosen == "pysbd":
        return _pysbd_splitter(language)
    if chosen == "razdel":
        return _razdel_spans
    raise ValueError(f"unknown segmentation backend {backend!r}; accepted: pysbd, razdel")


def split_long(sentence: str, max_chars: int) -> list[str]:
    """Cut an over-long sentence into pieces of at most `max_chars`, concatenating to `sentence`.

    Cuts prefer clause punctuation followed by a space, then any whitespace; whitespace stays at
    the end of the piece before the cut. Only a single word longer than `max_chars` (a URL, a
    hash) is cut inside itself, because the alternative is the model truncating it.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    pieces: list[str] = []
    rest = sentence
    while len(rest) > max_chars:
        cut = _best_cut(rest, max_chars)
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


def _best_cut(text: str, max_chars: int) -> int:
    window = text[: max_chars + 1]
    for pattern in (r"[,;:)\]»”][ \t]+", r"[ \t]+[–—-][ \t]+", r"\s+"):
        cuts = [m.end() for m in re.finditer(pattern, window) if 0 < m.end() <= max_chars]
        # A cut in the first quarter would leave almost everything for the next round.
        good = [c for c in cuts if c >= max_chars // 4]
        if good:
            return good[-1]
    return max_chars


def _split_line(line: str, splitter: SentenceSplitter) -> Iterator[Piece]:
    body = line.rstrip()
    start = len(body) - len(body.lstrip())
    if start:
        yield Piece(body[:start], False)
    bullet = _BULLET.match(body, start)
    if bullet and bullet.end() < len(body):
        yield Piece(bullet.group(0), False)
        start = bullet.end()
    cursor = start
    for begin, end in _merge_abbreviations(body, splitter(body[start:]), start):
        if begin > cursor:
            yield Piece(body[cursor:begin], False)
        sentence = body[begin:end]
        yield Piece(sentence, any(ch.isalpha() for ch in sentence))
        cursor = end
    if cursor < len(line):
        yield Piece(line[cursor:], False)


def _merge_abbreviations(body: str, spans: list[Span], offset: int) -> list[Span]:
    merged: list[Span] = []
    for begin, end in ((b + offset, e + offset) for b, e in spans):
        if merged and _ends_with_prefix_abbreviation(body[merged[-1][0] : merged[-1][1]]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((begin, end))
    return merged


def _ends_with_prefix_abbreviation(sentence: str) -> bool:
    match = _LAST_WORD.search(sentence)
    return match is not None and match.group(1).lower() in _NEVER_FINAL


def _coalesce(pieces: list[Piece]) -> list[Piece]:
    """Join neighbouring layout pieces so callers see one gap between two sentences."""
    out: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if out and not piece.translate and not out[-1].translate:
            out[-1] = Piece(out[-1].text + piece.text, False)
        else:
            out.append(piece)
    return out


def _razdel_spans(text: str) -> list[Span]:
    return [(s.start, s.stop) for s in razdel.sentenize(text)]


@lru_cache(maxsize=8)
def _pysbd_splitter(language: str) -> SentenceSplitter:
    # pysbd has no Ukrainian rules; its Russian rules are the closest.
    code = {"uk": "ru"}.get(language, language if language in ("en", "ru") else "en")
    segmenter = pysbd.Segmenter(language=code, clean=False, char_span=True)

    def spans(text: str) -> list[Span]:
        found: list[Span] = []
        for item in segmenter.segment(text):
            stripped = _EDGE_SPACE.sub("", item.sent)
            if stripped:
                begin = item.start + (len(item.sent) - len(item.sent.lstrip()))
                found.append((begin, begin + len(stripped)))
        return found

    return spans
