"""The package layout keeps its rows: no import points up a row, and only the edge speaks gRPC.

Read from every module's own imports (ast), so a new module or a new import that breaks the rule
fails here, whatever runs at import time.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "service"

# Top to bottom; a module may import its own row and the rows below it. Each name is a package
# (with everything in it) or a module; the longest name that contains a module places it.
ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("edge", ("service.__main__", "service.cli", "service.edge", "service.client")),
    ("pipeline", ("service.translation",)),
    ("parts", ("service.text", "service.glossary", "service.model_store", "service.access")),
    (
        "base",
        (
            "service",
            "service.vocab",
            "service.hypothesis",
            "service.config",
            "service.errors",
            "service.metrics",
            "service.logfmt",
            "service.caller",
            "service.folders",
        ),
    ),
)
# Packages of one row stay apart except along these arrows (importer, imported), so each row is
# a set of separable parts rather than one tangle. Base modules are small and may use each other.
SIDEWAYS = frozenset(
    {
        ("service.__main__", "service.cli"),
        ("service.cli", "service.edge"),  # `tlumach serve` builds the server
        ("service.cli", "service.client"),  # `tlumach translate` runs the batch client
        ("service.client", "service.edge"),  # status codes and retry details, enum values
        ("service.glossary", "service.text"),  # matching reads look-alike letters
    }
)
GRPC_MODULES = ("grpc", "grpc_health", "grpc_reflection", "grpc_status", "google.protobuf")
GRPC_MODULES += ("google.rpc", "service.pb")
# Inside the client only its connection speaks gRPC: plans, formats and journals do not.
CLIENT_GRPC = frozenset({"service.client.connection"})


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    imports: frozenset[str]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str) -> frozenset[str]:
    """Every module `path` imports, absolute; `from a import b` counts as a and as a.b."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return frozenset(found)


def _modules() -> list[Module]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "pb" in path.relative_to(PACKAGE).parts[:1]:
            continue  # generated
        name = _module_name(path)
        modules.append(Module(name, path, _imports(path, name)))
    return modules


def _owner(name: str) -> tuple[int, str] | None:
    """(row index, unit) of a service module: the longest row entry that contains it."""
    best: tuple[int, str] | None = None
    for index, (_, units) in enumerate(ROWS):
        for unit in units:
            inside = name == unit or name.startswith(unit + ".")
            if inside and (best is None or len(unit) > len(best[1])):
                best = (index, unit)
    return best


def _service_imports(module: Module) -> set[str]:
    """Imported names that are modules or packages of the service itself (not its members)."""
    known = {m.name for m in MODULES}
    return {name for name in module.imports if name in known}


MODULES = _modules()


def test_every_module_has_a_row() -> None:
    placed = {module.name: _owner(module.name) for module in MODULES}
    assert not [name for name, owner in placed.items() if owner is None]
    # Each row entry names something that exists, so a renamed package cannot slip out of it.
    known = {module.name for module in MODULES}
    assert not [unit for _, units in ROWS for unit in units if unit not in known]


def _sideways_allowed(unit: str, other: str) -> bool:
    base = {unit, other} <= set(dict(ROWS)["base"])
    return base or (unit, other) in SIDEWAYS


def _row_violations(module: Module) -> list[str]:
    """Service imports of `module` that point up a row, or across without a declared arrow."""
    row, unit = _owner(module.name) or (-1, "")
    wrong = []
    for imported in sorted(_service_imports(module)):
        other_row, other_unit = _owner(imported) or (-1, "")
        if other_row < row:
            wrong.append(f"{imported} is in row {ROWS[other_row][0]}, above {ROWS[row][0]}")
        elif other_row == row and other_unit != unit and not _sideways_allowed(unit, other_unit):
            wrong.append(f"{imported}: no declared arrow {unit} -> {other_unit}")
    return wrong


def _grpc_violations(module: Module) -> list[str]:
    """gRPC or generated-code imports of `module` outside the edge (or the client's connection)."""
    speaks = sorted(
        name
        for name in module.imports
        if any(name == grpc or name.startswith(grpc + ".") for grpc in GRPC_MODULES)
    )
    row, unit = _owner(module.name) or (-1, "")
    if speaks and ROWS[row][0] != "edge":
        return [f"row {ROWS[row][0]} imports {speaks}"]
    if speaks and unit == "service.client" and module.name not in CLIENT_GRPC:
        return [f"the client's {module.name} imports {speaks}"]
    return []


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_no_import_points_up_a_row_or_across_without_a_declared_arrow(module: Module) -> None:
    assert not _row_violations(module), module.name


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_only_the_edge_imports_grpc_or_the_generated_code(module: Module) -> None:
    assert not _grpc_violations(module), module.name


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_only_settings_and_the_command_line_read_the_environment(module: Module) -> None:
    tree = ast.parse(module.path.read_text(encoding="utf-8"))
    reads = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in ("environ", "getenv", "environb")
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    ]
    allowed = module.name in ("service.config", "service.__main__")
    allowed = allowed or module.name.startswith("service.cli")
    assert allowed or not reads, f"{module.name} reads the environment at lines {reads}"


def test_the_readme_tree_names_every_package_and_only_modules_that_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tree = readme.split("## How it is built", 1)[1].split("```", 2)[1]
    named = {"".join(m) for m in re.findall(r"(?<![\w/.<])([a-z_][a-z0-9_]*)(\.py|/)", tree)}
    dirs = {p.name + "/" for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__"}
    files = {p.name for p in PACKAGE.rglob("*.py")}
    assert not named - dirs - files - {"proto/", "service/"}, "the tree names what is not there"
    wanted = {p.name + "/" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    wanted |= {p.name for p in PACKAGE.glob("*.py")} | {"io/", "paradigms/", "enforcement/"}
    assert not wanted - named - {"pb/", "__init__.py"}, "the tree leaves these out"


def test_the_checks_fire_on_planted_violations() -> None:
    """Modules that break each rule, as the checks would read them from a file."""

    def planted(name: str, *imports: str) -> Module:
        return Module(name, PACKAGE / "planted.py", frozenset(imports))

    up = planted("service.text.planted", "service.translation.pipeline")
    assert _row_violations(up) == ["service.translation.pipeline is in row pipeline, above parts"]
    across = planted("service.model_store.planted", "service.glossary.model")
    assert _row_violations(across) == [
        "service.glossary.model: no declared arrow service.model_store -> service.glossary"
    ]
    assert _grpc_violations(planted("service.glossary.planted", "grpc.aio")) != []
    assert _grpc_violations(planted("service.client.plan", "service.pb.translation_pb2")) != []
    assert _grpc_violations(planted("service.edge.planted", "grpc")) == []
    down = planted("service.edge.planted", "service.translation.pipeline", "service.errors")
    assert _row_violations(down) == []
    relative = _imports(PACKAGE / "text" / "markup" / "plain.py", "service.text.markup.plain")
    assert "service.text.segment" in relative
