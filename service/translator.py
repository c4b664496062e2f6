"""Decoding along a route: one leg, or two through the pivot language, via the batchers."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from service.batcher import Batcher, BatchOptions
from service.engine import Hypothesis
from service.models import Route


class RouteTranslator:
    """Translates sentences along one route; batched for requests, direct for repairs."""

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
        texts = list(sentences)
        results: list[list[Hypothesis]] = []
        for index, leg in enumerate(self.route.legs):
            last = index == len(self.route.legs) - 1
            leg_options = options if last else BatchOptions(beam_size=options.beam_size)
            results = await self._batchers[leg.pair].submit(
                texts, leg_options, prefixes=prefixes if last else None, deadline=deadline
            )
            texts = [hypotheses[0].text if hypotheses else "" for hypotheses in results]
        return results

    def decoder(self, loop: asyncio.AbstractEventLoop) -> SyncDecoder:
        """A blocking decoder for glossary repair, run from a worker thread."""
        return SyncDecoder(self, loop)


class SyncDecoder:
    """Blocking `translate`/`score` over a route, for code running in a worker thread.

    Translation goes through the batchers on the event loop (so repairs share batches and honour
    queue limits); scoring calls the last leg's engine directly, scoring against the pivot text.
    """

    def __init__(self, translator: RouteTranslator, loop: asyncio.AbstractEventLoop) -> None:
        self._translator = translator
        self._loop = loop

    def translate(
        self,
        sources: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
    ) -> list[list[Hypothesis]]:
        """Hypotheses for each source sentence, optionally forced to start with a prefix."""
        future = asyncio.run_coroutine_threadsafe(
            self._translator.translate(
                sources, BatchOptions(num_hypotheses=num_hypotheses), prefixes=target_prefixes
            ),
            self._loop,
        )
        return future.result()

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Mean log-probability of each target given its source, by the route's last model."""
        legs = self._translator.route.legs
        sources = list(sources)
        if len(legs) > 1:
            pivots = self.translate(sources)
            sources = [hypotheses[0].text for hypotheses in pivots]
        last = legs[-1]
        return last.engine.score_batch(sources, targets, target_token=last.target_token)
