"""bench/terms.py in drafts mode on the shared terminology set meets the glossary targets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"


@pytest.mark.skipif(not (EVAL / "eval_dev.jsonl").is_file(), reason="no shared eval set here")
def test_drafts_mode_meets_the_targets(tmp_path: Path) -> None:
    out = tmp_path / "items.jsonl"
    command = [
        sys.executable,
        str(ROOT / "bench" / "terms.py"),
        "--glossary", str(EVAL / "glossary.yaml"),
        "--gold", str(EVAL / "glossary-gold.yaml"),
        "--data", str(EVAL / "eval_dev.jsonl"),
        "--json",
        "--out", str(out),
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, check=True
    )
    figures = json.loads(done.stdout)["after"]["all"]
    assert figures["ta_lemma"] >= 0.99
    assert figures["ta_form"] >= 0.95
    assert figures["false_repairs"] == 0
    assert figures["forbidden_rate"] == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == figures["items"]
    assert {"id", "text", "terms"} <= lines[0].keys()


def test_model_mode_without_a_model_exits_with_a_message(tmp_path: Path) -> None:
    data = tmp_path / "items.jsonl"
    data.write_text("", encoding="utf-8")
    glossary = ROOT / "tests" / "data" / "glossary-enforce.yaml"
    command = [
        sys.executable,
        str(ROOT / "bench" / "terms.py"),
        "--glossary", str(glossary),
        "--gold", str(glossary),
        "--data", str(data),
        "--mode", "model",
        "--models-dir", str(tmp_path / "none"),
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)}
    )
    assert done.returncode != 0
    assert "no model is installed" in done.stderr


def test_model_mode_translates_and_enforces_with_an_installed_model(
    models_dir: Path, tmp_path: Path
) -> None:
    items = [
        {
            "id": f"t{n}",
            "src_lang": "en",
            "tgt_lang": "uk",
            "src": source,
            "ref": reference,
            "terms": [{"id": "odesa", "ref_form": form, "case": case}],
        }
        for n, (source, reference, form, case) in enumerate(
            [
                ("Sirens sounded in Odesa.", "Сирени лунали в Одесі.", "Одесі", "loct"),
                ("Odesa was calm.", "Одеса була спокійна.", "Одеса", "nomn"),
            ]
        )
    ]
    data = tmp_path / "items.jsonl"
    data.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    glossary = ROOT / "tests" / "data" / "glossary-enforce.yaml"
    command = [
        sys.executable,
        str(ROOT / "bench" / "terms.py"),
        "--glossary", str(glossary),
        "--gold", str(glossary),
        "--data", str(data),
        "--mode", "model",
        "--models-dir", str(models_dir),
        "--json",
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, check=True
    )
    figures = json.loads(done.stdout)["after"]["all"]
    assert figures["items"] == 2
    assert figures["occurrences"] == 2
    assert figures["bare_p50_ms"] > 0
