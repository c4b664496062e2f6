"""Build hook: generate the gRPC stubs and bundle the demo models, manifest and glossaries.

Everything else about the distribution is declared in pyproject.toml; this file only adds the two
build steps setuptools cannot express there. Both run for `pip install .`, `pip wheel .`, builds
from the sdist, and editable installs (`pip install -e .`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PROTO = "proto/translation.proto"
# Generated from PROTO into service/pb/ (never committed; see .gitignore).
STUBS = ("translation_pb2.py", "translation_pb2.pyi", "translation_pb2_grpc.py")
# Package data, copied from the fixed top-level layout into service/_data/ of the wheel. Only the
# bundled demo models travel: real converted models in models/<pair>/ stay out of the wheel.
DATA = "service/_data"
DATA_FILES = (
    "models/models.yaml",
    "models/README.md",
    "models/ATTRIBUTION.md",
    "models/demo/README.md",
    "glossaries/README.md",
)
DATA_GLOBS = ("glossaries/*.yaml", "models/demo/*/*")


def generate_stubs(out_root: Path) -> list[Path]:
    """Run grpcio-tools' protoc so that the stubs land in out_root/service/pb.

    grpcio-tools is a build requirement ([build-system] in pyproject.toml), pinned to the runtime
    grpcio/protobuf it generates code for. `-m grpc_tools.protoc` adds the well-known protos
    (google/protobuf/duration.proto) to the include path itself.
    """
    command = [
        sys.executable,
        "-m",
        "grpc_tools.protoc",
        "-Iservice/pb=proto",
        f"--python_out={out_root}",
        f"--pyi_out={out_root}",
        f"--grpc_python_out={out_root}",
        PROTO,
    ]
    (out_root / "service" / "pb").mkdir(parents=True, exist_ok=True)
    subprocess.run(command, cwd=ROOT, check=True)
    return [out_root / "service" / "pb" / name for name in STUBS]


def data_sources() -> list[str]:
    """Repository-relative paths of every file that becomes package data."""
    found = [name for name in DATA_FILES if (ROOT / name).is_file()]
    for pattern in DATA_GLOBS:
        found += sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(pattern) if p.is_file())
    return found


class BuildPy(build_py):
    """build_py that also generates the stubs and copies the package data into the build."""

    def run(self) -> None:
        if self.editable_mode:
            # An editable install imports service/ from the checkout: the stubs go there, and the
            # data is read from the top-level folders (service/folders.py finds them).
            generate_stubs(ROOT)
            super().run()
            return
        super().run()
        build_lib = Path(self.build_lib)
        generate_stubs(build_lib)
        for name in data_sources():
            target = build_lib / DATA / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if self.editable_mode:
            return outputs
        build_lib = Path(self.build_lib)
        outputs += [str(build_lib / "service" / "pb" / name) for name in STUBS]
        outputs += [str(build_lib / DATA / name) for name in data_sources()]
        return outputs


setup(cmdclass={"build_py": BuildPy})
