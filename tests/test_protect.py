"""Protected spans: masked before the model, restored exactly once after it, whatever it did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sentencepiece as spm
from hypothesis import given, settings
from hypothesis import strategies as st

from service.text.protect import mask, restore
from tests.support.opus_fixture import build_opus_release

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("See https://example.com/a?b=1. Now.", ["https://example.com/a?b=1"]),
        (
            "Write to press@kyiv.gov.ua or @kyiv_news #Україна!",
            ["press@kyiv.gov.ua", "@kyiv_news", "#Україна"],
        ),
        ("Use {name}, {{user}}, %s and %(count)d.", ["{name}", "{{user}}", "%s", "%(count)d"]),
        ("Run `ls -la` for <dnt>Big Co</dnt>.", ["`ls -la`", "<dnt>Big Co</dnt>"]),
        ("Ціна 1,5 км, 10 000 грн, 3.5% і $1.5 bn.", ["1,5", "10 000", "3.5%", "$1.5"]),
        ("Засідання 24.02.2024 о 10:00.", ["24.02.2024", "10:00"]),
        ("5 people and 2024 stay for the model", []),
        ("50% discount, #1 seller", ["50%"]),
    ],
)
def test_mask_finds_exactly_the_protected_spans(text: str, spans: list[str]) -> None:
    masked = mask(text)
    assert list(masked.spans) == spans
    for span in spans:
        assert span not in masked.text
    assert restore(masked.text, masked).text == text


def test_bare_integers_stay_visible_and_are_checked() -> None:
    masked = mask("5 people died in 2024.")
    assert masked.text == "5 people died in 2024."
    assert masked.bare_numbers == ("5", "2024")
    assert restore("5 людей загинули у 2024 році.", masked).warnings == ()
    warned = restore("П'ятеро людей загинули у 2024 році.", masked)
    assert "5" in warned.warnings[0]


def test_dropped_span_comes_back_after_its_neighbour_with_a_warning() -> None:
    masked = mask("Visit https://a.example and https://b.example today.")
    first, second = masked.token(0), masked.token(1)
    dropped = restore(f"Відвідайте {first} сьогодні.", masked)
    assert dropped.text == "Відвідайте https://a.example https://b.example сьогодні."
    assert "dropped" in dropped.warnings[0]
    only_second = restore(f"Відвідайте {second} сьогодні.", masked)
    assert only_second.text == "Відвідайте https://a.example https://b.example сьогодні."
    none_left = restore("Відвідайте сьогодні.", masked)
    assert none_left.text == "Відвідайте сьогодні https://a.example https://b.example."


def test_duplicated_and_invented_tokens_are_removed() -> None:
    masked = mask("Call @alice now.")
    token = masked.token(0)
    result = restore(f"{token} {token} {masked.token(7)} зараз.", masked)
    assert result.text.count("@alice") == 1
    assert len(result.warnings) == 2


def test_spaced_or_lowercased_tokens_are_still_found() -> None:
    masked = mask("Read https://x.example now.")
    prefix = masked.prefix
    assert restore(f"Read {prefix[0]} {prefix[1]} 0 now.", masked).text == masked.spans[0].join(
        ["Read ", " now."]
    )
    assert restore(f"Read {prefix.lower()}0 now.", masked).text == "Read https://x.example now."


def test_token_prefix_avoids_text_that_already_contains_it() -> None:
    masked = mask("QZ0 is a code name; see https://x.example")
    assert masked.prefix != "QZ"
    assert restore(masked.text, masked).text == "QZ0 is a code name; see https://x.example"


def test_tokens_survive_a_sentencepiece_round_trip(tmp_path: Path) -> None:
    """The tokens are made of characters any news vocabulary has, so SentencePiece keeps them."""
    gold = [json.loads(line)["text"] for line in (DATA / "segmentation-gold.jsonl").open()]
    lines = (DATA / "langid-news.tsv").read_text(encoding="utf-8").splitlines()[1:]
    corpus = gold + [line.split("\t", 1)[1] for line in lines]
    release = build_opus_release(tmp_path / "opus", corpus)
    processor = spm.SentencePieceProcessor(model_file=str(release / "source.spm"))
    samples = [
        "Mail press@kyiv.gov.ua about {name} at https://example.com by 24.02.2024.",
        "Ціна 1,5 км і 10 000 грн, пише @kyiv_news #Україна.",
    ]
    for sample in samples:
        masked = mask(sample)
        ids = processor.encode(masked.text)
        assert processor.unk_id() not in ids
        assert processor.decode(ids) == masked.text
    # The check can fail: a bracket the corpus never saw does not survive.
    assert processor.unk_id() in processor.encode("⟦0⟧")


_SPAN = st.sampled_from(
    ["https://ex.example/a", "me@ex.example", "@news", "#тег", "{x}", "{{y}}", "%s", "`c`",
     "<dnt>Keep</dnt>", "1,5", "3.5%", "10 000"]
)  # fmt: skip
_WORDS = st.sampled_from(["слово", "word", "і", "and", ",", ".", "—"])


@given(st.lists(st.one_of(_SPAN, _WORDS), min_size=1, max_size=12), st.data())
@settings(max_examples=300, deadline=None)
def test_every_span_comes_back_exactly_once(parts: list[str], data: st.DataObject) -> None:
    sentence = " ".join(parts)
    masked = mask(sentence)
    assert restore(masked.text, masked).text == sentence
    # The model keeps, drops or repeats each token, in any order.
    tokens = [masked.token(i) for i in range(len(masked.spans))]
    fate = data.draw(
        st.lists(st.sampled_from([0, 1, 2]), min_size=len(tokens), max_size=len(tokens))
    )
    output = [t for t, n in zip(tokens, fate, strict=True) for _ in range(n)]
    output = data.draw(st.permutations(output))
    restored = restore("переклад " + " ".join(output) + ".", masked)
    for index, span in enumerate(masked.spans):
        expected = sum(s == span for s in masked.spans)
        assert restored.text.count(span) >= 1, index
        assert restored.text.count(span) <= expected + sum(
            span in other for other in masked.spans if other != span
        )
    if any(n != 1 for n in fate):
        assert restored.warnings
