"""Convert the demo checkpoint to CTranslate2 and score the CONVERTED model on the held-out sets.

Needs only ctranslate2, sentencepiece, sacrebleu and pyyaml for scoring (the conversion itself also
needs transformers + torch). Re-score a shipped model with
`python models/demo/evaluate.py --model models/demo/tlumach-demo --corpus /work/demo-build/corpus`.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import time
from pathlib import Path
from typing import Any

import ctranslate2
import sacrebleu
import sentencepiece as spm
import yaml

LANGS = ("en", "uk", "ru")
HELD_OUT_SETS = {
    "seen_names": "heldout_seen.tsv",  # new combinations of names seen in training
    "unseen_names": "heldout_unseen.tsv",  # names and places never seen in training
}


def convert(hf_dir: Path, out: Path) -> None:
    """int8 CTranslate2 model plus the SentencePiece files the engine loads."""
    from ctranslate2.converters import TransformersConverter

    start = time.monotonic()
    TransformersConverter(str(hf_dir)).convert(str(out), quantization="int8", force=True)
    for name in ("source.spm", "target.spm"):
        shutil.copy(hf_dir / name, out / name)
    print(f"converted in {time.monotonic() - start:.1f} s")


def translate(
    model_dir: Path, sources: list[str], target_token: str, beam_size: int = 2
) -> list[str]:
    """Translate plain sentences the way the service does: target token + source pieces."""
    sp = spm.SentencePieceProcessor(model_file=str(model_dir / "source.spm"))
    translator = ctranslate2.Translator(str(model_dir), device="cpu", intra_threads=1)
    tokens = [[target_token, *sp.encode(s, out_type=str)] for s in sources]
    results = translator.translate_batch(
        tokens, beam_size=beam_size, max_batch_size=64, max_decoding_length=128
    )
    return [sp.decode(r.hypotheses[0]) for r in results]


def score_all(
    model_dir: Path, corpus_dir: Path, target_tokens: dict[str, str]
) -> dict[str, dict[str, dict[str, float]]]:
    """{held-out set: {"en-uk": {"exact": %, "chrf": score, "n": count}, ...}}."""
    scores: dict[str, dict[str, dict[str, float]]] = {}
    for set_name, file_name in HELD_OUT_SETS.items():
        with (corpus_dir / file_name).open(encoding="utf-8", newline="") as fh:
            rows = [tuple(r) for r in csv.reader(fh, delimiter="\t")]
        per_pair: dict[str, dict[str, float]] = {}
        for s, src in enumerate(LANGS):
            for t, tgt in enumerate(LANGS):
                if s == t:
                    continue
                refs = [r[t] for r in rows]
                hyps = translate(model_dir, [r[s] for r in rows], target_tokens[tgt])
                exact = sum(h == r for h, r in zip(hyps, refs, strict=True)) / len(refs)
                chrf = sacrebleu.corpus_chrf(hyps, [refs]).score
                per_pair[f"{src}-{tgt}"] = {
                    "exact": round(100 * exact, 1),
                    "chrf": round(chrf, 1),
                    "n": len(refs),
                }
        scores[set_name] = per_pair
    return scores


def write_model_yaml(
    out: Path, seed: int, command: str, scores: dict[str, Any], steps: int, args: Any
) -> None:
    """The model.yaml the service's registry reads, with provenance and held-out scores."""
    manifest = {
        "name": "tlumach-demo",
        "version": time.strftime("%Y-%m-%d"),
        "pairs": [f"{s}-{t}" for s in LANGS for t in LANGS if s != t],
        "target_tokens": {"en": ">>eng<<", "uk": ">>ukr<<", "ru": ">>rus<<"},
        "source_spm": "source.spm",
        "target_spm": "target.spm",
        "demo": True,
        "license": "Apache-2.0",
        "origin": {
            "description": "small MarianMT trained on template-generated news sentences;"
            " NOT for production",
            "corpus_seed": seed,
            "training_command": command,
            "training_steps": steps,
            "dims": {
                "d_model": args.d_model,
                "layers": args.layers,
                "heads": args.heads,
                "ffn": args.ffn,
                "vocab_size": args.vocab_size,
            },
        },
        "conversion": {
            "converter": "transformers",
            "quantization": "int8",
            "ctranslate2": ctranslate2.__version__,
        },
        "held_out_scores": scores,
    }
    (out / "model.yaml").write_text(
        yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, required=True, help="converted model folder")
    parser.add_argument("--corpus", type=Path, required=True, help="folder with heldout_*.tsv")
    args = parser.parse_args()
    manifest = yaml.safe_load((args.model / "model.yaml").read_text(encoding="utf-8"))
    print(yaml.safe_dump(score_all(args.model, args.corpus, manifest["target_tokens"])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
