"""Runs a plan: translates each task's segments, writes the outputs and journals them."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from service.client.formats import FileFormatError, ParsedFile, parse
from service.client.plan import TODO, JobOptions, Task
from service.client.records import (
    BatchRequest,
    SegmentResult,
    Tally,
    TranslationFailedError,
    Translator,
)
from service.client.storage import Journal, JournalEntry, sha256, write_atomic

logger = logging.getLogger(__name__)

# One batch is one stream item: a few texts, so results come back steadily and a retry is cheap.
MAX_BATCH_TEXTS = 16
MAX_BATCH_CHARS = 12_000


class Progress(Protocol):
    """Where the runner reports what it does (a progress bar or log lines)."""

    def advance(self, characters: int) -> None:
        """`characters` more characters were translated."""

    def finished(self, task: Task, ok: bool) -> None:
        """A task ended (`ok` False: it failed and `task.reason` says why)."""


class Report(Protocol):
    """Receives one record per translated text (the --report file)."""

    def write(self, record: dict[str, Any]) -> None:
        """Store one record."""


@dataclass
class Runner:
    """Translates the TODO tasks of a plan, several files at once."""

    translator: Translator
    options: JobOptions
    journal: Journal | None
    progress: Progress
    report: Report | None = None
    files_in_flight: int = 8

    def __post_init__(self) -> None:
        self.tally = Tally()

    async def run(self, tasks: Sequence[Task], stdin: bytes = b"") -> Tally:
        """Run every TODO task; failures are recorded on the task and the rest go on."""
        gate = asyncio.Semaphore(self.files_in_flight)

        async def one(task: Task) -> None:
            async with gate:
                await self._run_task(task, stdin)

        async with asyncio.TaskGroup() as group:
            for task in tasks:
                if task.state == TODO:
                    group.create_task(one(task))
        return self.tally

    async def _run_task(self, task: Task, stdin: bytes) -> None:
        try:
            data = stdin if task.source.path is None else task.source.path.read_bytes()
            document = parse(data, task.format_name, self.options.format_options)
            results = await self._translate(task, document)
            output = document.render([result.text for result in results])
            self._store(task, data, output)
        except (TranslationFailedError, FileFormatError, OSError, ValueError) as exc:
            task.state, task.reason = "failed", _reason(exc)
            logger.warning(
                "failed: %s -> %s: %s", task.source.label, task.target_language, task.reason
            )
            self.progress.finished(task, ok=False)
            return
        task.state = "done"
        self._account(task, document, results)
        self.progress.finished(task, ok=True)

    async def _translate(self, task: Task, document: ParsedFile) -> list[SegmentResult]:
        batches = _batches(document, task, self.options)
        try:
            async with asyncio.TaskGroup() as group:
                pending = [group.create_task(self._one_batch(b)) for b in batches]
        except ExceptionGroup as failures:
            # The first failure is the reason; the group has cancelled the file's other batches.
            raise failures.exceptions[0] from None
        return [result for done in pending for result in done.result()]

    async def _one_batch(self, batch: BatchRequest) -> list[SegmentResult]:
        results = await self.translator.translate(batch)
        self.progress.advance(sum(len(text) for text in batch.texts))
        return results

    def _store(self, task: Task, data: bytes, output: bytes) -> None:
        if task.output is None:
            sys.stdout.buffer.write(output)
            sys.stdout.buffer.flush()
            return
        write_atomic(task.output, output)
        if self.journal is not None:
            self.journal.record(
                JournalEntry(
                    task.key, task.source.label, task.fingerprint, sha256(output), task.characters
                )
            )

    def _account(self, task: Task, document: ParsedFile, results: list[SegmentResult]) -> None:
        tally = self.tally
        tally.characters += document.characters
        tally.texts += len(results)
        for warning in document.warnings:
            tally.warnings[warning] = tally.warnings.get(warning, 0) + 1
        for index, result in enumerate(results):
            tally.demo_texts += result.demo_model
            for term in result.terms:
                tally.term_outcomes[term.outcome] = tally.term_outcomes.get(term.outcome, 0) + 1
            for warning in result.warnings:
                tally.warnings[warning] = tally.warnings.get(warning, 0) + 1
            if self.report is not None:
                self.report.write(_report_record(task, index, result))


def _batches(document: ParsedFile, task: Task, options: JobOptions) -> list[BatchRequest]:
    """Consecutive segments of one format grouped under the batch limits, in document order."""
    batches: list[BatchRequest] = []
    texts: list[str] = []
    text_format = ""
    for segment in document.segments:
        full = len(texts) >= MAX_BATCH_TEXTS or sum(map(len, texts)) + len(segment.text) > (
            MAX_BATCH_CHARS
        )
        if texts and (full or segment.text_format != text_format):
            batches.append(_batch(texts, text_format, task, options))
            texts = []
        texts.append(segment.text)
        text_format = segment.text_format
    if texts:
        batches.append(_batch(texts, text_format, task, options))
    return batches


def _batch(texts: list[str], text_format: str, task: Task, options: JobOptions) -> BatchRequest:
    return BatchRequest(
        texts=tuple(texts),
        text_format=text_format,
        target_language=task.target_language,
        source_language=options.source_language,
        glossary_ids=options.glossary_ids,
        beam_size=options.beam_size,
    )


def _report_record(task: Task, index: int, result: SegmentResult) -> dict[str, Any]:
    return {
        "input": task.source.label,
        "output": task.key,
        "target_language": task.target_language,
        "text_index": index,
        "source_language": result.source_language,
        "route": result.route,
        "demo_model": result.demo_model,
        "terms": [asdict(term) for term in result.terms],
        "warnings": list(result.warnings),
    }


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
    return str(exc)
