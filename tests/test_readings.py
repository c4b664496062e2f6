"""The cached pymorphy3 readings: the same answers as the analyzer, shared safely by threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from service.glossary.analyzers import analyzer
from service.glossary.enforcement.readings import PARSE_CACHE_SIZE, _parses, parses

WORDS = [("в", "ru"), ("жителей", "ru"), ("Сибіга", "uk"), ("мешканців", "uk"), ("у", "uk")]


def test_cached_readings_are_the_analyzers_own() -> None:
    for word, language in WORDS:
        assert parses(word, language) == list(analyzer(language).parse(word))
        assert parses(word, language) == list(analyzer(language).parse(word))  # from the cache


def test_each_caller_gets_its_own_list() -> None:
    first = parses("в", "ru")
    first.clear()
    assert parses("в", "ru"), "a caller's change to its list must not reach the cache"


def test_other_languages_have_no_readings() -> None:
    assert parses("in", "en") == []


def test_the_cache_is_bounded() -> None:
    assert _parses.cache_info().maxsize == PARSE_CACHE_SIZE


def test_threads_share_the_cache_and_agree() -> None:
    expected = {key: list(analyzer(key[1]).parse(key[0])) for key in WORDS}
    _parses.cache_clear()
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda key: (key, parses(*key)), WORDS * 200))
    assert all(found == expected[key] for key, found in answers)
    assert _parses.cache_info().currsize == len(WORDS)
