"""Which models serve a direction: a model of its own, or two legs through the pivot language."""

from __future__ import annotations

from collections.abc import Iterable

from service.vocab import PAIRS, PIVOT_LANGUAGE


def plan_routes(
    direct: Iterable[str], pivot: str | None = PIVOT_LANGUAGE
) -> dict[str, tuple[str, ...]]:
    """Direction -> the directions of its legs, for every direction that can be served.

    `direct` are the directions some model translates. A direction is served by its own model
    when there is one; otherwise through `pivot` when models exist for both legs (uk-ru as uk-en
    then en-ru). `pivot=None` never pivots. Directions come in `PAIRS` order.
    """
    available = frozenset(direct)
    plan: dict[str, tuple[str, ...]] = {}
    for pair in PAIRS:
        source, target = pair.split("-")
        legs = (f"{source}-{pivot}", f"{pivot}-{target}")
        if pair in available:
            plan[pair] = (pair,)
        elif pivot not in (None, source, target) and all(leg in available for leg in legs):
            plan[pair] = legs
    return plan
