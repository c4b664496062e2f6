"""The fuzz campaign's request strategies, the property every answer must have, and its tally.

Strategies mix well-formed values (so that fuzzed requests reach deep into the pipeline) with
values at and past the limits, wrong enums, odd Unicode and hostile entries. The property: an
rpc answers OK or a caller error (INVALID_ARGUMENT naming the field, NOT_FOUND naming it,
RESOURCE_EXHAUSTED, FAILED_PRECONDITION for a direction not served), never INTERNAL, UNKNOWN or
a crash; and an unrelated call answers after it.

Profiles (tests/conftest.py): `ci` by default, `long` for bench/reliability.py, chosen with
`--hypothesis-profile=long` or TLUMACH_FUZZ_PROFILE=long (TLUMACH_FUZZ_EXAMPLES sets its size).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import grpc
from hypothesis import settings
from hypothesis import strategies as st

from service.pb import translation_pb2 as pb

# The fuzzed server's limits (the bench starts `tlumach serve` with the same ones): small, so that
# examples reach them; the total is below 16 texts of the maximum size.
MAX_TEXTS = 16
MAX_TEXT_CHARS = 5000
MAX_REQUEST_CHARS = 20_000
CALL_TIMEOUT_S = 120.0

SENTENCES = (
    "Ukrainian troops advanced 2 km into the Kursk region.",
    "Russian drones attacked Sudzha overnight.",
    "Oleksandr Syrskyi said the situation in Pokrovsk remains difficult.",
    "Українські війська просунулися на 2 км у Курську область.",
    "За словами Сирського, ситуація у Суджі складна.",
    "Украинские войска продвинулись на 2 км в Курскую область.",
    "See https://example.org/a?b=1 or mail desk@example.org, {name} %s `code`.",
    "<p>Drones <b>attacked</b> the city &amp; its <a href='x' title='port'>port</a>.</p>",
    "# Title\n\n- item *one*\n- item `two`\n\n> quote [link](http://x.y)",
)
# Characters that stress the checks: controls, zero-width, bidi overrides, combining marks,
# look-alike letters, markup and protected-span characters. (Surrogates cannot be sent.)
ODD = (
    "\x00\x01\x07\x1b\x7f\x85\u200b\u200c\u200d\u2028\u2029\u202e\u2066\ufeff\u00ad"
    "\u0301\u0308\u0483aceopxАВСЕНКМОРТХ<>&;*_`[](){}#%@/\\|\"'\t\n\r ⟦⟧«»—…"
)
LANGUAGE_VALUES = ("", "en", "uk", "ru", "EN", "ua", "de", "auto", "en-US", "uk\n", "x" * 300)
GLOSSARY_IDS = ("news-ua", "missing", "", "../news-ua", "news ua", "news-ua\n", "й" * 200)
KINDS = ("", "person", "place", "organization", "term", "Person", "robot", "x" * 500)
GENDERS = ("", "masculine", "feminine", "neuter", "plural", "m", "other", "\n")
LETTERS = ("a", "I", "A", "X", "а", "і", "й", "в", "у", "з", "я", "и", "с", "к", "7")
NAMES = {
    "en": ("Sudzha", "Syrskyi", "Kursk region", "Verkhovna Rada", "Kharkiv", "the", "in the"),
    "uk": ("Суджа", "Сирський", "Курська область", "Верховна Рада", "Харків", "на", "та"),
    "ru": ("Суджа", "Сырский", "Курская область", "Верховная Рада", "Харьков", "в", "и"),
}
UINT32_MAX = 2**32 - 1
# What a caller may be told: its own mistakes, a busy server, a direction that is not served.
CALLER_CODES = frozenset(
    {
        grpc.StatusCode.OK,
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        grpc.StatusCode.FAILED_PRECONDITION,
    }
)
# `field: ...`, `field[3]: ...`, `inline_entries[0].terms.uk[1]: ...`, `request: ...`.
_NAMED = re.compile(r"^[a-z_]+(\[|\.|: )")

TALLY: Counter[str] = Counter()
"""Fuzzed calls by `rpc code`, and caller errors by `rpc code field` (indices as [i]), for the
bench's report (tests/conftest.py writes it out)."""
_INDEX = re.compile(r"\[[^\]]*\]")


def fuzz_settings(share: float = 1.0) -> settings:
    """The loaded profile's example count times `share` (slow properties run fewer)."""
    examples = max(5, int(settings.default.max_examples * share))
    return settings(max_examples=examples)


def check_answer(rpc: str, code: grpc.StatusCode, details: str) -> None:
    """The fuzz property for one answer; counts it in TALLY."""
    TALLY[f"{rpc} {code.name}"] += 1
    assert code in CALLER_CODES, f"{rpc} answered {code.name}: {details}"
    if code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND):
        assert _NAMED.match(details), f"{rpc} {code.name} does not name the field: {details}"
        assert len(details) <= 1000, f"{rpc}: a message of {len(details)} characters"
        field = _INDEX.sub("[i]", details.split(": ", 1)[0])
        TALLY[f"{rpc} {code.name} {field}"] += 1


def write_tally(path: Path) -> None:
    """Add this run's tally to the JSON file at `path` (several pytest runs may share one)."""
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    merged = Counter(old) + TALLY
    path.write_text(json.dumps(dict(sorted(merged.items())), indent=1), encoding="utf-8")


def odd_text(max_size: int = 200) -> st.SearchStrategy[str]:
    """Text of any Unicode (no surrogates), biased towards the characters that stress checks."""
    any_char = st.characters(exclude_categories=("Cs",))
    return st.text(st.one_of(any_char, st.sampled_from(ODD)), max_size=max_size)


def texts_of(limit_chars: int) -> st.SearchStrategy[str]:
    """A text to translate: a real sentence, odd text, a mix, or one near the size limit."""
    near_limit = st.integers(limit_chars - 2, limit_chars + 2).map(
        lambda n: ("Drones attacked Kharkiv. " * (n // 25 + 1))[:n]
    )
    mixed = st.lists(st.one_of(st.sampled_from(SENTENCES), odd_text(40)), max_size=5)
    return st.one_of(st.sampled_from(SENTENCES), odd_text(), mixed.map(" ".join), near_limit)


def languages() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(LANGUAGE_VALUES), odd_text(6))


def term_lists(language: str) -> st.SearchStrategy[list[str]]:
    """A term list: real names, single letters, function words, empty, long or odd strings."""
    term = st.one_of(
        st.sampled_from(NAMES.get(language, NAMES["en"])),
        st.sampled_from(LETTERS),
        st.sampled_from(("", " ", "—", "...", "  Суджа", "Суджа ", "Kursk\nregion")),
        st.integers(190, 210).map(lambda n: ("Суджа" * 50)[:n]),
        odd_text(12),
    )
    return st.lists(term, max_size=4)


@st.composite
def inline_entries(draw: st.DrawFn) -> pb.InlineGlossaryEntry:
    """One inline entry: mostly a plausible one with a field or two gone wrong."""
    entry_id = st.sampled_from(("e1", "e2", "sudzha", "", "a b", "x" * 200))
    entry = pb.InlineGlossaryEntry(
        id=draw(st.one_of(entry_id, odd_text(8))),
        kind=draw(st.sampled_from(KINDS)),
        gender=draw(st.sampled_from(GENDERS)),
    )
    codes = st.one_of(st.sampled_from(("en", "uk", "ru")), languages())
    for table in (entry.terms, entry.forbidden):
        for code in draw(st.lists(codes, max_size=3)):
            table[code].terms.extend(draw(term_lists(code)))
    if draw(st.booleans()):
        entry.declinable = draw(st.booleans())
    return entry


def options() -> st.SearchStrategy[pb.TranslateOptions]:
    counts = st.one_of(st.integers(0, 10), st.just(UINT32_MAX))
    return st.builds(
        pb.TranslateOptions,
        beam_size=counts,
        return_term_report=st.booleans(),
        alternatives=counts,
        disable_glossary_enforcement=st.booleans(),
    )


def translate_requests() -> st.SearchStrategy[pb.TranslateRequest]:
    """A Translate request from every field's strategy (texts at and past the limits)."""
    too_many = st.integers(MAX_TEXTS, MAX_TEXTS + 1).map(lambda n: ["Hello."] * n)
    return st.builds(
        pb.TranslateRequest,
        texts=st.one_of(st.lists(texts_of(MAX_TEXT_CHARS), max_size=4), too_many),
        source_language=languages(),
        target_language=languages(),
        glossary_ids=st.lists(st.one_of(st.sampled_from(GLOSSARY_IDS), odd_text(8)), max_size=3),
        inline_entries=st.lists(inline_entries(), max_size=3),
        text_format=st.integers(0, 5),
        options=options(),
        request_id=st.one_of(st.just(""), odd_text(20), st.just("r" * 129)),
    )


@st.composite
def plausible_entries(draw: st.DrawFn) -> pb.InlineGlossaryEntry:
    """An inline entry that passes the checks: a real name in two or three languages."""
    index = draw(st.integers(0, 4))  # the names, not the function words, at the same index
    kind, gender = draw(st.sampled_from((("place", "feminine"), ("person", "masculine"),
                                         ("organization", "feminine"), ("term", ""))))  # fmt: skip
    entry = pb.InlineGlossaryEntry(id=f"e{index}", kind=kind, gender=gender)
    for language in draw(st.lists(st.sampled_from(("en", "uk", "ru")), min_size=2, unique=True)):
        entry.terms[language].terms.append(NAMES[language][index])
    return entry


def plausible_requests() -> st.SearchStrategy[pb.TranslateRequest]:
    """Requests that pass the field checks, so that the text, markup and glossary paths run."""
    entries = st.lists(plausible_entries(), max_size=3, unique_by=lambda e: e.id)
    return st.builds(
        pb.TranslateRequest,
        texts=st.lists(texts_of(MAX_TEXT_CHARS // 4), min_size=1, max_size=3),
        source_language=st.sampled_from(("", "en", "uk", "ru")),
        target_language=st.sampled_from(("en", "uk", "ru")),
        glossary_ids=st.lists(st.just("news-ua"), max_size=1),
        inline_entries=st.one_of(entries, st.lists(inline_entries(), max_size=1)),
        text_format=st.sampled_from((0, 1, 2, 3)),
        options=st.builds(
            pb.TranslateOptions,
            return_term_report=st.booleans(),
            disable_glossary_enforcement=st.booleans(),
            beam_size=st.integers(0, 4),
        ),
    ).filter(lambda r: r.source_language != r.target_language)


def stream_items() -> st.SearchStrategy[list[pb.TranslateStreamRequest]]:
    item_id = st.one_of(st.text(max_size=6), st.just("i" * 129), odd_text(6))
    item = st.builds(
        pb.TranslateStreamRequest,
        item_id=item_id,
        request=st.one_of(translate_requests(), plausible_requests(), plausible_requests()),
    )
    return st.lists(item, min_size=1, max_size=4)


def detect_requests() -> st.SearchStrategy[pb.DetectLanguageRequest]:
    too_many = st.integers(MAX_TEXTS, MAX_TEXTS + 1).map(lambda n: ["Hello."] * n)
    texts = st.one_of(st.lists(texts_of(MAX_TEXT_CHARS), max_size=4), too_many)
    return st.builds(pb.DetectLanguageRequest, texts=texts)


def glossary_ids() -> st.SearchStrategy[str]:
    return st.one_of(st.just("news-ua"), st.sampled_from(GLOSSARY_IDS), odd_text(20))


def wire_bytes(message: Any) -> st.SearchStrategy[bytes]:
    """The serialized message, then maybe cut, spliced with random bytes, or replaced by them."""
    data = message.SerializeToString()

    @st.composite
    def mangled(draw: st.DrawFn) -> bytes:
        how = draw(st.sampled_from(("cut", "splice", "flip", "random")))
        at = draw(st.integers(0, len(data)))
        if how == "cut":
            return data[:at]
        if how == "splice":
            return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        if how == "flip" and data:
            index = min(at, len(data) - 1)
            return (
                data[:index] + bytes([data[index] ^ draw(st.integers(1, 255))]) + data[index + 1 :]
            )
        return draw(st.binary(max_size=64))

    return mangled()
