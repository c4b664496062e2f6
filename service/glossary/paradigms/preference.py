"""Which of a case's standard forms is generated and which are only accepted: the house style."""

from __future__ import annotations

from service.glossary.paradigms.word_lists import paradigm_lists


def acceptable_variant(lang: str, form: str, stem: str, adjective: bool) -> bool:
    """True when a form beside the preferred one may be accepted when verifying."""
    if not form.startswith(stem):
        return False  # junk stems such as київі next to києві
    return not (adjective and form.endswith(paradigm_lists(lang).archaic_adjective_endings))


def rank(lang: str, animate: bool, case: str, form: str, stem: str) -> tuple[int, int]:
    """Lower is preferred: the house style for choosing among a case's standard forms."""
    if not form.startswith(stem):
        return 1, 0
    # The ending after the shared stem: Києв|і is not a long dative, Бєлгород|ові is.
    ending = form[len(stem) :]
    if lang == "ru":
        # Instrumental -ой/-ей is the neutral norm; -ою/-ею is bookish.
        return 0, 1 if case == "ablt" and ending.endswith(("ою", "ею")) else 0
    if case == "datv":
        return 0, 1 if ending in paradigm_lists(lang).long_dative_endings else 0
    if case == "loct":
        return 0, _uk_locative_rank(lang, animate, ending, stem)
    return 0, 0


def _uk_locative_rank(lang: str, animate: bool, ending: str, stem: str) -> int:
    if ending in paradigm_lists(lang).long_dative_endings:
        return 0 if animate else 3
    if ending.endswith("ому"):
        return 0  # adjectives: у Нижньому Новгороді (-ім is the variant)
    # After к/г/х the locative takes -у (у Курську); otherwise -і (у Києві, Харкові).
    velar = stem[-1:] in ("к", "г", "х")
    if ending in ("у", "ю"):
        return 0 if velar else 2
    return 1
