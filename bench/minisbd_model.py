"""A MiniSBD sentence splitter made here, so LibreTranslate's default splitter runs offline.

LibreTranslate's default (ARGOS_CHUNK_TYPE=DEFAULT) is MiniSBD, which downloads `<lang>.onnx`
from GitHub on first use. MiniSBD's models are Stanza's character-level tokenizer exported to
ONNX (MiniSBD's `extract.py`), so this module builds one the same way: Stanza's tokenizer network
with Stanza's default sizes (32-dim character embeddings and 5 features into a 64-unit BiLSTM, a
second, hierarchical BiLSTM, token and sentence classifiers), trained for a few hundred steps on
synthetic English news sentences, exported with the metadata MiniSBD reads (config, character
vocabulary), then int8-quantized with onnxruntime as `extract.py` does. Argos packages carry it as
`minisbd/en.onnx`, which argostranslate uses instead of downloading. Needs the `peers` extra.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

FEATURES = ("space_before", "capitalized", "numeric", "end_of_para", "start_of_para")
# What MiniSBD reads from the config (minisbd/inference.py create_session); Stanza's defaults.
CONFIG = {
    "skip_newline": False,
    "max_seqlen": 100,
    "no_ssplit": False,
    "batch_size": 32,
    "feat_funcs": list(FEATURES),
    "use_dictionary": False,
    "num_dict_feat": 0,
}
WORDS = (
    "troops",
    "drones",
    "region",
    "city",
    "president",
    "talks",
    "week",
    "night",
    "border",
    "attack",
    "bridge",
    "plant",
    "port",
    "school",
    "station",
    "village",
    "centre",
    "districts",
    "officials",
    "engineers",
    "residents",
    "governor",
    "army",
    "reported",
    "damage",
    "near",
    "kilometre",
    "visited",
    "defended",
    "inspected",
    "repaired",
    "left",
    "reached",
    "shelled",
    "cleared",
    "said",
    "that",
    "the",
    "of",
    "at",
    "and",
    "in",
    "on",
    "will",
    "continue",
    "next",
)


def network(nchars: int) -> Any:
    """Stanza's `Tokenizer` (stanza/models/tokenization/model.py) at its default sizes, no MWT."""
    import torch
    from torch import nn

    class StanzaTokenizer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embeddings = nn.Embedding(nchars, 32, padding_idx=0)
            self.rnn = nn.LSTM(32 + len(FEATURES), 64, bidirectional=True, batch_first=True)
            self.tok_clf = nn.Linear(128, 1)
            self.sent_clf = nn.Linear(128, 1)
            self.rnn2 = nn.LSTM(128, 64, bidirectional=True, batch_first=True)
            self.tok_clf2 = nn.Linear(128, 1, bias=False)
            self.sent_clf2 = nn.Linear(128, 1, bias=False)
            self.dropout = nn.Dropout(0.33)

        def forward(self, units: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
            inputs = torch.cat([self.dropout(self.embeddings(units)), features], 2)
            hidden, _ = self.rnn(inputs)
            hidden = self.dropout(hidden)
            tok0, sent0 = self.tok_clf(hidden), self.sent_clf(hidden)
            # Stanza's hierarchical step: the second RNN sees the first one's token guesses.
            hidden2, _ = self.rnn2(hidden * (1 - torch.sigmoid(-tok0 * 0.5)))
            hidden2 = self.dropout(hidden2)
            tok0 = tok0 + self.tok_clf2(hidden2)
            sent0 = sent0 + self.sent_clf2(hidden2)
            nontok, tok = nn.functional.logsigmoid(-tok0), nn.functional.logsigmoid(tok0)
            nonsent, sent = nn.functional.logsigmoid(-sent0), nn.functional.logsigmoid(sent0)
            return torch.cat([nontok, tok + nonsent, tok + sent], 2)

    return StanzaTokenizer()


def paragraph(rng: random.Random) -> tuple[str, list[int]]:
    """Synthetic sentences and the per-character labels: 0 inside, 1 token end, 2 sentence end."""
    text, labels = "", []
    for _ in range(rng.randint(1, 6)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(3, 12))]
        words[0] = words[0].capitalize()
        if rng.random() < 0.5:
            words.insert(rng.randint(1, len(words)), str(rng.randint(0, 999_999)))
        for word in words:
            if text:
                text, labels = text + " ", [*labels, 0]
            text += word
            labels += [0] * (len(word) - 1) + [1]
        text += rng.choice(".!?")
        labels.append(2)
    return text, labels


def features(text: str) -> np.ndarray:
    """MiniSBD's features per character (minisbd/modules/data.py, `para_to_sentences`)."""
    rows = [
        [
            float(char.startswith(" ")),
            float(char.isupper()),
            float(char.isdigit()),
            float(i == len(text) - 1),
            float(i == 0),
        ]
        for i, char in enumerate(text)
    ]
    return np.array(rows, dtype=np.float32)


def train(steps: int = 300, seed: int = 7) -> tuple[Any, dict[str, Any]]:
    """Train the network on synthetic paragraphs; return it and its character vocabulary."""
    import torch

    rng = random.Random(seed)
    torch.manual_seed(seed)
    corpus = [paragraph(rng) for _ in range(2000)]
    counts = Counter(char for text, _ in corpus for char in text)
    id2unit = ["<PAD>", "<UNK>", *sorted(counts, key=lambda c: -counts[c])]
    unit2id = {unit: i for i, unit in enumerate(id2unit)}
    model = network(len(id2unit))
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    for _ in range(steps):
        batch = rng.sample(corpus, 32)
        width = max(len(text) for text, _ in batch)
        units = torch.zeros((32, width), dtype=torch.long)
        feats = torch.zeros((32, width, len(FEATURES)))
        labels = torch.full((32, width), -100, dtype=torch.long)
        for row, (text, marks) in enumerate(batch):
            units[row, : len(text)] = torch.tensor([unit2id[c] for c in text])
            feats[row, : len(text)] = torch.from_numpy(features(text))
            labels[row, : len(text)] = torch.tensor(marks)
        loss = torch.nn.functional.nll_loss(model(units, feats).transpose(1, 2), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    vocab = {"lang": "en", "idx": 0, "cutoff": 0, "lower": False}
    vocab |= {"_unit2id": unit2id, "_id2unit": id2unit}
    return model.eval(), vocab


def build(out_file: Path, steps: int = 300) -> Path:
    """Train, export to ONNX with MiniSBD's metadata, quantize; cached in `out_file`."""
    if out_file.exists():
        return out_file
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model, vocab = train(steps)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    plain = out_file.with_suffix(".float.onnx")
    example = (torch.zeros((1, 8), dtype=torch.long), torch.zeros((1, 8, len(FEATURES))))
    axes = {"units": {0: "batch_size", 1: "feature_dim"}}
    axes |= {"features": {0: "batch_size", 1: "feature_dim"}, "output": {0: "batch_size"}}
    torch.onnx.export(
        model, example, str(plain), input_names=["units", "features"], output_names=["output"],
        dynamic_axes=axes, opset_version=18, dynamo=False,
    )  # fmt: skip
    graph = onnx.load(str(plain))
    meta = {"lang_code": "en", "config": CONFIG, "vocab": vocab, "lexicon": None}
    for key, value in meta.items():
        entry = graph.metadata_props.add()
        entry.key, entry.value = key, json.dumps(value)
    onnx.save(graph, str(plain))
    quantize_dynamic(str(plain), str(out_file), weight_type=QuantType.QUInt8)
    plain.unlink()
    return out_file
