"""Converts an OPUS-MT release with transformers' own Marian converter, for the peer benchmark.

Needs the `peers` extra (torch==2.13.0 and a transformers release that still ships
`convert_marian_to_pytorch`: 4.47 is the last). The fixture release of tests/support/opus_fixture.py
differs from a real Helsinki-NLP release in two ways the converter checks, so it converts a
prepared copy: the model config gets the Marian keys a real release carries (with Marian's
defaults, which the fixture's architecture already follows), and the trailing `<pad>` entry the
fixture appends to the vocabulary is moved out, because the converter appends `<pad>` itself. The
weights are not otherwise touched; the converter saves them as float16, and the benchmark loads
them back as float32, the usual CPU precision.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import yaml

CONFIG_KEY = "special:model.yml"
PAD = "<pad>"
# Keys a Marian transformer writes into every real OPUS-MT release, with Marian's default values;
# transformers' converter refuses a config without them.
MARIAN_DEFAULTS: dict[str, Any] = {
    "layer-normalization": False,
    "right-left": False,
    "transformer-ffn-depth": 2,
    "transformer-aan-depth": 2,
    "transformer-aan-nogate": False,
    "transformer-train-position-embeddings": False,
    "ulr-dim-emb": 0,
    "dec-cell-base-depth": 2,
    "dec-cell-high-depth": 1,
    "tied-embeddings-src": False,
    "tied-embeddings": False,
}


def prepare_release(release: Path, work: Path) -> Path:
    """A copy of `release` in `work/<name>` that transformers' Marian converter accepts."""
    out = work / release.name
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in ("decoder.yml", "source.spm", "target.spm"):
        shutil.copy2(release / name, out / name)
    vocab_file = next(release.glob("*vocab.yml"))
    lines = vocab_file.read_text(encoding="utf-8").splitlines(keepends=True)
    has_pad = bool(lines) and lines[-1].startswith(f'"{PAD}"')
    (out / vocab_file.name).write_text("".join(lines[:-1] if has_pad else lines), "utf-8")
    model_file = next(release.glob("*.npz"))
    with np.load(model_file) as archive:
        weights = {key: archive[key] for key in archive.files}
    weights[CONFIG_KEY] = _with_defaults(weights[CONFIG_KEY], vocab_size=len(lines) - has_pad)
    if has_pad:
        # The converter appends a zero <pad> row itself (HF Marian models keep pad last).
        weights["Wemb"] = weights["Wemb"][:-1]
        weights["decoder_ff_logit_out_b"] = weights["decoder_ff_logit_out_b"][:, :-1]
    np.savez(out / model_file.name, **weights)  # type: ignore[arg-type]
    return out


def _with_defaults(raw: np.ndarray, vocab_size: int) -> np.ndarray:
    text = bytes(raw.astype(np.uint8)).rstrip(b"\0").decode("utf-8")
    config = yaml.safe_load(text)
    for key, value in MARIAN_DEFAULTS.items():
        config.setdefault(key, value)
    config.setdefault("dim-vocabs", [vocab_size, vocab_size])
    encoded = yaml.safe_dump(config).encode("utf-8") + b"\0"
    return np.frombuffer(encoded, dtype=np.int8).copy()


def convert_release(release: Path, dest: Path) -> Path:
    """transformers' `convert_marian_to_pytorch.convert` on a prepared copy, cached in `dest`."""
    if (dest / "config.json").exists():
        return dest
    from transformers.models.marian import convert_marian_to_pytorch

    prepared = prepare_release(release, dest.parent / "hf-release")
    convert_marian_to_pytorch.convert(prepared, dest)
    shutil.rmtree(prepared)
    return dest
