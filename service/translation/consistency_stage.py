"""The name-consistency stage of a request: one computation per text, its model calls batched."""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Executor

from service.glossary.consistency.stage import NameConsistency
from service.glossary.enforcement.match import TermMatch
from service.glossary.enforcement.steps import drive
from service.hypothesis import Hypothesis
from service.metrics import Metrics
from service.translation.batcher import BatchOptions
from service.translation.glossary_stage import Enforced
from service.translation.request import TranslationOptions
from service.translation.routes import CallAnswerer, RouteTranslator
from service.vocab import AUTO_CONSISTENCY


class ConsistencyStage:
    """Keeps names no glossary covers consistent across each text (after glossary enforcement).

    Its CPU work runs in `executor`; its alignment and scores go through the batchers with the
    request's deadline. Through a pivot it does nothing: attention across two models would have
    to be composed, which is not done yet.
    """

    def __init__(self, metrics: Metrics, consistency: NameConsistency, executor: Executor) -> None:
        self._metrics = metrics
        self._consistency = consistency
        self._executor = executor

    async def apply(
        self,
        translator: RouteTranslator,
        sources: Sequence[str],
        enforced: Enforced,
        matches: dict[int, list[TermMatch]],
        options: TranslationOptions,
        deadline: float | None,
    ) -> Enforced:
        """`enforced` with every recurring name's mentions agreeing, and their reports added."""
        route = translator.route
        if not options.auto_consistency or len(route.legs) > 1 or len(sources) < 2:
            return enforced
        started = time.monotonic()
        source, target = route.pair.split("-")
        texts = [hypotheses[0].text for hypotheses in enforced.hypotheses]
        glossary = [matches.get(index, []) for index in range(len(sources))]
        steps = self._consistency.run(sources, texts, (source, target), glossary)
        answer = CallAnswerer(translator, BatchOptions(), deadline)
        result = await drive(steps, answer, self._executor)
        hypotheses = list(enforced.hypotheses)
        for index, text in enumerate(result.texts):
            if text != texts[index]:
                best, *others = hypotheses[index]
                hypotheses[index] = [Hypothesis(text, best.score, best.tokens), *others]
        reports = [(*old, *new) for old, new in zip(enforced.reports, result.reports, strict=True)]
        found = sum(len(new) for new in result.reports)
        if found:
            self._metrics.glossary_terms.labels(route.pair, AUTO_CONSISTENCY).inc(found)
        self._metrics.stage_duration.labels("consistency", route.pair).observe(
            time.monotonic() - started
        )
        return Enforced(hypotheses, reports, enforced.warnings)
