"""What a models directory holds: sizes, provenance, routes, and a load-and-translate check."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from service.errors import ModelError
from service.folders import DEMO_SUBDIR
from service.model_store.engine import Engine
from service.model_store.install import installed_record
from service.model_store.registry import ModelInfo
from service.model_store.route_plan import plan_routes

# One ordinary news sentence per source language: enough to prove the model decodes.
CANARIES: Mapping[str, str] = {
    "en": "The government approved the new budget on Monday.",
    "uk": "Уряд ухвалив новий бюджет у понеділок.",
    "ru": "Правительство одобрило новый бюджет в понедельник.",
}


@dataclass(frozen=True)
class InstalledModel:
    """One model directory as `tlumach models list` reports it."""

    path: Path
    info: ModelInfo | None
    """None when the directory would be refused by the server; `error` says why."""
    error: str = ""
    size_bytes: int = 0
    origin: str = ""
    sha256: str = ""

    @property
    def label(self) -> str:
        """Directory name, prefixed with demo/ for bundled demo models."""
        return (
            f"{DEMO_SUBDIR}/{self.path.name}"
            if self.path.parent.name == DEMO_SUBDIR
            else (self.path.name)
        )


@dataclass(frozen=True)
class ModelCheck:
    """Outcome of loading one model and translating the canary in each of its directions."""

    label: str
    ok: bool
    load_s: float = 0.0
    rss_mib: float = 0.0
    rss_added_mib: float = 0.0
    outputs: Mapping[str, str] | None = None
    error: str = ""


def scan(models_dir: Path, demo_dirs: Sequence[Path] | None = None) -> list[InstalledModel]:
    """Every model directory under `models_dir` and the demo folders, real ones first.

    `demo_dirs` defaults to `models_dir/demo`, as the server's registry does.
    """
    found: list[InstalledModel] = []
    demos = list(demo_dirs) if demo_dirs is not None else [models_dir / DEMO_SUBDIR]
    for parent in (models_dir, *demos):
        if not parent.is_dir():
            continue
        for path in sorted(parent.iterdir()):
            if path.is_dir() and not path.name.startswith(".") and path.name != DEMO_SUBDIR:
                found.append(_describe(path))
    return found


def _describe(path: Path) -> InstalledModel:
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    record = installed_record(path) or {}
    origin = record.get("origin") if isinstance(record.get("origin"), dict) else {}
    assert isinstance(origin, dict)
    where = str(origin.get("url") or "")
    if origin.get("source") == "local":
        where = f"{origin.get('path')} (from disk; release {where or 'unknown'})"
    try:
        info = ModelInfo.read(path)
    except ModelError as exc:
        return InstalledModel(path, None, str(exc), size, where)
    return InstalledModel(path, info, "", size, where, str(origin.get("sha256") or ""))


def routes(models: Sequence[InstalledModel]) -> dict[str, str]:
    """How each direction would be served: 'direct <dir>', 'pivot a-en+en-b', or absent.

    Mirrors the registry: a real model wins over a demo model for the same pair.
    """
    owner: dict[str, str] = {}
    for model in sorted(models, key=lambda m: m.info.demo if m.info else True):
        for pair in model.info.pairs if model.info else ():
            owner.setdefault(pair, model.label)
    return {
        pair: f"direct {owner[pair]}" if legs == (pair,) else "pivot " + "+".join(legs)
        for pair, legs in plan_routes(owner).items()
    }


def verify(model: InstalledModel, *, device: str = "cpu") -> ModelCheck:
    """Load the model with the serving engine and translate a canary sentence per direction."""
    info = model.info
    if info is None:
        return ModelCheck(model.label, False, error=model.error)
    before = rss_mib()
    started = time.perf_counter()
    try:
        engine = Engine(
            info.path,
            device=device,
            # "default" keeps the stored quantization where the device supports it and converts
            # otherwise (float16 on a CPU), so verify checks the model as installed.
            compute_type="default",
            source_spm=info.source_spm,
            target_spm=info.target_spm,
        )
    except ModelError as exc:
        return ModelCheck(model.label, False, error=str(exc))
    load_s = time.perf_counter() - started
    after = rss_mib()
    try:
        outputs = _translate_canaries(engine, info)
    finally:
        engine.unload()
    ok = all(text.strip() for text in outputs.values())
    return ModelCheck(
        model.label,
        ok,
        load_s,
        after,
        after - before,
        outputs,
        "" if ok else "empty translation",
    )


def _translate_canaries(engine: Engine, info: ModelInfo) -> dict[str, str]:
    outputs: dict[str, str] = {}
    for pair in info.pairs:
        source, target = pair.split("-")
        result = engine.translate_batch(
            [CANARIES[source]], target_token=info.target_tokens.get(target)
        )
        outputs[pair] = result[0][0].text
    return outputs


def rss_mib() -> float:
    """Resident memory of this process now (peak on systems without /proc)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
