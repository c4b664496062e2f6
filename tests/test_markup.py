"""Markdown and HTML: only text reaches the model; markup, code and URLs come back as sent."""

from __future__ import annotations

from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.errors import InvalidArgumentError
from service.text.markup import parse

HTML = """<!DOCTYPE html><html><head><title>Hello world</title><style>p{color:red}</style></head>
<body><h1 class="x">Big news today.</h1>
<p>Mr. Smith read <a href="https://x.example" title="The source">the report</a> on Monday. It was
<b>long</b> &amp; dull.</p>
<p translate="no">Do not touch.</p>
<p>Run <code>ls -la</code> now. <img src="a.png" alt="A cat"> <span class="notranslate">Brand
X</span> is great.</p>
<script>var a = "<p>no</p>";</script>
</body></html>"""


def test_html_units_are_text_and_attributes_only() -> None:
    doc = parse(HTML, "html", "en")
    assert doc.units == [
        "Hello world",
        "Big news today.",
        "The source",
        "Mr. Smith read QZ0the reportQZ1 on Monday.",
        "It was QZ0longQZ1 & dull.",
        "A cat",
        "Run QZ0 now. QZ1 QZ2 is great.",
    ]
    # A newline inside a sentence is a space in HTML; the sentence comes back on one line.
    assert doc.render(doc.units) == HTML.replace("It was\n<b>", "It was <b>")


def test_html_render_escapes_translations_and_keeps_markup() -> None:
    doc = parse(HTML, "html", "en")
    out = doc.render_report([u.upper().replace("QZ", "QZ") for u in doc.units])
    assert '<a href="https://x.example" title="THE SOURCE">THE REPORT</a>' in out.text
    assert "<b>LONG</b> &amp; DULL." in out.text
    assert '<p translate="no">Do not touch.</p>' in out.text
    assert '<span class="notranslate">Brand\nX</span>' in out.text
    assert '<script>var a = "<p>no</p>";</script>' in out.text
    assert 'alt="A CAT"' in out.text
    assert out.warnings == ()
    malicious = doc.render(["<script>x</script>" if i == 1 else u for i, u in enumerate(doc.units)])
    assert '<h1 class="x">&lt;script>x&lt;/script></h1>' in malicious


def test_html_inline_tags_dropped_by_the_model_come_back_once() -> None:
    doc = parse("<p>Read <b>this</b> now.</p>", "html", "en")
    assert doc.units == ["Read QZ0thisQZ1 now."]
    out = doc.render_report(["Прочитайте це QZ1 зараз."])
    assert out.text.count("<b>") == 1
    assert out.text.count("</b>") == 1
    assert out.warnings


MARKDOWN = """# Big news today

Mr. Smith read **the report** on Monday. It was *long* and [dull](https://x.example/a_(b) "T").

- First item. Second sentence.
- Item with `code()` inside.

> Quote line one.
> Quote line two.

```
code block stays
```

| Name | Value |
|------|-------|
| Apples | Many |

See <https://auto.example> and ![a cat](cat.png).
"""


def test_markdown_units_and_exact_rebuild() -> None:
    doc = parse(MARKDOWN, "markdown", "en")
    assert doc.units == [
        "Big news today",
        "Mr. Smith read QZ0the reportQZ1 on Monday.",
        "It was QZ0longQZ1 and QZ2dullQZ3.",
        "First item.",
        "Second sentence.",
        "Item with QZ0 inside.",
        "Quote line one.",
        "Quote line two.",
        "Name",
        "Value",
        "Apples",
        "Many",
        "See QZ0 and QZ1.",
    ]
    assert doc.render(doc.units) == MARKDOWN
    upper = doc.render([u.upper() for u in doc.units])
    assert '[DULL](https://x.example/a_(b) "T")' in upper
    assert "```\ncode block stays\n```" in upper
    assert "<https://auto.example>" in upper
    assert "`code()`" in upper


def test_unknown_format_names_the_field() -> None:
    with pytest.raises(InvalidArgumentError, match=r"text_format.*plain, markdown, html"):
        parse("x", "rtf", "en")


def _unwrap(text: str) -> str:
    """Words in order: a reflowed sentence keeps every word but not its line breaks."""
    return " ".join(text.split())


_PIECES = st.sampled_from(
    ["Word", "слово", ". ", "! ", "\n", "\n\n", "  ", "**", "*", "`", "[a](b)", "<b>", "</b>",
     "<p>", "</p>", "&amp;", "# ", "- ", "> ", "1. ", "<!-- c -->", "<br>", "\t", "|"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=40), st.sampled_from(["plain", "markdown", "html"]))
@settings(max_examples=300, deadline=None)
def test_any_input_rebuilds_exactly_and_keeps_paragraphs(pieces: list[str], fmt: str) -> None:
    text = "".join(pieces)
    doc = parse(text, fmt, "en")
    rendered = doc.render(doc.units)
    if fmt == "plain":
        assert rendered == text
    else:
        # A sentence wrapped over lines is one sentence: it comes back on one line, every word
        # kept; blank-line paragraphs are checked below. HTML may spell a character as an
        # entity or bare ("&" vs "&amp;"): same text.
        assert _unwrap(unescape(rendered)) == _unwrap(unescape(text))
    assert rendered.count("\n\n") == text.count("\n\n")
    assert len(rendered.split("\n\n")) == len(text.split("\n\n"))
