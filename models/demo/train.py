"""Train, convert and evaluate the multilingual en/uk/ru demo model (run once, outside CI).

Needs the `demo` extra (torch==2.13.0 CPU, transformers, sacrebleu) in its own virtual environment:

    python3 -m venv /work/demo-venv
    /work/demo-venv/bin/pip install torch==2.13.0 'transformers>=4.40,<6' sentencepiece \
        sacrebleu numpy pyyaml ctranslate2
    nice -n 10 /work/demo-venv/bin/python models/demo/train.py \
        --work /work/demo-build --out models/demo/tlumach-demo --max-minutes 30

One MarianMTModel serves all six directions: the OPUS-MT target-language token (`>>ukr<<`,
`>>rus<<`, `>>eng<<`) is prepended to the source. The Hugging Face checkpoint stays in `--work`;
`--out` gets the int8 CTranslate2 conversion, the SentencePiece model and `model.yaml` with
the held-out scores.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import random
import shutil
import sys
import time
from pathlib import Path

import sentencepiece as spm
import torch
from transformers import MarianConfig, MarianMTModel, MarianTokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
# ruff: noqa: S311 (seeded `random` makes shuffling reproducible; nothing here is a secret)
import corpus
import evaluate

log = logging.getLogger("demo.train")
TARGET_TOKENS = {"en": ">>eng<<", "uk": ">>ukr<<", "ru": ">>rus<<"}
DIRECTIONS = [(s, t) for s in ("en", "uk", "ru") for t in ("en", "uk", "ru") if s != t]
SPECIALS = ("</s>", "<unk>")


def train_spm(work: Path, rows: list[tuple[str, str, str]], vocab_size: int) -> Path:
    """One SentencePiece model shared by all three languages (OPUS-MT style source/target.spm)."""
    text = work / "spm_train.txt"
    sample = random.Random(0).sample(rows, min(len(rows), 60_000))
    text.write_text("".join(f"{line}\n" for row in sample for line in row), encoding="utf-8")
    prefix = work / "shared"
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        split_digits=True,
        user_defined_symbols=list(TARGET_TOKENS.values()),
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


def marian_vocab(sp: spm.SentencePieceProcessor) -> dict[str, int]:
    """Marian order: </s>, <unk>, pieces..., <pad> last (the converter drops the final <pad>)."""
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    tokens = list(SPECIALS) + [p for p in pieces if p not in SPECIALS]
    tokens.append("<pad>")
    return {tok: i for i, tok in enumerate(tokens)}


def encode_pairs(
    rows: list[tuple[str, str, str]], sp: spm.SentencePieceProcessor, vocab: dict[str, int]
) -> list[tuple[list[int], list[int]]]:
    """All six directions of every row as (source ids with target token, target ids) + </s>."""
    unk, eos = vocab["<unk>"], vocab["</s>"]
    pieces = [
        [[vocab.get(p, unk) for p in sp.encode(x, out_type=str)] for x in row] for row in rows
    ]
    pairs = []
    for ids in pieces:
        for src, tgt in DIRECTIONS:
            s, t = ["en", "uk", "ru"].index(src), ["en", "uk", "ru"].index(tgt)
            pairs.append(([vocab[TARGET_TOKENS[tgt]], *ids[s], eos], [*ids[t], eos]))
    return pairs


def build_model(vocab_size: int, pad: int, eos: int, args: argparse.Namespace) -> MarianMTModel:
    config = MarianConfig(
        vocab_size=vocab_size,
        decoder_vocab_size=vocab_size,
        d_model=args.d_model,
        encoder_layers=args.layers,
        decoder_layers=args.layers,
        encoder_attention_heads=args.heads,
        decoder_attention_heads=args.heads,
        encoder_ffn_dim=args.ffn,
        decoder_ffn_dim=args.ffn,
        max_position_embeddings=256,
        pad_token_id=pad,
        eos_token_id=eos,
        decoder_start_token_id=pad,
        forced_eos_token_id=eos,
        dropout=0.1,
        attention_dropout=0.0,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
    )
    model = MarianMTModel(config)
    zero_pad_embedding(model, pad)
    return model


def zero_pad_embedding(model: MarianMTModel, pad: int) -> None:
    """CTranslate2 starts the decoder from a zero vector, HF from <pad>'s: keep it zero."""
    with torch.no_grad():
        model.get_input_embeddings().weight[pad].zero_()


def batches(
    pairs: list[tuple[list[int], list[int]]], max_tokens: int, rng: random.Random
) -> list[list[int]]:
    """Index batches of similar length (sorted within shuffled chunks) up to max_tokens each."""
    order = list(range(len(pairs)))
    rng.shuffle(order)
    out: list[list[int]] = []
    for start in range(0, len(order), 4096):
        chunk = sorted(order[start : start + 4096], key=lambda i: len(pairs[i][0]))
        batch: list[int] = []
        longest = 0
        for i in chunk:
            longest = max(longest, len(pairs[i][0]), len(pairs[i][1]))
            if batch and longest * (len(batch) + 1) > max_tokens:
                out.append(batch)
                batch, longest = [], max(len(pairs[i][0]), len(pairs[i][1]))
            batch.append(i)
        if batch:
            out.append(batch)
    rng.shuffle(out)
    return out


def collate(
    pairs: list[tuple[list[int], list[int]]], idx: list[int], pad: int
) -> dict[str, torch.Tensor]:
    src = [pairs[i][0] for i in idx]
    tgt = [pairs[i][1] for i in idx]
    s_len, t_len = max(map(len, src)), max(map(len, tgt))
    input_ids = torch.tensor([s + [pad] * (s_len - len(s)) for s in src])
    labels = torch.tensor([t + [-100] * (t_len - len(t)) for t in tgt])
    decoder_in = torch.tensor([[pad, *t[:-1]] + [pad] * (t_len - len(t)) for t in tgt])
    return {
        "input_ids": input_ids,
        "attention_mask": (input_ids != pad).long(),
        "decoder_input_ids": decoder_in,
        "labels": labels,
    }


def learning_rate(step: int, progress: float, peak: float, warmup: int) -> float:
    """Linear warm-up, then cosine decay over the time budget (progress = elapsed / budget)."""
    if step < warmup:
        return peak * (step + 1) / warmup
    return peak * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0))))


def train(model: MarianMTModel, pairs: list, pad: int, args: argparse.Namespace) -> int:
    """Train until --max-minutes; returns the number of optimizer steps."""
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=0.0)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.1)
    budget = args.max_minutes * 60
    start, step, epoch = time.monotonic(), 0, 0
    model.train()
    while time.monotonic() - start < budget:
        epoch += 1
        for idx in batches(pairs, args.batch_tokens, rng):
            progress = (time.monotonic() - start) / budget
            if progress >= 1:
                break
            for group in opt.param_groups:
                group["lr"] = learning_rate(step, progress, args.lr, args.warmup)
            batch = collate(pairs, idx, pad)
            labels = batch.pop("labels")
            logits = model(**batch).logits
            loss = loss_fn(logits.view(-1, logits.size(-1)), labels.view(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            zero_pad_embedding(model, pad)
            step += 1
            if step % 200 == 0:
                log.info(
                    "epoch %d step %d %.1f%% loss %.3f", epoch, step, 100 * progress, loss.item()
                )
    model.eval()
    return step


def export(model: MarianMTModel, spm_path: Path, vocab: dict[str, int], hf_dir: Path) -> None:
    """Save a Hugging Face Marian checkpoint plus what MarianTokenizer and the converter read."""
    hf_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(hf_dir)
    for name in ("source.spm", "target.spm"):
        shutil.copy(spm_path, hf_dir / name)
    (hf_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = MarianTokenizer(
        source_spm=str(hf_dir / "source.spm"),
        target_spm=str(hf_dir / "target.spm"),
        vocab=str(hf_dir / "vocab.json"),
    )
    tok.save_pretrained(hf_dir)


def read_rows(path: Path) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r[0], r[1], r[2]) for r in csv.reader(fh, delimiter="\t")]


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--work", type=Path, required=True, help="scratch folder (corpus, HF checkpoint)"
    )
    p.add_argument("--out", type=Path, required=True, help="converted model folder to write")
    p.add_argument("--seed", type=int, default=20250101, help="corpus and training seed")
    p.add_argument("--train-size", type=int, default=300_000, help="template draws before dedup")
    p.add_argument("--max-minutes", type=float, default=30.0, help="wall-clock training budget")
    p.add_argument("--vocab-size", type=int, default=1500, help="shared SentencePiece pieces")
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--layers", type=int, default=3, help="encoder and decoder layers each")
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ffn", type=int, default=1024)
    p.add_argument("--lr", type=float, default=1.5e-3, help="peak learning rate")
    p.add_argument("--warmup", type=int, default=400)
    p.add_argument("--batch-tokens", type=int, default=2500, help="padded source tokens per batch")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument(
        "--real-share",
        type=float,
        default=0.0,
        help="share of slot draws from the few real names (else uniform over real + invented)",
    )
    p.add_argument(
        "--init-from",
        type=Path,
        help="continue from an earlier stage's HF checkpoint (reuses its SentencePiece model and "
        "vocabulary; its corpus/train.tsv beside it is kept out of the held-out sets)",
    )
    return p.parse_args()


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    args = parse_args()
    torch.set_num_threads(args.threads)
    corpus_dir = args.work / "corpus"
    earlier: frozenset[str] = frozenset()
    if args.init_from:
        earlier = frozenset(r[0] for r in read_rows(args.init_from.parent / "corpus" / "train.tsv"))
    sizes = corpus.write_splits(
        corpus_dir, args.seed, args.train_size, 600, args.real_share, exclude=earlier
    )
    log.info("corpus %s", sizes)
    rows = read_rows(corpus_dir / "train.tsv")
    if args.init_from:
        spm_path = args.init_from / "source.spm"
        vocab = json.loads((args.init_from / "vocab.json").read_text(encoding="utf-8"))
    else:
        spm_path = train_spm(args.work, rows, args.vocab_size)
    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    if not args.init_from:
        vocab = marian_vocab(sp)
    pairs = encode_pairs(rows, sp, vocab)
    pad, eos = vocab["<pad>"], vocab["</s>"]
    if args.init_from:
        model = MarianMTModel.from_pretrained(args.init_from)
    else:
        model = build_model(len(vocab), pad, eos, args)
    log.info("%d pairs, vocab %d, %d parameters", len(pairs), len(vocab), model.num_parameters())
    steps = train(model, pairs, pad, args)
    hf_dir = args.work / "hf"
    export(model, spm_path, vocab, hf_dir)
    evaluate.convert(hf_dir, args.out)
    scores = evaluate.score_all(args.out, corpus_dir, TARGET_TOKENS)
    command = " ".join(["python", "models/demo/train.py", *sys.argv[1:]])
    if args.init_from:
        earlier_command = (args.init_from / "training_command.txt").read_text(encoding="utf-8")
        command = f"{earlier_command.strip()} && {command}"
    (hf_dir / "training_command.txt").write_text(command + "\n", encoding="utf-8")
    evaluate.write_model_yaml(args.out, args.seed, command, scores, steps, args)
    log.info("steps %d scores %s", steps, json.dumps(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
