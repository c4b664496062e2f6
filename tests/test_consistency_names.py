"""Finding the names no glossary covers in an article's source sentences, grouped by mention."""

from __future__ import annotations

from service.glossary.consistency.names import NameGroup, find_names


def found(
    sentences: list[str], language: str = "en", covered: list[list[tuple[int, int]]] | None = None
) -> dict[str, NameGroup]:
    groups = find_names(sentences, language, covered or [[] for _ in sentences])
    return {group.key: group for group in groups}


def test_a_capitalised_word_mid_sentence_that_recurs_is_a_name_and_a_lone_one_is_not() -> None:
    names = found(
        [
            "Residents of Zhovtoriv received aid.",
            "Explosions were heard in Zhovtoriv.",
            "The mayor of Hlynsk spoke.",
        ]
    )
    assert list(names) == ["Zhovtoriv"]
    assert [m.sentence for m in names["Zhovtoriv"].mentions] == [0, 1]


def test_sentence_starters_demonyms_and_titles_are_no_names() -> None:
    names = found(
        [
            "Russian forces shelled the town again.",
            "Russian drones attacked overnight.",
            "President Hnatiuk spoke in the morning.",
            "Journalists asked Hnatiuk about the road.",
        ]
    )
    assert list(names) == ["Hnatiuk"]


def test_a_sentence_initial_name_counts_when_it_recurs() -> None:
    names = found(["Hnatiuk said the road is open.", "Residents trust Hnatiuk."])
    assert len(names["Hnatiuk"].mentions) == 2


def test_the_surname_alone_names_the_person_introduced_by_full_name() -> None:
    names = found(["Taras Hnatiuk met Marta Kovalyk.", "Kovalyk thanked Hnatiuk for the support."])
    assert set(names) == {"Taras Hnatiuk", "Marta Kovalyk"}
    assert [m.text for m in names["Taras Hnatiuk"].mentions] == ["Taras Hnatiuk", "Hnatiuk"]


def test_a_region_is_a_name_apart_from_its_city() -> None:
    names = found(
        [
            "Drones attacked Zhovtoriv.",
            "Shelling hit the Zhovtoriv region.",
            "Zhovtoriv has no power, residents of Zhovtoriv say.",
            "Aid reached the Zhovtoriv region.",
        ]
    )
    assert names["Zhovtoriv region"].classifier
    assert len(names["Zhovtoriv region"].mentions) == 2
    assert not names["Zhovtoriv"].classifier
    assert len(names["Zhovtoriv"].mentions) == 3


def test_glossary_spans_abbreviations_and_numbers_are_never_names() -> None:
    sentences = ["NATO met in Sudzha.", "NATO troops left Sudzha and B52 flew.", "B52 landed."]
    covered = [[(12, 18)], [(17, 23)], []]
    assert found(sentences, covered=covered) == {}


def test_english_context_becomes_case_hints() -> None:
    names = found(["Hnatiuk's office is in Zhovtoriv.", "Hnatiuk lives in Zhovtoriv."])
    assert names["Hnatiuk"].mentions[0].hints == ("gent",)
    assert names["Zhovtoriv"].mentions[0].hints == ("loct",)
    assert names["Zhovtoriv"].mentions[0].before == "in"


def test_ukrainian_mentions_group_across_cases_and_keep_the_source_case() -> None:
    names = found(["У Тростянці оголосили тривогу.", "Мешканці Тростянця отримали допомогу."], "uk")
    [group] = names.values()
    first, second = group.mentions
    assert "loct" in first.cases
    assert "gent" in second.cases
