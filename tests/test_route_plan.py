"""The one route planner that the registry, the inventory and the manifest all ask."""

from __future__ import annotations

from service.model_store.route_plan import plan_routes
from service.vocab import PAIRS


def test_a_direction_uses_its_own_model_before_the_pivot() -> None:
    plan = plan_routes(["uk-en", "en-ru", "uk-ru"])
    assert plan == {"uk-en": ("uk-en",), "uk-ru": ("uk-ru",), "en-ru": ("en-ru",)}


def test_a_direction_without_a_model_goes_through_the_pivot_when_both_legs_exist() -> None:
    plan = plan_routes(["uk-en", "en-ru", "ru-en"])
    assert plan["uk-ru"] == ("uk-en", "en-ru")
    assert "ru-uk" not in plan  # en-uk is missing
    assert list(plan) == [pair for pair in PAIRS if pair in plan]  # the order callers list


def test_no_pivot_or_another_pivot_language() -> None:
    assert "uk-ru" not in plan_routes(["uk-en", "en-ru"], pivot=None)
    assert plan_routes(["en-uk", "uk-ru"], pivot="uk")["en-ru"] == ("en-uk", "uk-ru")
    assert plan_routes([], pivot="en") == {}
