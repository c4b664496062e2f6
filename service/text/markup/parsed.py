"""A parsed article: the sentences to translate and the recipe that puts translations back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# A recipe part is literal output text or the index of a unit whose finished translation goes there.
Part = str | int
# Turns a unit's raw translation into output text; `finished(i)` gives another unit's output (an
# inline tag token can hold a translated attribute) and warnings are appended to `warnings`.
Finisher = Callable[[str, Callable[[int], str], list[str]], str]


def _as_is(translation: str, finished: Callable[[int], str], warnings: list[str]) -> str:
    return translation


@dataclass(frozen=True)
class Rendered:
    """The rebuilt text and what went wrong while putting translations back."""

    text: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedText:
    """Units to translate, in order, and the parts that rebuild the whole text around them."""

    units: list[str]
    parts: tuple[Part, ...]
    finishers: tuple[Finisher, ...] = field(default=())
    warnings: tuple[str, ...] = ()
    """Problems found while parsing (e.g. markup the parser had to repair)."""
    origins: tuple[int | None, ...] = ()
    """Per unit, where its text stands verbatim in the parsed text (None: rebuilt from markup)."""

    def origin(self, index: int) -> int | None:
        """Offset of unit `index` in the parsed text, when the unit is a verbatim slice of it."""
        return self.origins[index] if index < len(self.origins) else None

    def render(self, translations: Sequence[str]) -> str:
        """Rebuild the text with `translations[i]` in place of `units[i]`."""
        return self.render_report(translations).text

    def render_report(self, translations: Sequence[str]) -> Rendered:
        """Like `render`, also returning warnings (e.g. an inline tag the model dropped)."""
        if len(translations) != len(self.units):
            raise ValueError(f"expected {len(self.units)} translations, got {len(translations)}")
        warnings: list[str] = []
        done: dict[int, str] = {}

        def finished(index: int) -> str:
            if index not in done:
                finisher = self.finishers[index] if self.finishers else _as_is
                done[index] = finisher(translations[index], finished, warnings)
            return done[index]

        text = "".join(part if isinstance(part, str) else finished(part) for part in self.parts)
        return Rendered(text, tuple(warnings))


class ParsedTextBuilder:
    """Collects literal text and units in output order."""

    def __init__(self) -> None:
        self.units: list[str] = []
        self.parts: list[Part] = []
        self.finishers: list[Finisher] = []
        self.warnings: list[str] = []
        self.origins: list[int | None] = []

    def literal(self, text: str) -> None:
        if not text:
            return
        if self.parts and isinstance(self.parts[-1], str):
            self.parts[-1] += text
        else:
            self.parts.append(text)

    def add_unit(
        self,
        text: str,
        finisher: Finisher = _as_is,
        *,
        place: bool = True,
        origin: int | None = None,
    ) -> int:
        """Register a unit; `place=False` when the unit's output is placed by another finisher.

        `origin` is the unit's offset in the parsed text when the unit is a verbatim slice of it.
        """
        self.units.append(text)
        self.finishers.append(finisher)
        self.origins.append(origin)
        index = len(self.units) - 1
        if place:
            self.parts.append(index)
        return index

    def build(self) -> ParsedText:
        return ParsedText(
            self.units,
            tuple(self.parts),
            tuple(self.finishers),
            tuple(self.warnings),
            tuple(self.origins),
        )
