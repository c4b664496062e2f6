"""Where a position of a rewritten text came from in the text it was rewritten from."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OffsetMap:
    """Maps positions of a derived text back to its original, segment by segment.

    `anchors` are (derived, original) starts of segments; within a segment positions advance
    together (a copied run), and a position inside a replaced run maps into its replacement's
    original range. `earlier` is the map of the rewrite before this one, when there was one.
    """

    anchors: tuple[tuple[int, int], ...] = ((0, 0),)
    earlier: OffsetMap | None = None
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(derived for derived, _ in self.anchors))

    def to_original(self, position: int) -> int:
        """The original position of derived position `position`."""
        index = max(0, bisect.bisect_right(self._starts, position) - 1)
        derived, original = self.anchors[index]
        position = original + (position - derived)
        return self.earlier.to_original(position) if self.earlier else position

    def following(self, earlier: OffsetMap) -> OffsetMap:
        """This rewrite applied after `earlier`: maps all the way back to `earlier`'s original."""
        inner = self.earlier.following(earlier) if self.earlier else earlier
        return OffsetMap(self.anchors, inner)


IDENTITY = OffsetMap()


class OffsetMapBuilder:
    """Builds a map while a text is rewritten from left to right."""

    def __init__(self) -> None:
        self._anchors: list[tuple[int, int]] = [(0, 0)]
        self._derived = 0
        self._original = 0
        self._changed = False

    def copy(self, length: int) -> None:
        """`length` characters taken over unchanged."""
        self._derived += length
        self._original += length

    def replace(self, derived_length: int, original_length: int) -> None:
        """`original_length` characters rewritten as `derived_length` characters."""
        self._derived += derived_length
        self._original += original_length
        self._anchors.append((self._derived, self._original))
        self._changed = self._changed or derived_length != original_length

    def build(self) -> OffsetMap:
        return OffsetMap(tuple(self._anchors)) if self._changed else IDENTITY
