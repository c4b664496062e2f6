"""Protobuf messages to domain records and back, field by field, so that mypy checks every name.

Decoding makes no checks of its own beyond the enum and format names (the domain checks values
and names the field); encoding copies what the domain decided. `tests/test_codec.py` proves from
the proto's descriptors that every field of every message is mapped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from service.edge.enums import OUTCOME_TO_PB, TEXT_FORMAT_FROM_PB
from service.edge.status import bounded
from service.errors import InvalidArgumentError, quoted
from service.glossary.check import CheckResult, Upload
from service.glossary.enforcement.report import TermReport
from service.glossary.model import CompiledEntry, CompiledGlossary, CompiledTerms, Entry
from service.glossary.problem import Problem
from service.model_store.registry import ServedPair
from service.pb import translation_pb2 as pb
from service.text.langid import Detection, LanguageGuess
from service.translation.request import (
    SentenceScore,
    TranslationOptions,
    TranslationRequest,
    TranslationResult,
)
from service.vocab import GLOSSARY_FORMATS

# --- requests ---------------------------------------------------------------------------------


def translation_request(message: pb.TranslateRequest) -> TranslationRequest:
    """The domain request of a Translate call (its values are checked by the domain)."""
    text_format = TEXT_FORMAT_FROM_PB.get(
        message.text_format, f"unknown enum value {message.text_format}"
    )
    return TranslationRequest(
        texts=tuple(message.texts),
        target_language=message.target_language,
        source_language=message.source_language,
        glossary_ids=tuple(message.glossary_ids),
        inline_entries=tuple(inline_entry(entry) for entry in message.inline_entries),
        text_format=text_format,
        options=translation_options(message.options),
        request_id=message.request_id,
    )


def translation_options(message: pb.TranslateOptions) -> TranslationOptions:
    """Per-request options; the proto's negative switch becomes the domain's positive one."""
    return TranslationOptions(
        beam_size=message.beam_size,
        return_term_report=message.return_term_report,
        alternatives=message.alternatives,
        enforce_glossary=not message.disable_glossary_enforcement,
        auto_consistency=not message.disable_auto_consistency,
    )


def inline_entry(message: pb.InlineGlossaryEntry) -> Entry:
    """A glossary entry sent with a request."""
    return Entry(
        id=message.id,
        kind=message.kind or "term",
        terms=term_lists(message.terms),
        forbidden=term_lists(message.forbidden),
        gender=message.gender or None,
        declinable=message.declinable if message.HasField("declinable") else True,
    )


def term_lists(lists: Mapping[str, pb.TermList]) -> dict[str, tuple[str, ...]]:
    """Language -> terms."""
    return {language: tuple(terms.terms) for language, terms in lists.items()}


def stream_item(message: pb.TranslateStreamRequest) -> tuple[str, TranslationRequest]:
    """The caller's item id and its request."""
    return message.item_id, translation_request(message.request)


def texts_to_detect(message: pb.DetectLanguageRequest) -> tuple[str, ...]:
    """The texts of a DetectLanguage call."""
    return tuple(message.texts)


def glossary_id(message: pb.GetGlossaryRequest) -> str:
    """The glossary a GetGlossary call names."""
    return message.glossary_id


def glossary_upload(message: pb.CheckGlossaryRequest) -> Upload:
    """The file of a CheckGlossary call; an unknown format is refused naming the field."""
    fmt = message.format or "yaml"
    if fmt not in GLOSSARY_FORMATS:
        raise InvalidArgumentError(
            "format", f"{quoted(fmt)}; use one of {', '.join(GLOSSARY_FORMATS)}"
        )
    return Upload(message.content, fmt, tuple(message.column_languages))


# --- translations -----------------------------------------------------------------------------


def translate_response(
    results: Sequence[TranslationResult], request_id: str
) -> pb.TranslateResponse:
    """The answer of a Translate call (or of one stream item)."""
    return pb.TranslateResponse(
        results=[translation_result(result) for result in results], request_id=request_id
    )


def translation_result(result: TranslationResult) -> pb.TranslationResult:
    """The translation of one text."""
    return pb.TranslationResult(
        text=result.text,
        source_language=result.source_language,
        source_confidence=result.source_confidence,
        terms=[term_report(term) for term in result.terms],
        warnings=list(result.warnings),
        alternatives=list(result.alternatives),
        route=result.route,
        demo_model=result.demo_model,
        sentence_scores=[sentence_score(score) for score in result.sentence_scores],
        min_score=result.min_score,
        mean_score=result.mean_score,
    )


def sentence_score(score: SentenceScore) -> pb.SentenceScore:
    """How sure the model is of one translated sentence."""
    return pb.SentenceScore(
        source_start=score.source_start, source_end=score.source_end, score=score.score
    )


def term_report(report: TermReport) -> pb.TermReport:
    """What enforcement did with one term occurrence."""
    return pb.TermReport(
        entry_id=report.entry_id,
        glossary_id=report.glossary_id,
        source_text=report.source_text,
        source_start=report.source_start,
        source_end=report.source_end,
        target_text=report.target_text,
        grammatical_case=report.grammatical_case,
        outcome=OUTCOME_TO_PB.get(report.outcome, pb.TERM_OUTCOME_UNSPECIFIED),
        method=report.method,
        original_text=report.original_text,
    )


def stream_result(item_id: str, response: pb.TranslateResponse) -> pb.TranslateStreamResponse:
    """A stream item that succeeded."""
    return pb.TranslateStreamResponse(item_id=item_id, response=response, status_code=0)


def stream_failure(
    item_id: str, status_code: int, message: str, retry_after_s: float | None
) -> pb.TranslateStreamResponse:
    """A stream item that failed, with the retry delay when the error gives one."""
    failed = pb.TranslateStreamResponse(
        item_id=item_id, status_code=status_code, error_message=bounded(message)
    )
    if retry_after_s is not None:
        failed.retry_delay.FromTimedelta(timedelta(seconds=retry_after_s))
    return failed


def detections(found: Sequence[Detection]) -> pb.DetectLanguageResponse:
    """The answer of a DetectLanguage call."""
    return pb.DetectLanguageResponse(detections=[detection(item) for item in found])


def detection(found: Detection) -> pb.Detection:
    """The ranked languages of one text."""
    return pb.Detection(
        candidates=[language_guess(guess) for guess in found.candidates],
        warnings=list(found.warnings),
    )


def language_guess(guess: LanguageGuess) -> pb.LanguageGuess:
    """One candidate language."""
    return pb.LanguageGuess(language=guess.language, confidence=guess.confidence)


def language_pairs(pairs: Sequence[ServedPair]) -> pb.ListLanguagePairsResponse:
    """The answer of a ListLanguagePairs call."""
    return pb.ListLanguagePairsResponse(pairs=[language_pair(pair) for pair in pairs])


def language_pair(pair: ServedPair) -> pb.LanguagePair:
    """One served direction."""
    return pb.LanguagePair(
        source_language=pair.source_language,
        target_language=pair.target_language,
        model_name=pair.model_name,
        model_version=pair.model_version,
        pivot=bool(pair.pivot_language),
        pivot_language=pair.pivot_language,
        demo=pair.demo,
        serving=pair.serving,
    )


# --- glossaries -------------------------------------------------------------------------------


def glossary_list(glossaries: Sequence[CompiledGlossary]) -> pb.ListGlossariesResponse:
    """The answer of a ListGlossaries call."""
    return pb.ListGlossariesResponse(glossaries=[glossary_info(item) for item in glossaries])


def glossary_info(compiled: CompiledGlossary) -> pb.GlossaryInfo:
    """The summary of one glossary."""
    glossary = compiled.glossary
    return pb.GlossaryInfo(
        id=glossary.id,
        name=glossary.name,
        description=glossary.description,
        languages=list(glossary.languages),
        version=str(glossary.version),
        entry_count=len(compiled.entries),
        warning_count=len(compiled.warnings),
    )


def glossary(compiled: CompiledGlossary) -> pb.GetGlossaryResponse:
    """The answer of a GetGlossary call: the summary and every compiled entry."""
    return pb.GetGlossaryResponse(
        info=glossary_info(compiled),
        entries=[compiled_entry(item) for item in compiled.entries],
    )


def compiled_entry(item: CompiledEntry) -> pb.CompiledEntry:
    """One entry with the forms compiled for each of its languages."""
    entry = item.entry
    return pb.CompiledEntry(
        id=entry.id,
        kind=entry.kind,
        gender=entry.gender or "",
        terms={lang: pb.TermList(terms=list(terms)) for lang, terms in entry.terms.items()},
        compiled=[compiled_forms(terms) for terms in item.languages.values()],
        warnings=list(item.warnings),
    )


def compiled_forms(terms: CompiledTerms) -> pb.CompiledForms:
    """The case forms of one language's preferred term and every other accepted form."""
    return pb.CompiledForms(
        language=terms.language,
        forms=dict(terms.preferred.forms),
        accepted=terms.other_forms(),
        forbidden=list(terms.forbidden),
    )


def glossary_check(result: CheckResult) -> pb.CheckGlossaryResponse:
    """The answer of a CheckGlossary call."""
    entries = result.compiled.entries if result.compiled else ()
    return pb.CheckGlossaryResponse(
        valid=result.ok,
        problems=[glossary_problem(problem) for problem in result.reported()],
        entries=[compiled_entry(item) for item in entries],
    )


def glossary_problem(problem: Problem) -> pb.GlossaryProblem:
    """One problem found in a glossary."""
    return pb.GlossaryProblem(
        severity=problem.severity,
        entry_id=problem.entry_id,
        field=problem.field,
        message=problem.message,
    )
