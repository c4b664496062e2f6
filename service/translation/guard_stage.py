"""The target-language guard on a text's sentences: check, re-decode the drifted ones once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

from service.hypothesis import Hypothesis
from service.metrics import Metrics
from service.text.guard import LanguageGuard
from service.translation.batcher import BatchOptions
from service.translation.routes import RouteTranslator


@dataclass(frozen=True)
class Guarded:
    """Per sentence: the options later re-decodes use, and whether it is still off-language."""

    options: list[BatchOptions]
    wrong_language: list[bool]


class GuardStage:
    """Runs the guard's checks in the text threads and its re-decodes through the batchers."""

    def __init__(self, guard: LanguageGuard | None, metrics: Metrics, executor: Executor) -> None:
        self._guard = guard
        self._metrics = metrics
        self._executor = executor

    async def apply(
        self,
        translator: RouteTranslator,
        parts: Sequence[str],
        hypotheses: list[list[Hypothesis]],
        options: BatchOptions,
        deadline: float | None,
    ) -> Guarded:
        """Re-decode, once, the sentences in the wrong language (replacing their hypotheses).

        A sentence the re-decode fixed keeps the other language's words suppressed in every
        re-decode that enforcement makes of it (one it did not fix gains nothing from them).
        Only the parts that were sent are re-decoded, never a re-joined over-long sentence.
        """
        guarded = Guarded([options] * len(parts), [False] * len(parts))
        guard = self._guard
        if guard is None:
            return guarded
        started = time.monotonic()
        pair, target = translator.route.pair, translator.route.pair.split("-")[1]
        loop = asyncio.get_running_loop()
        wrong = await loop.run_in_executor(
            self._executor,
            lambda: [i for i, h in enumerate(hypotheses) if not guard.check(h[0].text, target)],
        )
        if wrong:
            self._metrics.language_guard.labels(pair, "fired").inc(len(wrong))
            suppressed = BatchOptions(
                beam_size=options.beam_size,
                num_hypotheses=options.num_hypotheses,
                suppress=tuple(guard.suppressed_words(target)),
            )
            redone = await translator.translate(
                [parts[i] for i in wrong], suppressed, deadline=deadline
            )
            fixed = await loop.run_in_executor(
                self._executor,
                lambda: [bool(h) and guard.check(h[0].text, target) for h in redone],
            )
            for index, hyps, ok in zip(wrong, redone, fixed, strict=True):
                if ok:
                    hypotheses[index] = list(hyps)
                    guarded.options[index] = suppressed
                else:
                    guarded.wrong_language[index] = True
                self._metrics.language_guard.labels(pair, "repaired" if ok else "failed").inc()
        self._metrics.stage_duration.labels("guard", pair).observe(time.monotonic() - started)
        return guarded
