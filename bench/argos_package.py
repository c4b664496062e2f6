"""Packs a converted CTranslate2 model as an Argos Translate package (`.argosmodel`).

The layout is what argostranslate's own loader reads (`argostranslate/package.py`, `Package`):
a zip archive holding one folder with `metadata.json` (codes, names, versions, type), the
CTranslate2 model in `model/`, the SentencePiece model as `sentencepiece.model`, a README and,
optionally, a sentence splitter of its own: `minisbd/<lang>.onnx` or a spaCy pipeline in
`spacy/`, which argostranslate then uses instead of one it would download. Argos tokenizes both
sides with the one SentencePiece model, so a model whose source and target SentencePiece models
differ cannot be packaged.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

LANGUAGE_NAMES = {"en": "English", "uk": "Ukrainian", "ru": "Russian"}
# The argostranslate release line the packages are written for (its metadata field).
ARGOS_VERSION = "1.9.0"
MODEL_FILES = ("model.bin", "config.json")
SPLITTER_FOLDERS = ("minisbd", "spacy")


def package_name(from_code: str, to_code: str) -> str:
    """The folder name argospm would give the package (`translate-en_uk`)."""
    return f"translate-{from_code}_{to_code}"


def metadata(from_code: str, to_code: str, version: str) -> dict[str, object]:
    """`metadata.json` of a translate package; no download links, it is installed from a file."""
    for code in (from_code, to_code):
        if code not in LANGUAGE_NAMES:
            raise ValueError(f"language {code!r} is not one of {', '.join(LANGUAGE_NAMES)}")
    return {
        "package_version": version,
        "argos_version": ARGOS_VERSION,
        "from_code": from_code,
        "from_name": LANGUAGE_NAMES[from_code],
        "to_code": to_code,
        "to_name": LANGUAGE_NAMES[to_code],
        "type": "translate",
        "links": [],
    }


def build_package(
    model_dir: Path,
    out_file: Path,
    from_code: str,
    to_code: str,
    *,
    version: str = "1.0",
    splitter: tuple[str, Path] | None = None,
) -> Path:
    """Write `out_file` (.argosmodel) from a Tlumach model folder (CTranslate2 files + .spm).

    `splitter` is (`minisbd` or `spacy`, a folder whose files go into that folder of the package).
    """
    if splitter is not None and splitter[0] not in SPLITTER_FOLDERS:
        raise ValueError(f"splitter {splitter[0]!r} is not one of {', '.join(SPLITTER_FOLDERS)}")
    source_spm, target_spm = model_dir / "source.spm", model_dir / "target.spm"
    if source_spm.read_bytes() != target_spm.read_bytes():
        raise ValueError(
            f"{model_dir}: source.spm and target.spm differ; an Argos package has one "
            "sentencepiece.model for both sides"
        )
    missing = [name for name in MODEL_FILES if not (model_dir / name).exists()]
    if missing:
        raise ValueError(f"{model_dir} is not a CTranslate2 model: no {', '.join(missing)}")
    root = package_name(from_code, to_code)
    info = metadata(from_code, to_code, version)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    # Stored, not deflated: the int8 weights barely compress and installing stays fast.
    with zipfile.ZipFile(out_file, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(f"{root}/metadata.json", json.dumps(info, indent=2))
        archive.writestr(f"{root}/README.md", _readme(model_dir, from_code, to_code))
        for path in sorted(model_dir.iterdir()):
            if path.name in MODEL_FILES or path.name.endswith("vocabulary.json"):
                archive.write(path, f"{root}/model/{path.name}")
        archive.write(source_spm, f"{root}/sentencepiece.model")
        if splitter is not None:
            kind, folder = splitter
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, f"{root}/{kind}/{path.relative_to(folder)}")
    return out_file


def _readme(model_dir: Path, from_code: str, to_code: str) -> str:
    return (
        f"# {LANGUAGE_NAMES[from_code]} → {LANGUAGE_NAMES[to_code]}\n\n"
        f"Packed by Tlumach's bench/argos_package.py from `{model_dir.name}` for the side-by-side\n"
        "benchmark; the same CTranslate2 weights Tlumach serves.\n"
    )
