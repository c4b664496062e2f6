"""bench/paradigms.py --gold: compiles what users write, scores it, survives bad entries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]

POLTAVA_UK = ["Полтава", "Полтави", "Полтаві", "Полтаву", "Полтавою", "Полтаві"]
POLTAVA_RU = ["Полтава", "Полтавы", "Полтаве", "Полтаву", "Полтавой", "Полтаве"]
# A gold genitive no compiler writes: if the bench passed gold forms to the compiler as
# overrides, this form would come back and count as right.
UMAN_UK = ["Умань", "Уманька", "Умані", "Умань", "Уманню", "Умані"]
NBU_UK = [
    "Національний банк України",
    "Національного банку України",
    "Національному банку України",
    "Національний банк України",
    "Національним банком України",
    "Національному банку України",
]
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


def _forms(words: list[str]) -> dict[str, str]:
    return dict(zip(CASES, words, strict=True))


def _gold() -> list[dict[str, Any]]:
    return [
        {
            "id": "poltava",
            "family": "place-single",
            "kind": "place",
            "gender": "feminine",
            "terms": {"en": ["Poltava"], "uk": ["Полтава"], "ru": ["Полтава"]},
            "forms": {"uk": _forms(POLTAVA_UK), "ru": _forms(POLTAVA_RU)},
            "variants": {"ru": {"ablt": ["Полтавою"]}},
        },
        {
            "id": "uman",
            "family": "place-single",
            "kind": "place",
            "gender": "feminine",
            "terms": {"en": ["Uman"], "uk": ["Умань"]},
            "forms": {"uk": _forms(UMAN_UK)},
        },
        {
            "id": "nbu",
            "family": "genitive-complement",
            "kind": "organization",
            "gender": "masculine",
            "terms": {
                "en": ["National Bank of Ukraine"],
                "uk": ["Національний банк України", "НБУ"],
            },
            "forms": {"uk": _forms(NBU_UK)},
            "forms_alt": {"uk": _forms(["НБУ"] * 6)},
        },
        {  # a misspelt gender: the compiler refuses the entry; the run goes on
            "id": "bad_gender",
            "family": "person-noun",
            "kind": "person",
            "gender": "female",
            "terms": {"uk": ["Марко Вовчок"]},
            "forms": {"uk": _forms(["Марко Вовчок"] * 6)},
        },
    ]


def _run(tmp_path: Path, *flags: str) -> str:
    gold = tmp_path / "gold.yaml"
    gold.write_text(yaml.safe_dump({"entries": _gold()}, allow_unicode=True), encoding="utf-8")
    command = [sys.executable, str(ROOT / "bench" / "paradigms.py"), "--gold", str(gold), *flags]
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, check=True
    )
    return done.stdout


def test_gold_mode_scores_every_form_from_user_fields_only(tmp_path: Path) -> None:
    report = json.loads(_run(tmp_path, "--json"))
    (figures,) = report.values()
    shares = figures["shares"]
    assert shares["all"]["forms"] == 12 + 6 + 12 + 6
    assert shares["family place-single"]["forms"] == 18
    assert shares["term short"] == {"forms": 6, "right": 6, "share": 1.0, "oblique_share": 1.0}
    assert shares["lang ru"]["right"] == 6, "Полтава in Russian, with the -ою variant accepted"
    wrong = {(item["entry"], item["case"]): item for item in figures["wrong"]}
    assert ("uman", "gent") in wrong, "gold forms must never reach the compiler"
    assert wrong[("uman", "gent")]["got"] != "Уманька"
    assert not [key for key in wrong if key[0] == "poltava"]
    assert "bad_gender" in figures["failed"]
    assert {case for entry, case in wrong if entry == "bad_gender"} == set(CASES)


def test_gold_mode_lists_wrong_forms_when_verbose(tmp_path: Path) -> None:
    out = _run(tmp_path, "--verbose")
    assert "family genitive-complement" in out
    assert "compile error bad_gender" in out
    assert "wrong uman uk preferred gent" in out
    assert "Уманька" in out
