"""Do-not-translate spans: mask URLs, handles, code, placeholders, numbers; restore them exactly."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.text.offsets import IDENTITY, OffsetMap, OffsetMapBuilder

_CURRENCY = "[$€£₴₽¥]"
# Order matters: earlier kinds win where matches overlap (a URL holds digits, a <dnt> holds a URL).
_KINDS: tuple[tuple[str, str], ...] = (
    ("dnt", r"(?i:<dnt>.*?</dnt>)"),
    ("code", r"`[^`\n]+`"),
    ("mustache", r"\{\{[^{}\n]*\}\}"),
    ("placeholder", r"\{[A-Za-z0-9_.:\-]*\}"),
    ("printf", r"(?<![\d%])%(?:\d+\$)?(?:\([A-Za-z_]\w*\))?[-+0]?\d*(?:\.\d+)?[sdif@](?![A-Za-z])"),
    ("url", r"(?:https?://|ftp://|www\.)[^\s<>\"«»]+[^\s<>\"«».,;:!?)\]'’”]"),
    ("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("handle", r"(?<![\w@])@\w{1,50}"),
    ("hashtag", r"(?<![\w#&])#\w*[^\W\d]\w*"),
    # Numbers; bare integers are dropped again in mask() (see Masked.bare_numbers). Word units
    # (km, грн) stay outside so the model translates them; symbol units travel with the number.
    (
        "number",
        rf"(?<![\w.,:])(?:{_CURRENCY}\s?)?(?:\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}}(?!\d))+|\d+)"
        rf"(?:[.,:]\d+)*(?:\s?(?:%|‰|°[CF]?|{_CURRENCY}))?(?!\w)",
    ),
)
_PATTERN = re.compile("|".join(f"(?P<{name}>{body})" for name, body in _KINDS), re.DOTALL)
# Two capital Latin letters with no Cyrillic look-alike (so a model writing Cyrillic cannot turn
# them into "Х" or "С"), then the index: SentencePiece keeps Latin capitals and digits, and
# Marian copies such name-like tokens through. The first pair absent from the text is used.
_PREFIXES = ("QZ", "ZQ", "QJ", "JQ", "ZJ", "JZ", "QF", "FQ", "ZF", "FZ")
_BARE_INTEGER = re.compile(r"(?<![\w.,])\d+(?![\w]|[.,]\d)")


@dataclass(frozen=True)
class Masked:
    """What the model sees (`text`) and the spans its tokens stand for (`spans[i]` for token i)."""

    text: str
    spans: tuple[str, ...]
    prefix: str
    bare_numbers: tuple[str, ...] = ()
    """Integers left for the model (it needs them for agreement); restore checks they survive."""
    offsets: OffsetMap = IDENTITY
    """Positions of `text` back to the sentence that was masked."""

    def token(self, index: int) -> str:
        return f"{self.prefix}{index}"


@dataclass(frozen=True)
class Restored:
    """The translation with every protected span back in place, and what had to be repaired."""

    text: str
    warnings: tuple[str, ...] = ()


def free_prefix(text: str) -> str:
    """A token prefix that does not occur in `text` ("" when every candidate does)."""
    return next((p for p in _PREFIXES if p.lower() not in text.lower()), "")


def mask(sentence: str) -> Masked:
    """Replace protected spans with tokens the model copies through."""
    prefix = free_prefix(sentence)
    if not prefix:
        # Every candidate occurs in the text: masking could not be undone unambiguously.
        return Masked(sentence, (), "", tuple(_BARE_INTEGER.findall(sentence)))
    spans: list[str] = []
    parts: list[str] = []
    offsets = OffsetMapBuilder()
    cursor = 0
    for match in _PATTERN.finditer(sentence):
        if match.lastgroup == "number" and match.group(0).isdigit():
            continue
        token = f"{prefix}{len(spans)}"
        parts.append(sentence[cursor : match.start()])
        parts.append(token)
        offsets.copy(match.start() - cursor)
        offsets.replace(len(token), match.end() - match.start())
        spans.append(match.group(0))
        cursor = match.end()
    parts.append(sentence[cursor:])
    text = "".join(parts)
    bare = tuple(_BARE_INTEGER.findall(text))
    return Masked(text, tuple(spans), prefix, bare, offsets.build())


def restore(translation: str, masked: Masked) -> Restored:
    """Put every span back exactly once, whatever the model did with the tokens."""
    warnings: list[str] = []
    text = translation
    if masked.spans:
        text = _restore_tokens(translation, masked, warnings)
    missing = [n for n in masked.bare_numbers if not re.search(rf"(?<!\d){n}(?!\d)", text)]
    if missing:
        warnings.append(
            f"number(s) {', '.join(missing)} of the source not found in the translation"
        )
    return Restored(text, tuple(warnings))


def _token_pattern(prefix: str, count: int) -> re.Pattern[str]:
    # Models sometimes space out or lowercase a token ("QZ 0", "qz0"); accept those too. Known
    # indices only, longest first, so a digit written right after a token ("QZ1" + "5") stays.
    indices = "|".join(str(i) for i in sorted(range(count), key=lambda i: -len(str(i))))
    return re.compile(rf"{prefix[0]}\s?{prefix[1]}\s?({indices}|\d+)", re.IGNORECASE)


def _restore_tokens(translation: str, masked: Masked, warnings: list[str]) -> str:
    out: list[str] = []
    placed: dict[int, tuple[int, int]] = {}  # span index -> (start, end) in the output
    cursor = 0
    for match in _token_pattern(masked.prefix, len(masked.spans)).finditer(translation):
        index = int(match.group(1))
        out.append(translation[cursor : match.start()])
        cursor = match.end()
        if index >= len(masked.spans):
            warnings.append(f"removed a placeholder the model invented ({match.group(0)})")
        elif index in placed:
            warnings.append(f"protected span {index + 1} was repeated by the model; kept once")
        else:
            start = sum(len(part) for part in out)
            out.append(masked.spans[index])
            placed[index] = (start, start + len(masked.spans[index]))
    out.append(translation[cursor:])
    text = "".join(out)
    lost = [i for i in range(len(masked.spans)) if i not in placed]
    for index in lost:
        text = _insert_lost(text, masked.spans[index], index, placed)
    if lost:
        warnings.append(
            f"{len(lost)} protected span(s) dropped by the model were put back after the "
            "preceding protected span, or before the sentence's final punctuation"
        )
    return text


def _insert_lost(text: str, span: str, index: int, placed: dict[int, tuple[int, int]]) -> str:
    """Insert next to the spans that survived so the source order of spans is kept; with none
    left, before the sentence's final punctuation."""
    before = [placed[i][1] for i in placed if i < index]
    after = [placed[i][0] for i in placed if i > index]
    if before:
        at = max(before)
    elif after:
        at = min(after)
    else:
        at = len(text.rstrip().rstrip(".!?…;:»”\"'"))
    left = " " if at and not text[at - 1].isspace() else ""
    right = (
        " " if at < len(text) and not text[at].isspace() and text[at] not in ".,;:!?…)»”" else ""
    )
    insertion = f"{left}{span}{right}"
    for key, (start, end) in placed.items():
        if start >= at:
            placed[key] = (start + len(insertion), end + len(insertion))
    placed[index] = (at + len(left), at + len(left) + len(span))
    return text[:at] + insertion + text[at:]
