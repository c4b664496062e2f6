"""The released artefacts: sdist and wheel built from a clean copy, installed and run elsewhere."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from service import __version__
from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from service.translation.request import DEMO_MODEL_WARNING
from tests.support.serve_process import ROOT, wait_for_port

# Building and installing take a while on a cold pip cache; pip's cache makes reruns quick.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]
STUBS = ("translation_pb2.py", "translation_pb2.pyi", "translation_pb2_grpc.py")


@dataclass(frozen=True)
class Installed:
    """A fresh virtualenv with the built wheel installed, and a directory outside the checkout."""

    venv: Path
    wheel: Path
    sdist: Path
    elsewhere: Path
    env: Mapping[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a command of the venv from the outside directory; it must succeed."""
        result = subprocess.run(
            [str(self.venv / "bin" / args[0]), *args[1:]],
            cwd=self.elsewhere,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result


def _clean_env() -> dict[str, str]:
    """This environment without anything that would make the checkout importable or configure."""
    drop = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    return {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("TLUMACH_")}


def _clean_copy(target: Path) -> Path:
    """What a fresh clone has: tracked and not-ignored files (no stubs, no venv, no real models)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(source.read_bytes())
    return target


def _step(command: list[str], cwd: Path, env: Mapping[str, str], timeout_s: float) -> None:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout_s, check=False
    )
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("release")
    source = _clean_copy(root / "source")
    assert not (source / "service" / "pb" / "translation_pb2.py").exists()
    env = _clean_env()
    # sdist first, then the wheel built from the unpacked sdist: both artefacts are checked.
    _step([sys.executable, "-m", "build", "--outdir", str(root / "dist"), "."], source, env, 600)
    wheel = next((root / "dist").glob("tlumach-*.whl"))
    sdist = next((root / "dist").glob("tlumach-*.tar.gz"))
    venv = root / "venv"
    _step([sys.executable, "-m", "venv", str(venv)], root, env, 120)
    _step([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], root, env, 600)
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    return Installed(venv, wheel, sdist, elsewhere, env)


def test_the_wheel_holds_stubs_data_and_licence(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as archive:
        names = set(archive.namelist())
    for stub in STUBS:
        assert f"service/pb/{stub}" in names
    assert "service/_data/models/demo/tlumach-demo/model.bin" in names
    assert "service/_data/models/models.yaml" in names
    assert "service/_data/glossaries/news-ua.yaml" in names
    # The word lists paradigms and enforcement read per language.
    for language in ("uk", "ru"):
        assert f"service/glossary/paradigms/data/{language}.yaml" in names
    for language in ("en", "uk", "ru"):
        assert f"service/glossary/enforcement/data/{language}.yaml" in names
    assert f"tlumach-{__version__}.dist-info/licenses/LICENSE" in names
    # Training scripts of the demo model are source, not package data.
    assert not any(name.startswith("service/_data/models/demo/train") for name in names)


def test_the_sdist_carries_the_proto_not_generated_stubs(installed: Installed) -> None:
    with tarfile.open(installed.sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"proto/translation.proto", "setup.py", "LICENSE", "glossaries/news-ua.yaml"} <= names
    assert "models/demo/tlumach-demo/model.bin" in names
    assert not any(name.startswith("service/pb/translation_pb2") for name in names)


def test_installed_commands_work_outside_the_checkout(installed: Installed) -> None:
    version = installed.run("tlumach", "--version").stdout
    assert version.startswith(f"tlumach {__version__} (ctranslate2 ")
    where = installed.run(
        "python", "-c", "import service.pb.translation_pb2 as m; print(m.__file__)"
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.venv)
    assert "--models-dir MODELS_DIR" in installed.run("tlumach", "serve", "--help").stdout
    listed = installed.run("tlumach", "models", "list").stdout
    assert "demo/tlumach-demo: tlumach-demo" in listed
    assert "    uk-ru: direct demo/tlumach-demo" in listed


@pytest.fixture(scope="module")
def served(installed: Installed) -> Iterator[tuple[int, Path]]:
    log = installed.elsewhere / "serve.log"
    command = [str(installed.venv / "bin" / "tlumach"), "serve", "--host", "127.0.0.1"]
    command += ["--port", "0", "--metrics-port", "-1"]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, cwd=installed.elsewhere, env=installed.env, stdout=sink, stderr=sink
        )
    try:
        yield wait_for_port(process, log, 120), log
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0


def test_installed_server_translates_with_the_packaged_demo_models(
    installed: Installed, served: tuple[int, Path]
) -> None:
    port, log = served
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        health = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
        assert health.status == health_pb2.HealthCheckResponse.SERVING
        stub = pb_grpc.TranslationServiceStub(channel)
        request = pb.TranslateRequest(
            texts=["Russian drones attacked Sudzha overnight."],
            source_language="en",
            target_language="uk",
            glossary_ids=["news-ua"],  # the packaged glossary
            options=pb.TranslateOptions(return_term_report=True),
        )
        [result] = stub.Translate(request, timeout=60).results
    assert result.text.strip()
    assert result.route == "en-uk"
    assert result.demo_model
    assert result.warnings[0] == DEMO_MODEL_WARNING
    assert [term.entry_id for term in result.terms] == ["sudzha"]
    assert "Суджу" in result.text
    text = log.read_text(encoding="utf-8")
    packaged = installed.venv.resolve()
    assert "folder in use: demo_models: " in text
    for name in ("demo_models", "glossaries"):
        line = next(line for line in text.splitlines() if f"folder in use: {name}: " in line)
        assert line.endswith("(packaged copy)"), line
        assert str(packaged) in line, line
    assert "glossaries loaded: news-ua" in text
    assert " ERROR " not in text, text
