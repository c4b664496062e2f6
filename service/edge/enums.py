"""The API's enums and the words of the shared vocabulary (`service.vocab`) they stand for."""

from __future__ import annotations

from service.pb import translation_pb2 as pb
from service.vocab import (
    AUTO_CONSISTENCY,
    FAILED,
    HTML,
    KEPT,
    MARKDOWN,
    NOT_ENFORCED,
    PLAIN,
    REPAIRED_FORM,
    REPAIRED_REDECODE,
)

TEXT_FORMAT_TO_PB: dict[str, pb.TextFormat] = {
    PLAIN: pb.TEXT_FORMAT_PLAIN,
    MARKDOWN: pb.TEXT_FORMAT_MARKDOWN,
    HTML: pb.TEXT_FORMAT_HTML,
}
TEXT_FORMAT_FROM_PB: dict[int, str] = {
    pb.TEXT_FORMAT_UNSPECIFIED: PLAIN,  # the proto says: treated as PLAIN
    **{value: name for name, value in TEXT_FORMAT_TO_PB.items()},
}
OUTCOME_TO_PB: dict[str, pb.TermOutcome] = {
    KEPT: pb.TERM_OUTCOME_KEPT,
    REPAIRED_FORM: pb.TERM_OUTCOME_REPAIRED_FORM,
    REPAIRED_REDECODE: pb.TERM_OUTCOME_REPAIRED_REDECODE,
    FAILED: pb.TERM_OUTCOME_FAILED,
    NOT_ENFORCED: pb.TERM_OUTCOME_NOT_ENFORCED,
    AUTO_CONSISTENCY: pb.TERM_OUTCOME_AUTO_CONSISTENCY,
}
OUTCOME_FROM_PB: dict[int, str] = {value: name for name, value in OUTCOME_TO_PB.items()}
