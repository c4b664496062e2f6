"""What the source sentence says about the case a term's translation needs.

A Ukrainian or Russian source carries the case on the word itself; English says it with
prepositions (in/at: location, into/to: direction), the possessive, and word order (a name right
after a transitive verb is its object, a name opening the sentence before its verb the subject).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from service.glossary.analyzers import english_lemmas, english_participle
from service.glossary.enforcement.evidence import ALL_CASES, OBLIQUE, Evidence
from service.glossary.enforcement.readings import lemma_key, parses
from service.glossary.enforcement.tokens import Token, next_word, previous_word
from service.glossary.enforcement.word_lists import GrammarLists, grammar_lists, in_any_language
from service.glossary.model import CASES

HINT_KINDS = ("en-preposition", "en-phrase", "en-genitive", "en-possessive", "source-direction")
"""The clues that are a preposition's or the possessive's hint (not the form's own case)."""
EN_PREPOSITION = "en-preposition"
"""The kind of an English preposition's hint: strong only where the translation has one too."""
_PARTICLES = frozenset({"on", "upon"})
"""After a verb, part of it ("called on Lukashenko"): the term is still the verb's object."""
_PASSIVE_AUXILIARIES = frozenset({"be", "get"})
_CLAUSE_CONJUNCTIONS = frozenset({"and", "but", "or", "while", "as"})


def hint_cases(evidence: Iterable[Evidence]) -> tuple[str, ...]:
    """The cases `evidence` points to, in CASES order."""
    cases = {case for clue in evidence for case in clue.cases}
    return tuple(case for case in CASES if case in cases)


def source_evidence(
    tokens: list[Token], start: int, end: int, language: str, form_cases: Sequence[str]
) -> tuple[Evidence, ...]:
    """The clues of a source occurrence at tokens [start, end) whose form has `form_cases`."""
    if language == "en":
        return english_evidence(tokens, start, end)
    return _inflected_evidence(tokens, start, language, frozenset(form_cases))


def _inflected_evidence(
    tokens: list[Token], start: int, language: str, cases: frozenset[str]
) -> tuple[Evidence, ...]:
    """uk/ru: the source form's own cases, narrowed by the source preposition's government."""
    found: list[Evidence] = []
    before = previous_word(tokens, start)
    word = tokens[before].key if before is not None else ""
    lists = grammar_lists(language)
    governed = lists.prepositions.get(word)
    if governed is not None and cases & governed:
        cases = cases & governed
    verb = _source_verb(tokens, before, language) if governed is None else None
    if verb is not None and cases & lists.verb_government[verb]:
        # "поблагодарил Шольца", "подякував Шольцу": the case is the source verb's, and the
        # translation's verb may govern another; what carries over is that it is an object.
        found.append(Evidence("source-object", OBLIQUE, 2.0, verb))
        found.append(Evidence("source-case", cases & lists.verb_government[verb], 1.0))
    elif cases and cases != ALL_CASES:
        found.append(Evidence("source-case", cases, 3.0))
    if word in in_any_language().directional_prepositions:
        # "до Києва" (genitive) is "в Киев": the direction survives the change of case.
        found.append(Evidence("source-direction", frozenset({"accs"}), 2.0, word))
    return tuple(found)


def _source_verb(tokens: list[Token], index: int | None, language: str) -> str | None:
    """The lemma of the governing verb at token `index` of a uk/ru source, if it is one."""
    if index is None:
        return None
    for parse in parses(tokens[index].text, language):
        if parse.tag.POS in ("VERB", "INFN"):
            lemma = lemma_key(parse.normal_form)
            return lemma if lemma in grammar_lists(language).verb_government else None
    return None


def english_evidence(tokens: list[Token], start: int, end: int) -> tuple[Evidence, ...]:
    """English: preposition semantics, the possessive, and the term's role in its clause."""
    lists = grammar_lists("en")
    after = end if end < len(tokens) else None
    if after is not None and tokens[after].text == "'s":
        return (Evidence("en-possessive", frozenset({"gent"}), 3.0),)
    found = list(_preposition(tokens, start, lists))
    found += _role(tokens, start, end, lists)
    return tuple(found)


def _preposition(tokens: list[Token], start: int, lists: GrammarLists) -> list[Evidence]:
    before = _skip_articles(tokens, previous_word(tokens, start), lists)
    if before is None:
        return []
    word = tokens[before].key
    earlier = previous_word(tokens, before)
    phrase = (tokens[earlier].key if earlier is not None else "", word)
    if phrase in lists.phrase_case_hints:
        return [
            Evidence("en-phrase", frozenset(lists.phrase_case_hints[phrase]), 3.0, " ".join(phrase))
        ]
    cases = lists.case_hints.get(word)
    if word in lists.noun_prepositions:
        after_noun = earlier is not None and _noun_only(tokens[earlier].text)
        cases = lists.noun_prepositions[word] if after_noun else lists.verb_prepositions.get(word)
    if cases is None:
        return []
    if word in lists.genitive_prepositions:
        return [Evidence("en-genitive", frozenset(cases), 2.0, word)]
    return [Evidence(EN_PREPOSITION, frozenset(cases), 3.0, word)]


def _role(tokens: list[Token], start: int, end: int, lists: GrammarLists) -> list[Evidence]:
    """Object of a verb, recipient, subject, or a noun's modifier ("Black Sea Fleet ship")."""
    verb = _verb_before(tokens, start, lists)
    if verb is not None:
        found = [Evidence("en-object", OBLIQUE, 2.0, verb)]
        following = next_word(tokens, end)
        second = tokens[following].key if following is not None else ""
        if verb in lists.recipient_verbs and second in lists.determiners:
            found.append(Evidence("en-recipient", frozenset({"datv"}), 3.0, verb))
        return found
    following = next_word(tokens, end)
    if following is None:
        return []
    word = tokens[following]
    lemmas = english_lemmas(word.text)
    before = _skip_articles(tokens, previous_word(tokens, start), lists)
    # A clause opens at the sentence, a comma, or "and"/"but" ("..., and Tykhy said so").
    opening = before is None or tokens[before].key in _CLAUSE_CONJUNCTIONS
    if opening and ("VERB" in lemmas or "AUX" in lemmas):
        if _passive(tokens, following):
            return []  # "Poltava was hit": the translation may make it the object
        return [Evidence("en-subject", frozenset({"nomn"}), 2.0)]
    if word.text[:1].islower() and "NOUN" in lemmas:
        determined = previous_word(tokens, start)
        if "VERB" not in lemmas or (
            determined is not None and tokens[determined].key in lists.determiners
        ):
            return [Evidence("en-adjunct", frozenset({"gent"}), 2.0)]
    return []


def _verb_before(tokens: list[Token], start: int, lists: GrammarLists) -> str | None:
    """The lemma of a transitive verb the term is the object of ("thanked Scholz"), if any."""
    before = _skip_articles(tokens, previous_word(tokens, start), lists)
    if before is not None and tokens[before].key in _PARTICLES:
        before = previous_word(tokens, before)
    if before is None:
        return None
    if tokens[before].key.endswith("ing") and not _after_auxiliary(tokens, before):
        return None  # "including Latvia", "following Merz": a preposition, not a clause's verb
    lemmas = english_lemmas(tokens[before].text)
    verbs = set(lemmas.get("VERB", ())) & (lists.object_verbs | lists.recipient_verbs)
    return min(verbs) if verbs else None


def _after_auxiliary(tokens: list[Token], index: int) -> bool:
    """True for a participle after a form of "be" ("were shelling Kharkiv")."""
    before = previous_word(tokens, index)
    return before is not None and "be" in english_lemmas(tokens[before].text).get("AUX", ())


def _passive(tokens: list[Token], verb: int) -> bool:
    """True for "was hit", "has been liberated", "were shelled" starting at token `verb`."""
    index: int | None = verb
    seen_auxiliary = False
    for _ in range(3):
        if index is None:
            return False
        lemmas = english_lemmas(tokens[index].text)
        auxiliary = set(lemmas.get("AUX", ()) + lemmas.get("VERB", ()))
        if auxiliary & _PASSIVE_AUXILIARIES:
            seen_auxiliary = True
        elif seen_auxiliary:
            return any(
                tokens[index].key in english_participle(lemma) for lemma in lemmas.get("VERB", ())
            )
        elif not auxiliary & {"have"}:
            return False
        index = next_word(tokens, index + 1)
    return False


def _noun_only(word: str) -> bool:
    """True for a word lemminflect reads only as a noun ("statement", not "signed")."""
    lemmas = english_lemmas(word)
    return "NOUN" in lemmas and not {"VERB", "AUX", "ADJ"} & set(lemmas)


def _skip_articles(tokens: list[Token], index: int | None, lists: GrammarLists) -> int | None:
    while index is not None and tokens[index].key in lists.articles:
        index = previous_word(tokens, index)
    return index
