"""Builds a small Marian model in the real OPUS-MT release layout, for tests and benchmarks.

The layout is what Helsinki-NLP release archives unpack to: `decoder.yml`, `opus.spm32k-spm32k.*`
weights as `.npz` with Marian's own parameter names and its `special:model.yml` config, a YAML
vocabulary, and `source.spm` / `target.spm`. Weights are random (seeded); the point is that the real
converter and the real engine run on it.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sentencepiece as spm
import yaml

SPECIALS = ("</s>", "<unk>")


@dataclass(frozen=True)
class Dimensions:
    """Transformer dimensions of the fixture model."""

    enc_layers: int = 2
    dec_layers: int = 2
    d_model: int = 64
    heads: int = 4
    ffn: int = 128
    vocab_size: int = 300
    """Pieces trained by SentencePiece; the Marian vocabulary may be padded beyond this."""
    padded_vocab: int = 0
    """Total vocabulary size after padding with unused tokens (0 = no padding)."""
    eos_bias: float = 2.0
    """Logit bias of </s>: positive ends random outputs after a few tokens, very negative never."""


TINY = Dimensions()
# OPUS-MT's real size: 6+6 layers, d_model 512, 8 heads, ffn 2048, ~60k vocabulary.
# Its random weights never emit </s>, so every output runs to the length limit (fair benchmarks).
OPUS_SIZE = Dimensions(6, 6, 512, 8, 2048, vocab_size=2000, padded_vocab=60_000, eos_bias=-1e4)


def build_opus_release(
    out_dir: Path, corpus: list[str], dims: Dimensions = TINY, seed: int = 7
) -> Path:
    """Write an OPUS-MT style release into `out_dir` and return it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pieces = _train_spm(out_dir, corpus, dims.vocab_size)
    vocab = list(SPECIALS) + [p for p in pieces if p not in SPECIALS]
    if dims.padded_vocab > len(vocab):
        vocab += [f"<extra_{i}>" for i in range(dims.padded_vocab - len(vocab))]
    vocab.append("<pad>")
    vocab_name = "opus.spm.vocab.yml"
    (out_dir / vocab_name).write_text(
        "".join(f"{json.dumps(token, ensure_ascii=False)}: {i}\n" for i, token in enumerate(vocab)),
        encoding="utf-8",
    )
    model_name = "opus.spm.model.npz"
    np.savez(out_dir / model_name, **_weights(dims, len(vocab), seed))
    decoder = {
        "models": [model_name],
        "vocabs": [vocab_name, vocab_name],
        "beam-size": 4,
        "normalize": 1,
        "word-penalty": 0,
        "mini-batch": 16,
        "maxi-batch": 100,
        "maxi-batch-sort": "src",
        "relative-paths": True,
    }
    (out_dir / "decoder.yml").write_text(yaml.safe_dump(decoder), encoding="utf-8")
    return out_dir


def _train_spm(out_dir: Path, corpus: list[str], vocab_size: int) -> list[str]:
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        minloglevel=2,
    )
    for name in ("source.spm", "target.spm"):
        (out_dir / name).write_bytes(model.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _weights(dims: Dimensions, vocab: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    d, f = dims.d_model, dims.ffn

    def mat(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) / np.sqrt(rows)).astype(np.float32)

    def vec(size: int, value: float = 0.0) -> np.ndarray:
        return np.full((1, size), value, dtype=np.float32)

    weights: dict[str, np.ndarray] = {"Wemb": mat(vocab, d), "decoder_ff_logit_out_b": vec(vocab)}
    weights["decoder_ff_logit_out_b"][0, SPECIALS.index("</s>")] = dims.eos_bias
    for side, layers in (("encoder", dims.enc_layers), ("decoder", dims.dec_layers)):
        for layer in range(1, layers + 1):
            scope = f"{side}_l{layer}"
            blocks = ["self"] if side == "encoder" else ["self", "context"]
            for block in blocks:
                for name in ("q", "k", "v", "o"):
                    weights[f"{scope}_{block}_W{name}"] = mat(d, d)
                    weights[f"{scope}_{block}_b{name}"] = vec(d)
                weights[f"{scope}_{block}_Wo_ln_scale"] = vec(d, 1.0)
                weights[f"{scope}_{block}_Wo_ln_bias"] = vec(d)
            weights[f"{scope}_ffn_W1"] = mat(d, f)
            weights[f"{scope}_ffn_b1"] = vec(f)
            weights[f"{scope}_ffn_W2"] = mat(f, d)
            weights[f"{scope}_ffn_b2"] = vec(d)
            weights[f"{scope}_ffn_ffn_ln_scale"] = vec(d, 1.0)
            weights[f"{scope}_ffn_ffn_ln_bias"] = vec(d)
    config = {
        "type": "transformer",
        "dim-emb": d,
        "enc-depth": dims.enc_layers,
        "dec-depth": dims.dec_layers,
        "transformer-heads": dims.heads,
        "transformer-dim-ffn": f,
        "transformer-ffn-activation": "swish",
        "transformer-decoder-autoreg": "self-attention",
        "transformer-no-projection": False,
        "transformer-preprocess": "",
        "transformer-postprocess": "dan",
        "transformer-postprocess-emb": "d",
        "transformer-guided-alignment-layer": "last",
        "tied-embeddings-all": True,
    }
    text = yaml.safe_dump(config).encode("utf-8") + b"\0"
    weights["special:model.yml"] = np.frombuffer(text, dtype=np.int8).copy()
    return weights
