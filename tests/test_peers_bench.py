"""bench/peers.py and its helpers: Argos packages, the offline guard, the converters, the workload.

Nothing here needs LibreTranslate, argostranslate, torch or transformers: the tests that use them
run where they are installed (argostranslate in bench/.cache/lt-venv, transformers with the
`peers` extra) and are skipped elsewhere, as in CI.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from bench import lt_launch
from bench.argos_package import build_package, package_name
from bench.hf_marian import CONFIG_KEY, MARIAN_DEFAULTS, prepare_release
from bench.peer_load import Figures, Item, article_items, run_callers, run_rounds, sentence_items

ROOT = Path(__file__).resolve().parents[1]
LT_PYTHON = ROOT / "bench" / ".cache" / "lt-venv" / "bin" / "python"


def _argos_python() -> str | None:
    """An interpreter with argostranslate: this one, or LibreTranslate's bench venv."""
    if importlib.util.find_spec("argostranslate") is not None:
        return sys.executable
    if LT_PYTHON.exists():
        found = subprocess.run([str(LT_PYTHON), "-c", "import argostranslate.package"], check=False)
        if found.returncode == 0:
            return str(LT_PYTHON)
    return None


def _has_marian_converter() -> bool:
    if (
        importlib.util.find_spec("torch") is None
        or importlib.util.find_spec("transformers") is None
    ):
        return False
    return (
        importlib.util.find_spec("transformers.models.marian.convert_marian_to_pytorch") is not None
    )


def test_argos_package_has_the_layout_argostranslate_reads(
    models_dir: Path, tmp_path: Path
) -> None:
    splitter = tmp_path / "spacy"
    (splitter / "tokenizer").mkdir(parents=True)
    (splitter / "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    (splitter / "tokenizer" / "data").write_bytes(b"\0")
    out = build_package(
        models_dir / "en-uk", tmp_path / "p.argosmodel", "en", "uk", splitter=("spacy", splitter)
    )
    root = package_name("en", "uk")
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        info = json.loads(archive.read(f"{root}/metadata.json"))
        assert (
            archive.read(f"{root}/sentencepiece.model")
            == (models_dir / "en-uk" / "source.spm").read_bytes()
        )
    assert {
        f"{root}/model/model.bin",
        f"{root}/model/config.json",
        f"{root}/model/shared_vocabulary.json",
        f"{root}/README.md",
        f"{root}/spacy/config.cfg",
        f"{root}/spacy/tokenizer/data",
    } <= names
    assert not any(name.endswith((".spm", "model.yaml")) for name in names)
    assert (info["from_code"], info["to_code"], info["type"]) == ("en", "uk", "translate")
    assert info["links"] == []


def test_argos_package_refuses_what_argos_cannot_express(models_dir: Path, tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    for path in (models_dir / "en-uk").iterdir():
        (model / path.name).write_bytes(path.read_bytes())
    with pytest.raises(ValueError, match="language 'de'"):
        build_package(model, tmp_path / "x.argosmodel", "en", "de")
    with pytest.raises(ValueError, match="splitter 'stanza'"):
        build_package(model, tmp_path / "x.argosmodel", "en", "uk", splitter=("stanza", model))
    (model / "target.spm").write_bytes(b"another tokenizer")
    with pytest.raises(ValueError, match=r"source\.spm and target\.spm differ"):
        build_package(model, tmp_path / "x.argosmodel", "en", "uk")


ARGOS_LOADS = """
import json, sys
sys.path.insert(0, sys.argv[1])
import lt_launch
lt_launch.install_network_guard(__import__("pathlib").Path(sys.argv[2]))
import ctranslate2
from argostranslate import package
package.install_from_path(sys.argv[3])
(pkg,) = package.get_installed_packages()
pieces = pkg.tokenizer.encode("Drones attacked the city.")
translator = ctranslate2.Translator(str(pkg.package_path / "model"))
result = translator.translate_batch([pieces], max_decoding_length=8)
print(json.dumps([pkg.from_code, pkg.to_code, len(pieces), len(result[0].hypotheses[0])]))
"""


@pytest.mark.skipif(_argos_python() is None, reason="argostranslate is not installed here")
def test_argostranslate_installs_and_loads_the_package(models_dir: Path, tmp_path: Path) -> None:
    python = _argos_python()
    assert python is not None
    out = build_package(models_dir / "en-uk", tmp_path / "p.argosmodel", "en", "uk")
    home = tmp_path / "home"
    env = {"HOME": str(home), "ARGOS_PACKAGES_DIR": str(home / "packages"), "PATH": "/usr/bin"}
    log = tmp_path / "network.log"
    command = [python, "-c", ARGOS_LOADS, str(ROOT / "bench"), str(log), str(out)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    from_code, to_code, pieces, output = json.loads(done.stdout.strip().splitlines()[-1])
    assert (from_code, to_code) == ("en", "uk")
    assert pieces > 3
    assert output > 0
    assert not log.exists()  # installing and loading never reached for the network


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("127.3.4.5", True),
        ("::1", True),
        ("localhost", True),
        (None, True),
        ("/run/some.sock", True),
        ("192.0.2.1", False),
        ("2001:db8::1", False),
        ("github.com", False),
        (b"10.0.0.1", False),
        (12, False),
    ],
)
def test_loopback_is_all_the_guard_lets_through(host: object, local: bool) -> None:
    assert lt_launch.is_loopback(host) is local


def test_guard_finds_the_host_of_each_network_event() -> None:
    assert lt_launch.target_of("socket.connect", (None, ("192.0.2.1", 443))) == "192.0.2.1"
    assert lt_launch.target_of("socket.connect", (None, ("::1", 80, 0, 0))) == "::1"
    assert lt_launch.target_of("socket.getaddrinfo", ("pypi.org", 443, 0, 0, 0)) == "pypi.org"
    url = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
    assert lt_launch.target_of("urllib.Request", (url, None, {}, "GET")) == (
        "raw.githubusercontent.com"
    )
    assert lt_launch.target_of("open", ("/etc/hosts", "r", 0)) is None


GUARDED = """
import socket, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import lt_launch
lt_launch.install_network_guard(Path(sys.argv[2]))
sock = socket.socket()
sys.audit("socket.connect", sock, ("127.0.0.1", 5000))  # loopback: allowed
for event, args in (
    ("socket.connect", (sock, ("192.0.2.1", 443))),
    ("socket.getaddrinfo", ("example.org", 443, 0, 0, 0)),
    ("urllib.Request", ("https://example.org/index.json", None, {}, "GET")),
):
    try:
        sys.audit(event, *args)
    except PermissionError as exc:
        print("refused:", exc)
"""


def test_guard_refuses_and_logs_before_anything_leaves(tmp_path: Path) -> None:
    # The events are raised by hand: the hook runs exactly as it would before a real call, and
    # no packet is ever sent.
    log = tmp_path / "network.log"
    command = [sys.executable, "-c", GUARDED, str(ROOT / "bench"), str(log)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert len(done.stdout.splitlines()) == 3
    assert all(line.endswith("the benchmark runs offline") for line in done.stdout.splitlines())
    assert log.read_text(encoding="utf-8").splitlines() == [
        "socket.connect '192.0.2.1'",
        "socket.getaddrinfo 'example.org'",
        "urllib.Request 'example.org'",
    ]


def test_prepared_release_keeps_the_weights_and_moves_pad_out(
    models_dir: Path, tmp_path: Path
) -> None:
    release = models_dir.parent / "release-7"
    prepared = prepare_release(release, tmp_path)
    vocab = (prepared / "opus.spm.vocab.yml").read_text(encoding="utf-8").splitlines()
    original = (release / "opus.spm.vocab.yml").read_text(encoding="utf-8").splitlines()
    assert original[-1].startswith('"<pad>"')
    assert vocab == original[:-1]
    with (
        np.load(release / "opus.spm.model.npz") as before,
        np.load(prepared / "opus.spm.model.npz") as after,
    ):
        assert set(before.files) == set(after.files)
        np.testing.assert_array_equal(after["Wemb"], before["Wemb"][:-1])
        np.testing.assert_array_equal(
            after["decoder_ff_logit_out_b"], before["decoder_ff_logit_out_b"][:, :-1]
        )
        for key in before.files:
            if key not in ("Wemb", "decoder_ff_logit_out_b", CONFIG_KEY):
                np.testing.assert_array_equal(after[key], before[key])
        config = bytes(after[CONFIG_KEY].astype(np.uint8)).rstrip(b"\0").decode("utf-8")
    for key in (*MARIAN_DEFAULTS, "dim-vocabs", "enc-depth", "transformer-heads"):
        assert f"{key}:" in config


@pytest.mark.skipif(not _has_marian_converter(), reason="needs the peers extra (torch)")
def test_transformers_scores_what_ctranslate2_scores(models_dir: Path, tmp_path: Path) -> None:
    # The same release through both converters is the same function: every token's
    # log-probability agrees (to the float16 rounding of transformers' converter).
    import ctranslate2
    import sentencepiece as spm
    import torch
    from ctranslate2.converters import OpusMTConverter
    from transformers import MarianMTModel, MarianTokenizer

    from bench.hf_marian import convert_release

    release = models_dir.parent / "release-7"
    hf_dir = convert_release(release, tmp_path / "hf")
    ct2_dir = tmp_path / "ct2"
    OpusMTConverter(str(release)).convert(str(ct2_dir), quantization="float32")
    texts = ["Drones attacked the city at night.", "The president said that the talks go on."]
    translator = ctranslate2.Translator(str(ct2_dir), compute_type="float32")
    pieces = spm.SentencePieceProcessor(model_file=str(release / "source.spm"))
    sources = [pieces.encode(t, out_type=str) for t in texts]
    drafts = translator.translate_batch(sources, beam_size=1, max_decoding_length=6)
    targets = [result.hypotheses[0] for result in drafts]
    expected = [r.log_probs for r in translator.score_batch(sources, targets)]
    tokenizer = MarianTokenizer.from_pretrained(str(hf_dir))
    model = MarianMTModel.from_pretrained(str(hf_dir), torch_dtype=torch.float32).eval()
    for text, target, want in zip(texts, targets, expected, strict=True):
        ids = [*tokenizer.convert_tokens_to_ids(target), tokenizer.eos_token_id]
        decoder_input = torch.tensor([[model.config.decoder_start_token_id, *ids[:-1]]])
        with torch.inference_mode():
            logits = model(
                **tokenizer([text], return_tensors="pt"), decoder_input_ids=decoder_input
            )
        log_probs = torch.log_softmax(logits.logits[0], dim=-1)
        got = [log_probs[step, token].item() for step, token in enumerate(ids)]
        assert got == pytest.approx(want, abs=0.02)


def _minisbd_python() -> str | None:
    """LibreTranslate's bench venv when it has MiniSBD (the only place it is installed)."""
    if not LT_PYTHON.exists():
        return None
    found = subprocess.run([str(LT_PYTHON), "-c", "import minisbd"], check=False)
    return str(LT_PYTHON) if found.returncode == 0 else None


MINISBD_LOADS = """
import json, sys
from minisbd import SBDetect
detector = SBDetect(sys.argv[1], use_gpu=False)
text = "Drones attacked the port near kilometre 12. The army left."
print(json.dumps(detector.sentences(text)))
"""


@pytest.mark.skipif(
    not _has_marian_converter() or importlib.util.find_spec("onnxruntime") is None,
    reason="needs the peers extra (torch, onnx, onnxruntime)",
)
@pytest.mark.skipif(_minisbd_python() is None, reason="MiniSBD is not installed here")
def test_minisbd_loads_the_splitter_made_here(tmp_path: Path) -> None:
    from bench.minisbd_model import build

    # A few training steps: this checks the format MiniSBD reads, not the splitter's accuracy
    # (bench/peers.py checks that on every run, by the sentences LibreTranslate decodes).
    model = build(tmp_path / "en.onnx", steps=3)
    python = _minisbd_python()
    assert python is not None
    done = subprocess.run(
        [python, "-c", MINISBD_LOADS, str(model)], capture_output=True, text=True, check=True
    )
    sentences = json.loads(done.stdout.strip().splitlines()[-1])
    assert "".join(sentences).replace(" ", "") == (
        "Drones attacked the port near kilometre 12. The army left.".replace(" ", "")
    )


def test_workload_texts_are_distinct_and_articles_keep_their_sentences() -> None:
    sentences = sentence_items(300, 0) + sentence_items(300, 10_000)
    assert len({item.text for item in sentences}) == 600
    (article,) = article_items(1, 5)
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 4
    assert len(article.sentences) == 16
    assert " ".join(paragraphs) == " ".join(article.sentences)


def test_callers_share_the_items_and_every_failure_surfaces() -> None:
    items = sentence_items(40, 0)
    seen: list[str] = []
    figures = run_callers(items, 8, lambda item: seen.append(item.text))
    assert sorted(seen) == sorted(item.text for item in items)
    assert (figures.sentences, len(figures.latencies_s)) == (40, 40)

    def failing(item: Item) -> None:
        if item.text.endswith("kilometre 13."):
            raise OSError("connection reset")

    with pytest.raises(RuntimeError, match="connection reset"):
        run_callers(items, 8, failing)


def test_rounds_batch_the_waiting_calls_together() -> None:
    batches: list[int] = []
    figures = run_rounds(article_items(5, 0), 2, lambda sentences: batches.append(len(sentences)))
    assert batches == [32, 32, 16]
    assert (figures.sentences, len(figures.latencies_s)) == (80, 5)


def test_latency_quantiles_are_nearest_rank() -> None:
    figures = Figures(20, 2.0, tuple(i / 1000 for i in range(1, 21)))
    assert figures.sent_s == 10
    assert figures.latency_ms(0.5) == pytest.approx(10)
    assert figures.latency_ms(0.95) == pytest.approx(19)
    assert figures.latency_ms(1.0) == pytest.approx(20)


def test_peers_bench_runs_the_raw_engine_and_tlumach_side_by_side(models_dir: Path) -> None:
    # The whole command on the tiny fixture models: a real `tlumach serve`, a raw-engine worker
    # process, the table, and the check that the server decoded exactly what was sent.
    command = [
        sys.executable, str(ROOT / "bench" / "peers.py"), "--sides", "raw,tlumach",
        "--models-dir", str(models_dir), "--levels", "1:2,4:8", "--articles", "2",
        "--article-clients", "2", "--best-sentences", "16", "--output-tokens", "8",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    for label in ("| raw engine", "| **Tlumach**"):
        assert sum(label in line for line in lines) == 3  # one row per workload
    assert "tlumach: decoded 42, by its batch-size metric" in done.stdout
