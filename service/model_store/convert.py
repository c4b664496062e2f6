"""Unpack a release safely and convert it to a CTranslate2 model directory with its model.yaml."""

from __future__ import annotations

import importlib.util
import json
import shutil
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import ctranslate2
import yaml

from service.errors import ModelError

QUANTIZATIONS = ("int8", "int8_float32", "int16", "float32", "bfloat16", "float16")
OPUS_MT = "opus_mt"
HUGGINGFACE = "huggingface"
MAX_UNPACKED_BYTES = 8 << 30
"""Refuse archives that claim more than this when unpacked (a zip bomb, not a model)."""
# Release files worth keeping next to the converted model: they carry the licence and credits.
PROVENANCE_FILES = ("README.md", "LICENSE", "LICENSE.txt")


@dataclass(frozen=True)
class Layout:
    """What an unpacked release turned out to be, and where its files are."""

    kind: str
    root: Path


def unpack(archive: Path, dest: Path) -> None:
    """Extract a zip or tar archive into `dest`, refusing members that would land outside it."""
    dest.mkdir(parents=True, exist_ok=True)
    try:
        if zipfile.is_zipfile(archive):
            _unzip(archive, dest)
        elif tarfile.is_tarfile(archive):
            _untar(archive, dest)
        else:
            raise ModelError(f"{archive.name} is neither a zip nor a tar archive (corrupt?)")
    except (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError) as exc:
        raise ModelError(f"{archive.name} is corrupt: {exc}") from exc


def _unzip(archive: Path, dest: Path) -> None:
    with zipfile.ZipFile(archive) as bundle:
        members = bundle.infolist()
        if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
            raise ModelError(f"{archive.name} unpacks to more than {MAX_UNPACKED_BYTES} bytes")
        for member in members:
            if stat.S_ISLNK(member.external_attr >> 16):
                raise ModelError(f"{archive.name}: member {member.filename!r} is a symbolic link")
            _safe_target(archive, dest, member.filename)
        bad = bundle.testzip()
        if bad is not None:
            raise ModelError(f"{archive.name} is corrupt: CRC check failed for {bad}")
        bundle.extractall(dest)  # noqa: S202 - every member was checked just above


def _untar(archive: Path, dest: Path) -> None:
    with tarfile.open(archive) as bundle:
        members = bundle.getmembers()
        if sum(member.size for member in members) > MAX_UNPACKED_BYTES:
            raise ModelError(f"{archive.name} unpacks to more than {MAX_UNPACKED_BYTES} bytes")
        for member in members:
            if not (member.isfile() or member.isdir()):
                raise ModelError(f"{archive.name}: member {member.name!r} is not a plain file")
            _safe_target(archive, dest, member.name)
        # The "data" filter repeats these checks inside the standard library (PEP 706).
        bundle.extractall(dest, filter="data")


def _safe_target(archive: Path, dest: Path, name: str) -> Path:
    relative = PurePosixPath(name.replace("\\", "/"))
    target = (dest / relative).resolve()
    if (
        relative.is_absolute()
        or ".." in relative.parts
        or not target.is_relative_to(dest.resolve())
    ):
        raise ModelError(f"{archive.name}: member {name!r} would be written outside {dest}")
    return target


def detect_layout(directory: Path) -> Layout:
    """Find an OPUS-MT release or a Hugging Face Marian checkpoint at or one level below."""
    candidates = [directory, *sorted(p for p in directory.iterdir() if p.is_dir())]
    for root in candidates:
        if (root / "decoder.yml").is_file():
            _check_opus_mt(root)
            return Layout(OPUS_MT, root)
        if (root / "config.json").is_file() and _has_hf_weights(root):
            return Layout(HUGGINGFACE, root)
    found = ", ".join(sorted(p.name for p in directory.iterdir())[:12]) or "nothing"
    raise ModelError(
        f"{directory} is not a model release: expected an OPUS-MT layout (decoder.yml, *.npz, "
        f"vocabulary, source.spm, target.spm) or a Hugging Face checkpoint (config.json with "
        f"pytorch_model.bin or model.safetensors); found {found}"
    )


def _has_hf_weights(root: Path) -> bool:
    return any((root / name).is_file() for name in ("pytorch_model.bin", "model.safetensors"))


def _check_opus_mt(root: Path) -> None:
    try:
        decoder = yaml.safe_load((root / "decoder.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ModelError(f"{root}/decoder.yml is unreadable: {exc}") from exc
    if not isinstance(decoder, dict) or not decoder.get("models") or not decoder.get("vocabs"):
        raise ModelError(f"{root}/decoder.yml lacks the `models` or `vocabs` list")
    needed = [decoder["models"][0], *decoder["vocabs"], "source.spm", "target.spm"]
    missing = [name for name in needed if not (root / str(name)).is_file()]
    if missing:
        raise ModelError(f"OPUS-MT release in {root} lacks {', '.join(map(str, missing))}")


def convert(
    layout: Layout, output_dir: Path, *, quantization: str, metadata: Mapping[str, Any]
) -> None:
    """Convert `layout` into the (new, not yet existing) `output_dir` and write its model.yaml.

    `metadata` holds the model.yaml fields that come from the manifest (name, version, pairs,
    target_tokens, license, origin, demo); this adds source/target spm and the conversion record.
    """
    if quantization not in QUANTIZATIONS:
        raise ModelError(
            f"quantization={quantization!r} is not accepted; use one of: {', '.join(QUANTIZATIONS)}"
        )
    if quantization == "bfloat16" and importlib.util.find_spec("torch") is None:
        # numpy has no bfloat16 type, so CTranslate2's converter needs torch to write one.
        raise ModelError(
            "quantization=bfloat16 needs torch: install the `convert` extra "
            "(pip install 'tlumach[convert]') or choose int8, int16 or float32"
        )
    converter = _converter(layout)
    try:
        converter.convert(str(output_dir), quantization=quantization)
    except (RuntimeError, ValueError, KeyError, NotImplementedError, OSError) as exc:
        raise ModelError(f"conversion of {layout.root} failed: {exc}") from exc
    for name in ("source.spm", "target.spm"):
        shutil.copyfile(layout.root / name, output_dir / name)
    for name in PROVENANCE_FILES:
        if (layout.root / name).is_file():
            shutil.copyfile(layout.root / name, output_dir / f"release-{name}")
    record = {
        **metadata,
        "source_spm": "source.spm",
        "target_spm": "target.spm",
        "conversion": {
            "converter": layout.kind,
            "quantization": quantization,
            "ctranslate2": ctranslate2.__version__,
        },
    }
    (output_dir / "model.yaml").write_text(
        yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )


def _converter(layout: Layout) -> Any:
    if layout.kind == OPUS_MT:
        return ctranslate2.converters.OpusMTConverter(str(layout.root))
    if importlib.util.find_spec("transformers") is None:
        raise ModelError(
            f"{layout.root} is a Hugging Face checkpoint; converting it needs transformers and "
            "torch: install the `convert` extra (pip install 'tlumach[convert]') or fetch the "
            "OPUS-MT release archive instead, which needs neither"
        )
    _check_marian(layout.root)
    return ctranslate2.converters.TransformersConverter(str(layout.root))


def _check_marian(root: Path) -> None:
    try:
        config = json.loads((root / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{root}/config.json is unreadable: {exc}") from exc
    if config.get("model_type") != "marian":
        raise ModelError(
            f"{root} holds a {config.get('model_type')!r} checkpoint; "
            "only Marian (OPUS-MT) checkpoints are served"
        )
    missing = [n for n in ("source.spm", "target.spm") if not (root / n).is_file()]
    if missing:
        raise ModelError(f"Hugging Face checkpoint {root} lacks {', '.join(missing)}")
