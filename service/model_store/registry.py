"""The model registry: which converted models are installed and how each direction is served."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from service.errors import ModelError, PairNotAvailableError
from service.folders import DEMO_SUBDIR
from service.model_store.engine import Engine
from service.model_store.route_plan import plan_routes
from service.vocab import LANGUAGES, PAIRS

logger = logging.getLogger(__name__)

REQUIRED_FILES = ("model.bin", "config.json")


@dataclass(frozen=True)
class ModelInfo:
    """What a model directory's `model.yaml` says about it."""

    path: Path
    name: str
    pairs: tuple[str, ...]
    version: str = ""
    target_tokens: Mapping[str, str] = field(default_factory=dict)
    source_spm: str = "source.spm"
    target_spm: str = "target.spm"
    demo: bool = False
    license: str = ""
    compute_type: str = ""

    @classmethod
    def read(cls, path: Path) -> ModelInfo:
        """Parse and check `path/model.yaml`; raises ModelError naming the file and field."""
        manifest = path / "model.yaml"
        if not manifest.is_file():
            raise ModelError(f"{path}: no model.yaml (install models with `tlumach models fetch`)")
        try:
            raw = yaml.safe_load(manifest.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ModelError(f"{manifest}: unreadable: {exc}") from exc
        if not isinstance(raw, dict):
            raise ModelError(f"{manifest}: must be a mapping")
        info = cls._from_mapping(path, manifest, raw)
        info._check_files(manifest)
        return info

    @classmethod
    def _from_mapping(cls, path: Path, manifest: Path, raw: dict[str, Any]) -> ModelInfo:
        pairs = raw.get("pairs")
        if not isinstance(pairs, list) or not pairs or any(p not in PAIRS for p in pairs):
            raise ModelError(f"{manifest}: field pairs={pairs!r}; each must be one of {PAIRS}")
        tokens = raw.get("target_tokens") or {}
        if not isinstance(tokens, dict) or any(k not in LANGUAGES for k in tokens):
            raise ModelError(f"{manifest}: field target_tokens must map {LANGUAGES} to tokens")
        conversion = raw.get("conversion") or {}
        return cls(
            path=path,
            name=str(raw.get("name") or path.name),
            pairs=tuple(pairs),
            version=str(raw.get("version") or ""),
            target_tokens={str(k): str(v) for k, v in tokens.items()},
            source_spm=str(raw.get("source_spm") or "source.spm"),
            target_spm=str(raw.get("target_spm") or "target.spm"),
            demo=bool(raw.get("demo", False)),
            license=str(raw.get("license") or ""),
            compute_type=str(conversion.get("quantization") or "")
            if isinstance(conversion, dict)
            else "",
        )

    def _check_files(self, manifest: Path) -> None:
        for name in (*REQUIRED_FILES, self.source_spm, self.target_spm):
            candidate = (self.path / name).resolve()
            if not candidate.is_relative_to(self.path.resolve()):
                raise ModelError(f"{manifest}: {name!r} points outside the model directory")
            if not candidate.is_file():
                raise ModelError(f"{manifest}: the directory lacks {name}")


@dataclass(frozen=True)
class Leg:
    """One model translating one direction."""

    pair: str
    engine: Engine
    info: ModelInfo

    @property
    def target_token(self) -> str | None:
        """The token multilingual models need at the start of the source, if any."""
        return self.info.target_tokens.get(self.pair.split("-")[1])


@dataclass(frozen=True)
class Route:
    """How one direction is served: one leg, or two through the pivot language."""

    pair: str
    legs: tuple[Leg, ...]

    @property
    def pivot(self) -> bool:
        """True when the route goes through another language."""
        return len(self.legs) > 1

    @property
    def name(self) -> str:
        """Leg pairs joined by '+', e.g. 'uk-en+en-ru'."""
        return "+".join(leg.pair for leg in self.legs)

    @property
    def demo(self) -> bool:
        """True when any leg is a demo model: its output is not fit for production."""
        return any(leg.info.demo for leg in self.legs)


@dataclass(frozen=True)
class ServedPair:
    """One direction the server translates, and the models behind it."""

    source_language: str
    target_language: str
    model_name: str
    """The model's name; for a pivot, the models' names joined by '+'."""
    model_version: str
    pivot_language: str = ""
    """The language a pivot goes through; empty when one model translates directly."""
    demo: bool = False
    serving: bool = True


EngineFactory = Callable[[ModelInfo], Engine]


class ModelRegistry:
    """Loads every model directory once at start and answers which directions are served."""

    def __init__(
        self,
        models_dir: Path,
        engine_factory: EngineFactory,
        demo_dirs: Sequence[Path] | None = None,
    ) -> None:
        self.models_dir = models_dir
        # Folders of demo models that fill unserved directions (default: models_dir/demo).
        self.demo_dirs = tuple(demo_dirs) if demo_dirs is not None else (models_dir / DEMO_SUBDIR,)
        self._engine_factory = engine_factory
        self.models: list[ModelInfo] = []
        self.failures: dict[str, str] = {}
        """Directory name -> why it was refused."""
        self._legs: dict[str, Leg] = {}
        self.routes: dict[str, Route] = {}

    def load(self) -> None:
        """Load real models, then demo models for the directions no real model serves."""
        for directory in self._candidates(self.models_dir):
            self._load_directory(directory, demo_allowed=False)
        for demo_dir in self.demo_dirs:
            for directory in self._candidates(demo_dir):
                self._load_directory(directory, demo_allowed=True)
        self.routes = self._build_routes()
        if any(leg.info.demo for leg in self._legs.values()):
            logger.warning(
                "serving DEMO models for %s: tiny models for trying the service, not for "
                "production; install real ones with `tlumach models fetch`",
                ", ".join(sorted(p for p, leg in self._legs.items() if leg.info.demo)),
            )

    @staticmethod
    def _candidates(directory: Path) -> list[Path]:
        """Model directories directly inside `directory`; links that lead outside it are skipped."""
        if not directory.is_dir():
            return []
        root = directory.resolve()
        found = []
        for path in sorted(directory.iterdir()):
            if not path.is_dir() or path.name == DEMO_SUBDIR or path.name.startswith("."):
                continue
            if not path.resolve().is_relative_to(root):
                logger.error("model directory %s skipped: it resolves outside %s", path.name, root)
                continue
            found.append(path)
        return found

    def _load_directory(self, directory: Path, *, demo_allowed: bool) -> None:
        try:
            info = ModelInfo.read(directory)
            wanted = [pair for pair in info.pairs if pair not in self._legs]
            if not wanted:
                logger.info("model %s not loaded: its pairs are served already", directory.name)
                return
            engine = self._engine_factory(info)
        except ModelError as exc:
            self.failures[directory.name] = str(exc)
            logger.error("refused model directory %s: %s", directory, exc)
            return
        if info.demo and not demo_allowed:
            logger.warning("model %s is marked demo", directory.name)
        self.models.append(info)
        for pair in wanted:
            self._legs[pair] = Leg(pair, engine, info)
        logger.info("loaded model %s for %s", info.name, ", ".join(wanted))

    def _build_routes(self) -> dict[str, Route]:
        plan = plan_routes(self._legs)
        return {
            pair: Route(pair, tuple(self._legs[leg] for leg in legs)) for pair, legs in plan.items()
        }

    @property
    def legs(self) -> Mapping[str, Leg]:
        """Loaded direct legs by pair."""
        return self._legs

    def route(self, source: str, target: str) -> Route:
        """The route for a direction; raises PairNotAvailableError listing the served pairs."""
        pair = f"{source}-{target}"
        route = self.routes.get(pair)
        if route is None:
            served = ", ".join(sorted(self.routes)) or "none (install models: tlumach models fetch)"
            raise PairNotAvailableError(f"pair {pair} is not served; served pairs: {served}")
        return route

    def served_pairs(self) -> list[ServedPair]:
        """Every served direction, in order of pair."""
        served = []
        for pair, route in sorted(self.routes.items()):
            source, target = pair.split("-")
            infos = [leg.info for leg in route.legs]
            served.append(
                ServedPair(
                    source_language=source,
                    target_language=target,
                    model_name="+".join(info.name for info in infos),
                    model_version="+".join(info.version for info in infos),
                    pivot_language=route.legs[0].pair.split("-")[1] if route.pivot else "",
                    demo=route.demo,
                )
            )
        return served

    def close(self) -> None:
        """Unload every engine."""
        for engine in {id(leg.engine): leg.engine for leg in self._legs.values()}.values():
            engine.unload()
