"""The folders in use: the configured ones, or the packaged copies where the defaults are absent."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from service.config import DEFAULT_GLOSSARIES_DIR, DEFAULT_MODELS_DIR

DEMO_SUBDIR = "demo"
MANIFEST_NAME = "models.yaml"
# Where setup.py puts the top-level models/ and glossaries/ data inside the wheel.
DATA_DIR = "_data"
# Only this project's checkout has it beside the package: it tells a checkout from site-packages.
CHECKOUT_MARKER = ("proto", "translation.proto")


def packaged_path(*parts: str) -> Path | None:
    """The packaged copy of `models/...` or `glossaries/...`, or None when this install lacks it.

    A wheel holds the data under `service/_data/`; a source checkout (an editable install, or
    PYTHONPATH at the repository) has it in the repository's top-level folders.
    """
    root = resources.files("service")
    # pip always unpacks the package into plain files, which CTranslate2 needs; a zipped import
    # has no directory to hand it.
    if not isinstance(root, Path):
        return None
    installed = root.joinpath(DATA_DIR, *parts)
    if installed.exists():
        return installed
    checkout = root.parent
    if checkout.joinpath(*CHECKOUT_MARKER).is_file() and checkout.joinpath(*parts).exists():
        return checkout.joinpath(*parts)
    return None


@dataclass(frozen=True)
class Folders:
    """Where models, demo models, the model manifest and glossaries are read from."""

    models: Path
    """Real converted models; `tlumach models fetch` installs into it (it may not exist yet)."""
    demo_models: Path | None
    """Demo models for the directions no real model serves; None = no demo models."""
    glossaries: Path
    manifest: Path
    packaged: frozenset[str] = frozenset()
    """Which of demo_models, glossaries and manifest are the copies shipped in the package."""

    def describe(self) -> list[str]:
        """One line per folder for the start-up log (paths only, absolute)."""

        def show(name: str, path: Path | None) -> str:
            if path is None:
                return f"{name}: none"
            notes = ["packaged copy"] if name in self.packaged else []
            if not path.exists():
                notes.append("does not exist")
            return f"{name}: {path.absolute()}" + (f" ({', '.join(notes)})" if notes else "")

        return [
            show("models", self.models),
            show("demo_models", self.demo_models),
            show("glossaries", self.glossaries),
        ]


def resolve_folders(
    models_dir: Path = DEFAULT_MODELS_DIR, glossaries_dir: Path = DEFAULT_GLOSSARIES_DIR
) -> Folders:
    """The folders to use for these settings, looked up now (call it at start, not at import).

    A folder left at its default (`models`, `glossaries`, relative to the working directory)
    that does not exist is replaced by the packaged copy, so an installed `tlumach` works from any
    directory. A folder configured explicitly is used as given, even when it is missing or has no
    `demo/`: an operator who points at a folder must never get the shipped data instead. The
    manifest is only a list of releases, so the packaged one stands in wherever none is found.
    """
    packaged: set[str] = set()
    demo: Path | None = models_dir / DEMO_SUBDIR
    if not (models_dir / DEMO_SUBDIR).is_dir():
        demo = packaged_path("models", DEMO_SUBDIR) if models_dir == DEFAULT_MODELS_DIR else None
        if demo is not None:
            packaged.add("demo_models")
    glossaries = glossaries_dir
    if not glossaries.is_dir() and glossaries_dir == DEFAULT_GLOSSARIES_DIR:
        shipped = packaged_path("glossaries")
        if shipped is not None:
            glossaries = shipped
            packaged.add("glossaries")
    manifest = models_dir / MANIFEST_NAME
    if not manifest.is_file():
        shipped = packaged_path("models", MANIFEST_NAME)
        if shipped is not None:
            manifest = shipped
            packaged.add("manifest")
    return Folders(models_dir, demo, glossaries, manifest, frozenset(packaged))
