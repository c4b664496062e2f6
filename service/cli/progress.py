"""Progress of `tlumach translate`: a tqdm bar on a terminal, log lines elsewhere; the summary."""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import TextIO

from tqdm import tqdm

from service.client.plan import BROKEN, EXISTS, FINISHED, Task
from service.client.records import Tally

logger = logging.getLogger(__name__)


class BarProgress:
    """A tqdm bar counting characters (rate and ETA) with files done in the postfix."""

    def __init__(self, files: int, characters: int) -> None:
        self._files = files
        self._done = 0
        self._failed = 0
        self._bar = tqdm(
            total=characters, unit="char", unit_scale=True, desc="translating", dynamic_ncols=True
        )
        self._bar.set_postfix_str(self._postfix())

    def _postfix(self) -> str:
        failed = f", {self._failed} failed" if self._failed else ""
        return f"files {self._done}/{self._files}{failed}"

    def advance(self, characters: int) -> None:
        self._bar.update(characters)

    def finished(self, task: Task, ok: bool) -> None:
        self._done += 1
        self._failed += not ok
        if not ok:
            self._bar.write(f"failed: {task.source.label} -> {task.target_language}: {task.reason}")
        self._bar.set_postfix_str(self._postfix())

    def close(self) -> None:
        self._bar.close()


class LogProgress:
    """One log line per finished file with counts, rate and ETA (for logs and CI)."""

    def __init__(self, files: int, characters: int) -> None:
        self._files = files
        self._characters = characters
        self._done_files = 0
        self._done_characters = 0
        self._started = time.monotonic()

    def advance(self, characters: int) -> None:
        self._done_characters += characters

    def finished(self, task: Task, ok: bool) -> None:
        self._done_files += 1
        elapsed = max(time.monotonic() - self._started, 1e-6)
        rate = self._done_characters / elapsed
        left = max(self._characters - self._done_characters, 0)
        eta = f"{left / rate:.0f}s" if rate > 0 else "?"
        logger.info(
            "%s %d/%d files, %d/%d chars, %.0f chars/s, eta %s: %s -> %s",
            "done" if ok else "FAILED",
            self._done_files,
            self._files,
            self._done_characters,
            self._characters,
            rate,
            eta,
            task.source.label,
            task.output or "<stdout>",
        )

    def close(self) -> None:
        pass


def print_summary(
    tasks: list[Task], tally: Tally, elapsed_s: float, retries: int, stream: TextIO
) -> None:
    """The end-of-run summary: files by outcome, characters, time, glossary outcomes, warnings."""
    states = Counter(task.state for task in tasks)
    lines = [
        "summary:",
        f"  files:      {states['done']} translated, {states[FINISHED]} already done (journal), "
        f"{states[EXISTS]} skipped (output exists), {states['failed'] + states[BROKEN]} failed",
        f"  characters: {tally.characters} in {tally.texts} texts, {elapsed_s:.1f}s"
        + (f" ({tally.characters / elapsed_s:.0f} chars/s)" if elapsed_s > 0 else ""),
    ]
    if tally.demo_texts:
        lines.append(
            f"  DEMO MODEL: {tally.demo_texts} of {tally.texts} texts were translated by a demo "
            "model, which invents names and numbers: not for real use; install real models on "
            "the server with `tlumach models fetch`"
        )
    if retries:
        lines.append(f"  retries:    {retries}")
    if tally.term_outcomes:
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(tally.term_outcomes.items()))
        lines.append(f"  glossary:   {outcomes}")
    for warning, count in sorted(tally.warnings.items(), key=lambda kv: -kv[1])[:10]:
        lines.append(f"  warning:    {warning} (x{count})")
    for task in tasks:
        if task.state in ("failed", BROKEN):
            lines.append(
                f"  failed:     {task.source.label} -> {task.target_language}: {task.reason}"
            )
    stream.write("\n".join(lines) + "\n")
