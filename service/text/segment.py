"""Plain-text segmentation: paragraphs, lines and sentences, with every byte accounted for."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

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
        "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "mt", "st",
        "ім", "им", "вул", "ул", "просп", "пров", "пер", "пл", "бульв", "наб", "буд", "кв", "пос",
        "смт", "акад", "проф", "ген", "д-р", "св", "гл", "рис", "табл", "див", "напр",
    }
)  # fmt: skip
# Abbreviations of units, money and dates that razdel never lets end a sentence, although in news
# they often do ("...у 2026 р. Вартість", "...140 км/ч. Его"). After a number (or for "обл." after
# the region's name) and before a capitalised word they are read as the end of a sentence.
_UNIT_END = re.compile(
    r"(?:\d\s?(?:р|рр|г|гг|км/год|км/ч|грн|руб|коп|тис|тыс|млн|млрд)|\w\s(?:обл))\."
    r"(?=\s+[«\"„(]?[A-ZА-ЯЁІЇЄҐ])"
)
# Measured with bench/segmentation.py: razdel plus the fixes here beats pysbd on all three languages
# (pysbd has no Ukrainian rules and cuts "2022..." into "2022.." and ".").
_DEFAULT_BACKEND = {"en": "razdel", "uk": "razdel", "ru": "razdel"}
# "м." is a town before a name ("у м. Одеса") but metres after a number ("глибина 5 м."); the same
# for "г." (город/год), "с." (село/секунда) and "п." (пункт/...).
_BEFORE_NAME_UNLESS_NUMBER = frozenset({"м", "г", "с", "п"})
# A month ends a sentence as often as not ("...start in Aug. Poland"), but never before a day.
_BEFORE_NUMBER = frozenset(
    {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
)
_DAY_THEN_SENTENCE = re.compile(r"\d{1,2}\.(?=(\s+)[A-Z])")
_LAST_WORD = re.compile(r"(?<![\w-])([\w-]+)\.[\"'»”)]*\s*$")


@dataclass(frozen=True)
class Piece:
    """A run of the source text; `translate` pieces are single sentences without edge whitespace."""

    text: str
    translate: bool


def split_text(
    text: str, language: str, *, splitter: SentenceSplitter | None = None
) -> list[Piece]:
    """Split `text` into sentences to translate and the layout between them.

    Paragraphs are lines: a newline always ends a sentence, so headlines, bulleted lines and
    datelines without a full stop never merge with the next line. `"".join(p.text) == text`.
    """
    splitter = splitter or sentence_splitter(language)
    pieces: list[Piece] = []
    for match in _LINE.finditer(text):
        pieces.extend(_split_line(match.group(0), splitter))
    return _coalesce(pieces)


def sentence_splitter(language: str, backend: str = "") -> SentenceSplitter:
    """Return the measured-best sentence splitter for `language` (spans into the given text)."""
    chosen = backend or _DEFAULT_BACKEND.get(language, "razdel")
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
        before = body[merged[-1][0] : merged[-1][1]] if merged else ""
        if not (merged and _abbreviation_continues(before, body[begin:end])):
            merged.append((begin, end))
            continue
        # razdel reads "Oct." + "31. That ..." as a list item; the day ends the sentence.
        day = _DAY_THEN_SENTENCE.match(body, begin, end)
        if day is None:
            merged[-1] = (merged[-1][0], end)
        else:
            merged[-1] = (merged[-1][0], day.end())
            merged.append((day.end() + len(day.group(1)), end))
    return merged


def _abbreviation_continues(sentence: str, following: str) -> bool:
    """Whether `sentence` ends in an abbreviation that cannot end it, given what follows."""
    match = _LAST_WORD.search(sentence)
    if match is None:
        return False
    word = match.group(1).lower()
    if word in _BEFORE_NAME_UNLESS_NUMBER:
        return not sentence[: match.start()].rstrip()[-1:].isdigit()
    if word in _BEFORE_NUMBER:
        return following[:1].isdigit()
    return word in _NEVER_FINAL


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
    spans: list[Span] = []
    for sentence in razdel.sentenize(text):
        start = sentence.start
        for match in _UNIT_END.finditer(sentence.text):
            cut = sentence.start + match.end()
            spans.append((start, cut))
            start = cut + len(text[cut:]) - len(text[cut:].lstrip())
        spans.append((start, sentence.stop))
    return spans


@lru_cache(maxsize=8)
def _pysbd_splitter(language: str) -> SentenceSplitter:
    # Only bench/segmentation.py compares pysbd, so it is an extra, imported when asked for.
    try:
        import pysbd
    except ImportError as exc:
        raise ValueError(
            "segmentation backend 'pysbd' needs the bench extra: pip install 'tlumach[bench]'"
        ) from exc
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
