"""One translation model: a CTranslate2 translator with its source and target SentencePiece."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Sequence
from pathlib import Path

import ctranslate2
import sentencepiece as spm

from service.config import Settings
from service.errors import ModelError
from service.hypothesis import Alignment, Hypothesis
from service.vocab import DEVICES

logger = logging.getLogger(__name__)

PIECES_CACHE = 4096
"""Source encodings remembered per engine (thread-safe LRU)."""
MODEL_POSITIONS = 512
"""Source positions of a MarianMT (OPUS-MT) model: no input may be longer."""


class Engine:
    """Translates and scores sentences with one converted model; safe to call from several threads.

    The constructor mirrors `ctranslate2.Translator`; `target_token` is the OPUS-MT language token
    (e.g. ">>ukr<<") that multilingual models expect at the start of the source.
    """

    def __init__(
        self,
        model_dir: Path,
        *,
        device: str = "cpu",
        compute_type: str = "int8",
        inter_threads: int = 1,
        intra_threads: int = 1,
        source_spm: str = "source.spm",
        target_spm: str = "target.spm",
        beam_size: int = Settings.beam_size,
        max_input_tokens: int = Settings.max_input_tokens,
        max_output_tokens: int = Settings.max_output_tokens,
    ) -> None:
        if device not in DEVICES:
            raise ModelError(f"device={device!r} is not accepted; use one of: {', '.join(DEVICES)}")
        self.model_dir = model_dir
        self.beam_size = beam_size
        self.max_input_tokens = max_input_tokens
        self.max_output_tokens = max_output_tokens
        try:
            self._source = spm.SentencePieceProcessor(model_file=str(model_dir / source_spm))
            self._target = spm.SentencePieceProcessor(model_file=str(model_dir / target_spm))
            self._translator = ctranslate2.Translator(
                str(model_dir),
                device=device,
                compute_type=compute_type,
                inter_threads=inter_threads,
                intra_threads=intra_threads,
            )
        except (OSError, RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot load model from {model_dir}: {exc}") from exc
        self.compute_type = compute_type
        self._target_vocabulary = _read_target_vocabulary(model_dir)
        # A sentence is measured when it is cut, again when it is queued, and encoded when it
        # is decoded: remembering recent encodings makes that one SentencePiece call, not three.
        self._pieces = functools.lru_cache(maxsize=PIECES_CACHE)(self._encode)

    def tokenize(self, text: str, target_token: str | None = None) -> list[str]:
        """Source pieces of `text`, led by the target-language token when one is given."""
        pieces = self._pieces(text)
        return [target_token, *pieces] if target_token else list(pieces)

    def count_tokens(self, text: str) -> int:
        """Number of source pieces of `text` (for batching budgets and input limits)."""
        return len(self._pieces(text))

    def _encode(self, text: str) -> tuple[str, ...]:
        return tuple(self._source.encode(text, out_type=str))

    def fit(self, text: str) -> str:
        """`text` cut to its first `max_input_tokens` source pieces (unchanged when it fits).

        Only for another model's output (a pivot translation), which can run to that model's
        `max_output_tokens`; a caller's sentence is split to fit instead, never cut.
        """
        pieces: list[str] = self._source.encode(text, out_type=str)
        if len(pieces) <= self.max_input_tokens:
            return text
        cut: str = self._source.decode(pieces[: self.max_input_tokens])
        return cut

    def translate_batch(
        self,
        texts: Sequence[str],
        *,
        target_token: str | None = None,
        beam_size: int | None = None,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        suppress_sequences: Sequence[str] | None = None,
    ) -> list[list[Hypothesis]]:
        """Translate `texts`; each result holds `num_hypotheses` candidates, best first."""
        if not texts:
            return []
        source = self._sources(texts, target_token)
        beam = max(beam_size or self.beam_size, num_hypotheses)
        results = self._translator.translate_batch(
            source,
            beam_size=beam,
            num_hypotheses=num_hypotheses,
            target_prefix=self._prefixes(target_prefixes),
            suppress_sequences=self._suppressed(suppress_sequences),
            return_scores=True,
            # A fixed bound (not one derived from the batch) keeps a sentence's output independent
            # of the sentences it happens to be batched with.
            max_decoding_length=self.max_output_tokens,
            max_input_length=0,  # never truncate: _sources refuses what is too long
        )
        return [
            [
                Hypothesis(self._target.decode(tokens), score, tuple(tokens))
                for tokens, score in zip(result.hypotheses, result.scores, strict=True)
            ]
            for result in results
        ]

    def score_batch(
        self, sources: Sequence[str], targets: Sequence[str], *, target_token: str | None = None
    ) -> list[float]:
        """Mean log-probability per target token of each (source, target) pair."""
        if not sources:
            return []
        source = self._sources(sources, target_token)
        target = [self._target.encode(text, out_type=str) for text in targets]
        results = self._translator.score_batch(source, target, max_input_length=0)
        return [sum(r.log_probs) / max(1, len(r.log_probs)) for r in results]

    def align_batch(
        self, sources: Sequence[str], targets: Sequence[str], *, target_token: str | None = None
    ) -> list[Alignment]:
        """Where each target's pieces attend in its source: one forced decode at beam 1.

        Forced, so the alignment is of exactly the text given; beam 1, because with a wider beam
        CTranslate2 reports the first step's attention from another hypothesis.
        """
        if not sources:
            return []
        source = self._sources(sources, target_token)
        pieces = [self._target.encode(text, out_type=str) for text in targets]
        results = self._translator.translate_batch(
            source,
            target_prefix=pieces,
            beam_size=1,
            return_attention=True,
            max_decoding_length=max(len(p) for p in pieces) + 1,
            max_input_length=0,
        )
        skip = 1 if target_token else 0  # the language token is no word of the source
        return [
            Alignment(
                piece_spans(text, tokens[skip:]),
                piece_spans(target, wanted),
                tuple(tuple(row[skip:]) for row in result.attention[0][: len(wanted)]),
            )
            for text, tokens, target, wanted, result in zip(
                sources, source, targets, pieces, results, strict=True
            )
        ]

    def _sources(self, texts: Sequence[str], target_token: str | None) -> list[list[str]]:
        """Source pieces of each text; a text too long for any leg is an error, never cut.

        The pipeline cuts a caller's sentences to `max_input_tokens`, and a pivot leg's input is
        an earlier leg's output, at most `max_output_tokens`: a longer input here is a bug (say a
        re-joined cut sentence), which a truncated translation would hide.
        """
        source = [self.tokenize(text, target_token) for text in texts]
        bound = max(self.max_input_tokens, self.max_output_tokens)
        limit = min(bound, MODEL_POSITIONS) + (1 if target_token else 0)
        longest = max(len(pieces) for pieces in source)
        if longest > limit:
            raise ModelError(f"an input of {longest} tokens is longer than the {limit} allowed")
        return source

    def _prefixes(self, prefixes: Sequence[str | None] | None) -> list[list[str]] | None:
        if not prefixes or all(p is None for p in prefixes):
            return None
        return [self._target.encode(p, out_type=str) if p else [] for p in prefixes]

    def _suppressed(self, words: Sequence[str] | None) -> list[list[str]] | None:
        """Token sequences to suppress; CTranslate2 refuses a token outside the vocabulary."""
        if not words:
            return None
        sequences = [self._target.encode(word, out_type=str) for word in words]
        known = [seq for seq in sequences if seq and all(t in self._target_vocabulary for t in seq)]
        return known or None

    def unload(self) -> None:
        """Free the model's memory (the object cannot translate afterwards)."""
        self._translator.unload_model()


def _read_target_vocabulary(model_dir: Path) -> frozenset[str]:
    """The converted model's target tokens (shared or target vocabulary, JSON or text)."""
    for name in ("target_vocabulary", "shared_vocabulary"):
        as_json = model_dir / f"{name}.json"
        if as_json.is_file():
            return frozenset(json.loads(as_json.read_text(encoding="utf-8")))
        as_text = model_dir / f"{name}.txt"
        if as_text.is_file():
            return frozenset(as_text.read_text(encoding="utf-8").splitlines())
    raise ModelError(f"{model_dir}: no target or shared vocabulary file")


def piece_spans(text: str, pieces: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Character span of each SentencePiece piece in `text` ("\u2581" stands for a space).

    A piece whose letters the normaliser changed gets an empty span where it would start.
    """
    spans = []
    position = 0
    for piece in pieces:
        letters = piece.replace("\u2581", " ")
        if letters.startswith(" "):
            while position < len(text) and text[position].isspace():
                position += 1
            letters = letters.lstrip(" ")
        found = text.find(letters, position, position + len(letters) + 8) if letters else -1
        if found >= 0:
            spans.append((found, found + len(letters)))
            position = found + len(letters)
        else:
            # The normaliser changed it (NFKC): skip as many characters, which keeps the
            # pieces after it in place when it mapped one character to one.
            spans.append((position, position))
            position += len(letters)
    return tuple(spans)
