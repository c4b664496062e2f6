"""Decoding along a route (one leg, or two through the pivot language) via the batchers."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from service.glossary.enforcement.steps import Align, Decode, ModelCall, Reply
from service.hypothesis import Alignment, Hypothesis
from service.metrics import Metrics
from service.model_store.registry import Leg, Route
from service.translation.batcher import Batcher, BatchLimits, BatchOptions, RunBatch

logger = logging.getLogger(__name__)


def leg_batcher(leg: Leg, limits: BatchLimits, metrics: Metrics) -> Batcher:
    """The batcher of one direction, decoding and scoring with the leg's engine."""
    return Batcher(leg.pair, leg_runner(leg), leg.engine.count_tokens, limits, metrics)


def leg_runner(leg: Leg) -> RunBatch:
    """The blocking engine call of one batch of the leg: decode (with prefixes) or score."""

    def run_batch(
        texts: Sequence[str], targets: Sequence[str | None], options: BatchOptions
    ) -> list[list[Hypothesis]]:
        if options.score:
            wanted = [target or "" for target in targets]
            scores = leg.engine.score_batch(texts, wanted, target_token=leg.target_token)
            return [[Hypothesis(t, value, ())] for t, value in zip(wanted, scores, strict=True)]
        if options.align:
            wanted = [target or "" for target in targets]
            found = leg.engine.align_batch(texts, wanted, target_token=leg.target_token)
            return [
                [Hypothesis(t, 0.0, (), alignment=a)] for t, a in zip(wanted, found, strict=True)
            ]
        return leg.engine.translate_batch(
            texts,
            target_token=leg.target_token,
            beam_size=options.beam_size,
            num_hypotheses=options.num_hypotheses,
            target_prefixes=targets,
            suppress_sequences=options.suppress or None,
        )

    return run_batch


class RouteTranslator:
    """Translates and scores sentences along one route; every call goes through a batcher."""

    def __init__(self, route: Route, batchers: Mapping[str, Batcher]) -> None:
        self.route = route
        self._batchers = batchers

    async def translate(
        self,
        sentences: Sequence[str],
        options: BatchOptions,
        *,
        prefixes: Sequence[str | None] | None = None,
        deadline: float | None = None,
    ) -> list[list[Hypothesis]]:
        """Hypotheses per sentence from the last leg; earlier legs give their best to the next."""
        texts = await self._to_last_leg(sentences, options.beam_size, deadline)
        last = self.route.legs[-1]
        return await self._batchers[last.pair].submit(
            texts, options, prefixes=prefixes, deadline=deadline
        )

    async def score(
        self,
        sources: Sequence[str],
        targets: Sequence[str],
        *,
        deadline: float | None = None,
    ) -> list[float]:
        """Mean log-probability per token of each target, by the route's last model.

        Through a pivot the target is scored against the pivot translation of its source.
        """
        texts = await self._to_last_leg(sources, None, deadline)
        last = self.route.legs[-1]
        results = await self._batchers[last.pair].submit(
            texts, BatchOptions(score=True), prefixes=list(targets), deadline=deadline
        )
        return [hypotheses[0].score for hypotheses in results]

    async def align(
        self,
        sources: Sequence[str],
        targets: Sequence[str],
        *,
        deadline: float | None = None,
    ) -> list[Alignment]:
        """Where each target's pieces attend in its source, on a route of one leg.

        Through a pivot the two models' attention would have to be composed: not offered.
        """
        if len(self.route.legs) > 1:
            raise ValueError(f"alignment is not available through a pivot ({self.route.name})")
        leg = self.route.legs[0]
        results = await self._batchers[leg.pair].submit(
            sources, BatchOptions(align=True), prefixes=list(targets), deadline=deadline
        )
        return [_alignment(hypotheses) for hypotheses in results]

    async def _to_last_leg(
        self, sentences: Sequence[str], beam_size: int | None, deadline: float | None
    ) -> list[str]:
        """The sentences in the last leg's source language (pivot legs give their best)."""
        texts = list(sentences)
        for leg, following in itertools.pairwise(self.route.legs):
            # Scoring repeats one source per candidate: decode each distinct sentence once.
            distinct = list(dict.fromkeys(texts))
            results = await self._batchers[leg.pair].submit(
                distinct, BatchOptions(beam_size=beam_size), deadline=deadline
            )
            best = {
                s: _within_input(h[0], following) if h else ""
                for s, h in zip(distinct, results, strict=True)
            }
            texts = [best[text] for text in texts]
        return texts


def _within_input(hypothesis: Hypothesis, following: Leg) -> str:
    """A pivot translation the next model can read: a model's output may run to its
    `max_output_tokens`, longer than the next one's input bound (a degenerate repetition)."""
    # Counting pieces costs a tokenisation; only an output near the bound can be over it.
    if len(hypothesis.tokens) * 2 < following.engine.max_input_tokens:
        return hypothesis.text
    fitted = following.engine.fit(hypothesis.text)
    if fitted != hypothesis.text:
        logger.warning(
            "pivot translation cut to the %d-token input of %s (%d output tokens)",
            following.engine.max_input_tokens,
            following.pair,
            len(hypothesis.tokens),
        )
    return fitted


@dataclass(frozen=True)
class CallAnswerer:
    """Answers the model calls of one sentence's enforcement, with its request's deadline.

    `options` are the sentence's own decoding options (a guard-fired sentence keeps its
    suppressed words in every re-decode).
    """

    translator: RouteTranslator
    options: BatchOptions
    deadline: float | None

    async def __call__(self, call: ModelCall) -> Reply:
        if isinstance(call, Decode):
            options = replace(self.options, num_hypotheses=call.num_hypotheses)
            return await self.translator.translate(
                call.sources, options, prefixes=call.prefixes, deadline=self.deadline
            )
        if isinstance(call, Align):
            return await self.translator.align(call.sources, call.targets, deadline=self.deadline)
        return await self.translator.score(call.sources, call.targets, deadline=self.deadline)


def _alignment(hypotheses: Sequence[Hypothesis]) -> Alignment:
    found = hypotheses[0].alignment if hypotheses else None
    if found is None:
        raise ValueError("the engine answered an alignment without one")
    return found
