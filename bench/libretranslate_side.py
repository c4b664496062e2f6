"""LibreTranslate as a peer: its own venv, our model as Argos packages, offline on loopback.

Everything LibreTranslate reads or writes lives under one folder (HOME and the XDG folders point
there), so the user's own Argos packages and caches are never used or touched. Two packages are
installed (en→uk and uk→en, the same weights): with fewer than two, LibreTranslate's start-up
tries to download the package index.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import ctranslate2

from bench.argos_package import build_package
from tests.support.serve_process import free_port

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = ROOT / "bench" / "lt_launch.py"
LIBRETRANSLATE = "libretranslate==1.9.6"
# spaCy is LibreTranslate's other sentence splitter (ARGOS_CHUNK_TYPE=SPACY); not one of its deps.
SPACY = "spacy>=3.8,<3.9"
START_TIMEOUT_S = 180


@dataclass(frozen=True)
class Settings:
    """LibreTranslate's performance knobs; the field defaults are its own defaults (1.9.6)."""

    label: str
    threads: int = 4
    """waitress worker threads (`--threads`): requests served at once."""
    inter: int = 1
    """ARGOS_INTER_THREADS: CTranslate2 translators working at once."""
    intra: int = 0
    """ARGOS_INTRA_THREADS: threads per translator (0 = all cores)."""
    batch_tokens: int = 32
    """ARGOS_BATCH_SIZE: argostranslate batches by tokens, this many at most."""
    beam: int = 4
    """ARGOS_BEAM_SIZE."""
    splitter: str = "DEFAULT"
    """ARGOS_CHUNK_TYPE: DEFAULT (MiniSBD), MINISBD, SPACY or STANZA."""

    def environment(self) -> dict[str, str]:
        return {
            "ARGOS_INTER_THREADS": str(self.inter),
            "ARGOS_INTRA_THREADS": str(self.intra),
            "ARGOS_BATCH_SIZE": str(self.batch_tokens),
            "ARGOS_BEAM_SIZE": str(self.beam),
            "ARGOS_CHUNK_TYPE": self.splitter,
        }

    def describe(self) -> str:
        splitter = {"DEFAULT": "MiniSBD"}.get(self.splitter, self.splitter.title())
        return (
            f"{self.threads} threads, {self.inter}×{self.intra} translators, "
            f"batch {self.batch_tokens} tokens, beam {self.beam}, {splitter}"
        )


def ensure_venv(cache: Path) -> Path:
    """LibreTranslate's own venv (created once), with the same CTranslate2 as Tlumach's."""
    venv = cache / "lt-venv"
    python = venv / "bin" / "python"
    marker = venv / ".tlumach-installed"
    wanted = f"{LIBRETRANSLATE} ctranslate2=={ctranslate2.__version__} {SPACY}"
    if marker.exists() and marker.read_text(encoding="utf-8") == wanted:
        return python
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *wanted.split()], check=True)
    marker.write_text(wanted, encoding="utf-8")
    return python


def home_environment(home: Path) -> dict[str, str]:
    """Environment that keeps argostranslate, MiniSBD and spaCy inside `home`."""
    return {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "ARGOS_PACKAGES_DIR": str(home / "packages"),
        "PATH": "/usr/bin:/bin",
    }


INSTALL = """
import json
import sys
from argostranslate import package
for path in sys.argv[1:]:
    package.install_from_path(path)
print(json.dumps(sorted(f"{p.from_code}-{p.to_code}" for p in package.get_installed_packages())))
"""
# With ARGOS_CHUNK_TYPE=SPACY, argostranslate looks for its cached xx_sent_ud_sm at import time and
# downloads it when missing. It uses that model only for packages without a spaCy pipeline of their
# own, and ours carry one, so a pipeline of the same kind (spaCy's senter, untrained) stands in
# for it in the cache, never to be loaded.
SPACY_CACHE = """
import sys
import spacy
from spacy.training import Example
nlp = spacy.blank("xx")
nlp.add_pipe("senter")
doc = nlp.make_doc("One sentence. Another one.")
example = Example.from_dict(doc, {"sent_starts": [1, 0, 0, 1, 0, 0]})
nlp.initialize(lambda: [example])
nlp.to_disk(sys.argv[1])
"""
# The pipeline our packages carry: spaCy's multilingual tokenizer; argostranslate adds spaCy's
# rule-based sentencizer to it, so this is LibreTranslate's cheapest splitter.
SPACY_PACKAGED = """
import sys
import spacy
spacy.blank("xx").to_disk(sys.argv[1])
"""


def spacy_pipeline(python: Path, folder: Path) -> Path:
    """The spaCy pipeline to package (made with LibreTranslate's spaCy, offline)."""
    if not (folder / "config.cfg").exists():
        subprocess.run([str(python), "-c", SPACY_PACKAGED, str(folder)], check=True)
    return folder


def prepare_home(
    python: Path, home: Path, model_dir: Path, splitter: tuple[str, Path] | None
) -> list[str]:
    """Install our model as en→uk and uk→en Argos packages with argostranslate's own installer."""
    env = home_environment(home)
    for name in ("data", "cache", "config", "packages"):
        (home / name).mkdir(parents=True, exist_ok=True)
    files = [
        build_package(model_dir, home / f"{a}_{b}.argosmodel", a, b, splitter=splitter)
        for a, b in (("en", "uk"), ("uk", "en"))
    ]
    done = subprocess.run(
        [str(python), "-c", INSTALL, *map(str, files)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    spacy_cache = home / "cache" / "argos-translate" / "spacy"
    if not (spacy_cache / "senter" / "model").exists():
        subprocess.run([str(python), "-c", SPACY_CACHE, str(spacy_cache)], env=env, check=True)
    installed: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return installed


def home_for(python: Path, cache: Path, model_dir: Path, splitter: str) -> Path:
    """A LibreTranslate home whose packages carry the splitter `splitter` (ARGOS_CHUNK_TYPE) uses.

    DEFAULT and MINISBD get bench/minisbd_model.py's model (made once; needs the `peers` extra),
    SPACY gets spaCy's multilingual tokenizer; STANZA is not offered (it needs PyTorch in
    LibreTranslate's venv and a downloaded Stanza model).
    """
    if splitter in ("DEFAULT", "MINISBD"):
        from bench.minisbd_model import build

        kind, folder = "minisbd", build(cache / "minisbd" / "en.onnx").parent
    elif splitter == "SPACY":
        kind, folder = "spacy", spacy_pipeline(python, cache / "spacy-xx")
    else:
        raise ValueError(f"splitter {splitter!r} is not one of DEFAULT, MINISBD, SPACY")
    home = cache / f"lt-home-{kind}"
    marker = home / ".installed"
    if not marker.exists():
        prepare_home(python, home, model_dir, (kind, folder))
        marker.write_text(str(model_dir), encoding="utf-8")
    return home


@dataclass
class LibreTranslate:
    """A running LibreTranslate; `translate` is safe to call from many threads."""

    process: subprocess.Popen[bytes]
    port: int
    stats_file: Path
    network_log: Path
    _local: threading.local = field(default_factory=threading.local)

    def translate(self, text: str, source: str = "en", target: str = "uk") -> str:
        """POST /translate over this thread's keep-alive connection; raises on any error."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            self._local.connection = connection
        body = json.dumps({"q": text, "source": source, "target": target, "format": "text"})
        connection.request("POST", "/translate", body, {"Content-Type": "application/json"})
        reply = connection.getresponse()
        data = reply.read()
        if reply.status != 200:
            raise RuntimeError(f"LibreTranslate answered {reply.status}: {data[:300]!r}")
        translated: str = json.loads(data)["translatedText"]
        return translated

    def stats(self) -> dict[str, int]:
        """Sentences and output tokens argostranslate has decoded so far (see lt_launch.py)."""
        if not self.stats_file.exists():
            return {"calls": 0, "sentences": 0, "output_tokens": 0}
        counts: dict[str, int] = json.loads(self.stats_file.read_text(encoding="utf-8"))
        return counts

    def network_attempts(self) -> list[str]:
        """Every network access the guard refused (must be none)."""
        if not self.network_log.exists():
            return []
        return self.network_log.read_text(encoding="utf-8").splitlines()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(
    python: Path, home: Path, settings: Settings, out_tokens: int, log: Path
) -> LibreTranslate:
    """Start LibreTranslate with `settings` on a free loopback port; return once it answers."""
    port = free_port()
    stats, network = home / f"stats-{port}.json", home / f"network-{port}.log"
    network.unlink(missing_ok=True)
    command = [
        str(python), str(LAUNCHER), "--network-log", str(network), "--stats", str(stats),
        "--max-decoding-length", str(out_tokens), "--",
        "--host", "127.0.0.1", "--port", str(port), "--threads", str(settings.threads),
    ]  # fmt: skip
    env = home_environment(home) | settings.environment()
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    server = LibreTranslate(process, port, stats, network)
    _wait_until_ready(server, log)
    return server


def _wait_until_ready(server: LibreTranslate, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            connection.request("GET", "/languages")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    server.stop()
    tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
    raise RuntimeError(f"LibreTranslate did not start:\n{tail}")
