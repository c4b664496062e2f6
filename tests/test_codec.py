"""The codec maps every field of every API message, proved from the proto's own descriptors.

Decoding: each field of a fully filled request is cleared in turn; if the domain record does not
change, the codec ignored that field. Encoding: domain records with no default values are
encoded; every field of every message reached must be set. A field added to the proto without a
mapping in `service/edge/codec.py` therefore fails here, not at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from service.edge import codec
from service.edge.enums import OUTCOME_FROM_PB, OUTCOME_TO_PB, TEXT_FORMAT_FROM_PB
from service.errors import InvalidArgumentError
from service.glossary.check import CheckResult
from service.glossary.enforcement.report import TermReport
from service.glossary.model import (
    CompiledEntry,
    CompiledGlossary,
    CompiledTerms,
    Entry,
    Glossary,
    Paradigm,
)
from service.glossary.problem import Problem
from service.model_store.registry import ServedPair
from service.pb import translation_pb2 as pb
from service.text.langid import Detection, LanguageGuess
from service.translation.request import SentenceScore, TranslationResult
from service.vocab import KEPT, MARKDOWN, TERM_OUTCOMES, TEXT_FORMATS

OURS = pb.DESCRIPTOR
MESSAGES = frozenset(OURS.message_types_by_name)
# What the server receives, and the codec function that turns each into domain values.
DECODERS: dict[str, Callable[[Any], object]] = {
    "TranslateRequest": codec.translation_request,
    "TranslateOptions": codec.translation_options,
    "InlineGlossaryEntry": codec.inline_entry,
    "TermList": lambda message: codec.term_lists({"uk": message}),
    "TranslateStreamRequest": codec.stream_item,
    "DetectLanguageRequest": codec.texts_to_detect,
    "ListLanguagePairsRequest": lambda message: (),
    "ListGlossariesRequest": lambda message: (),
    "GetGlossaryRequest": codec.glossary_id,
    "CheckGlossaryRequest": codec.glossary_upload,
}
# Fields whose values the codec checks: a filler must use an accepted one.
ACCEPTED_VALUES = {("CheckGlossaryRequest", "format"): "csv"}
Path = tuple[tuple[str, object], ...]


def _scalar(descriptor: Descriptor, field: FieldDescriptor) -> object:
    if (descriptor.name, field.name) in ACCEPTED_VALUES:
        return ACCEPTED_VALUES[(descriptor.name, field.name)]
    if field.type == FieldDescriptor.TYPE_STRING:
        return f"{descriptor.name}.{field.name}"
    if field.type == FieldDescriptor.TYPE_BYTES:
        return b"content"
    if field.type == FieldDescriptor.TYPE_BOOL:
        return not field.has_presence  # an optional bool's news is False: True is its default
    if field.type == FieldDescriptor.TYPE_ENUM:
        return field.enum_type.values[-1].number
    if field.cpp_type in (FieldDescriptor.CPPTYPE_FLOAT, FieldDescriptor.CPPTYPE_DOUBLE):
        return 0.5
    return 3


def _fill(message: Message) -> Message:
    """Every field of `message` set to a value that is not its default, recursively."""
    descriptor = message.DESCRIPTOR
    for field in descriptor.fields:
        target = getattr(message, field.name)
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            if value_field.message_type is not None:
                _fill(target["uk"])
            else:
                target["uk"] = _scalar(field.message_type, value_field)
        elif field.message_type is not None and field.is_repeated:
            _fill(target.add())
        elif field.message_type is not None:
            _fill(target)
        elif field.is_repeated:
            target.append(_scalar(descriptor, field))
        else:
            setattr(message, field.name, _scalar(descriptor, field))
    return message


def _paths(message: Message, prefix: Path = ()) -> Iterator[Path]:
    """A path to every field at every depth: (field, key or index) steps, the last one cleared."""
    for field in message.DESCRIPTOR.fields:
        yield (*prefix, (field.name, None))
        value = getattr(message, field.name)
        if field.message_type is None or field.message_type.file is not OURS:
            continue
        if field.message_type.GetOptions().map_entry:
            if field.message_type.fields_by_name["value"].message_type is not None:
                yield from _paths(value["uk"], (*prefix, (field.name, "uk")))
        elif field.is_repeated:
            yield from _paths(value[0], (*prefix, (field.name, 0)))
        else:
            yield from _paths(value, (*prefix, (field.name, "")))


def _cleared(message: Message, path: Path) -> Message:
    copy = type(message)()
    copy.CopyFrom(message)
    node: Any = copy
    for name, step in path[:-1]:
        node = getattr(node, name) if step == "" else getattr(node, name)[step]
    node.ClearField(path[-1][0])
    return copy


def test_every_message_is_decoded_or_encoded_and_the_enums_map_both_ways() -> None:
    assert set(DECODERS) | ENCODED == MESSAGES
    assert set(TEXT_FORMAT_FROM_PB) == set(pb.TextFormat.values())
    assert set(TEXT_FORMAT_FROM_PB.values()) == set(TEXT_FORMATS)
    assert set(OUTCOME_TO_PB) == set(TERM_OUTCOMES)
    assert set(OUTCOME_FROM_PB) == set(pb.TermOutcome.values()) - {pb.TERM_OUTCOME_UNSPECIFIED}


@pytest.mark.parametrize("name", sorted(DECODERS))
def test_decoding_reads_every_field(name: str) -> None:
    full = _fill(getattr(pb, name)())
    decoded = DECODERS[name](full)
    ignored = [
        ".".join(step for step, _ in path)
        for path in _paths(full)
        if DECODERS[name](_cleared(full, path)) == decoded
    ]
    assert not ignored, f"{name}: the codec ignores {ignored}"


def test_decoding_gives_the_domain_words() -> None:
    request = pb.TranslateRequest(
        texts=["Суджа"],
        target_language="en",
        text_format=pb.TEXT_FORMAT_MARKDOWN,
        options=pb.TranslateOptions(disable_glossary_enforcement=True),
        inline_entries=[
            pb.InlineGlossaryEntry(id="sudzha", terms={"uk": pb.TermList(terms=["Суджа"])})
        ],
    )
    decoded = codec.translation_request(request)
    assert decoded.text_format == MARKDOWN
    assert decoded.options.enforce_glossary is False
    assert decoded.inline_entries[0].kind == "term"
    assert decoded.inline_entries[0].declinable is True
    assert decoded.inline_entries[0].terms == {"uk": ("Суджа",)}
    with pytest.raises(InvalidArgumentError, match="format"):
        codec.glossary_upload(pb.CheckGlossaryRequest(content=b"x", format="docx"))


TERM = TermReport(
    entry_id="sudzha",
    glossary_id="news-ua",
    source_text="Sudzha",
    source_start=3,
    source_end=9,
    target_text="Суджі",
    grammatical_case="loct",
    outcome=KEPT,
    method="match",
    original_text="Судже",
)
RESULT = TranslationResult(
    text="У Суджі тихо.",
    source_language="en",
    source_confidence=0.9,
    route="en-uk",
    terms=(TERM,),
    warnings=("demo",),
    alternatives=("В Суджі тихо.",),
    demo_model=True,
    sentence_scores=(SentenceScore(3, 20, -0.25),),
    min_score=-0.25,
    mean_score=-0.25,
)
ENTRY = Entry(id="sudzha", kind="place", terms={"uk": ("Суджа",)}, gender="feminine")
FORMS = Paradigm("Суджа", {"nomn": "Суджа", "loct": "Суджі"}, {"loct": ("Судже",)})
COMPILED = CompiledEntry(ENTRY, {"uk": CompiledTerms("uk", FORMS, (), ("Суджа́",))}, ("guessed",))
GLOSSARY = CompiledGlossary(
    Glossary("news-ua", "News", (ENTRY,), "places", ("en", "uk"), "2"), (COMPILED,)
)
WARNING = Problem("warning", "sudzha", "terms.uk", "listed twice")


def _encoded() -> list[Message]:
    response = codec.translate_response([RESULT], "request-7")
    return [
        response,
        codec.stream_result("item-1", response),
        codec.stream_failure("item-2", 8, "queue full", 1.5),
        codec.detections([Detection((LanguageGuess("uk", 0.8),), ("mixed",))]),
        codec.language_pairs([ServedPair("uk", "ru", "a+b", "1+2", "en", demo=True)]),
        codec.glossary_list([GLOSSARY]),
        codec.glossary(GLOSSARY),
        codec.glossary_check(CheckResult(GLOSSARY.glossary, GLOSSARY, (WARNING,))),
    ]


def _set_fields(message: Message, seen: dict[str, set[str]]) -> None:
    """Record which fields of each of our message types were set, recursively."""
    if message.DESCRIPTOR.file is not OURS:
        return
    fields = seen.setdefault(message.DESCRIPTOR.name, set())
    for field, value in message.ListFields():
        fields.add(field.name)
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            values = list(value.values())
            if values and isinstance(values[0], Message):
                for item in values:
                    _set_fields(item, seen)
        elif field.is_repeated:
            for item in value:
                _set_fields(item, seen)
        else:
            _set_fields(value, seen)


ENCODED = frozenset(MESSAGES - set(DECODERS)) | {"TermList"}


def test_encoding_sets_every_field_of_every_answer() -> None:
    seen: dict[str, set[str]] = {}
    for message in _encoded():
        _set_fields(message, seen)
    assert set(seen) >= ENCODED
    unset = {
        name: sorted(set(OURS.message_types_by_name[name].fields_by_name) - fields)
        for name, fields in seen.items()
    }
    assert not {name: fields for name, fields in unset.items() if fields}
