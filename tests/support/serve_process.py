"""A real `python -m service serve` subprocess for tests and benchmarks, started and stopped."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What `service/cli/serve.py` prints on stdout once the server accepts calls (health included).
# The trailing newline keeps a half-written line from being read as a shorter port number.
ANNOUNCED = re.compile(r"^tlumach serving on port (\d+)\n", re.MULTILINE)
LOG_TAIL_CHARS = 4000


@dataclass(frozen=True)
class ServeProcess:
    """A running `tlumach serve` with the ports it listens on and the file its output goes to."""

    process: subprocess.Popen[bytes]
    port: int
    metrics_port: int
    log: Path

    def stop(self, timeout_s: float = 30) -> int:
        """SIGTERM (graceful drain), SIGKILL after `timeout_s`; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return self.kill()

    def kill(self) -> int:
        """SIGKILL, no drain; returns the exit code."""
        self.process.kill()
        return self.process.wait()


def free_port() -> int:
    """A port nothing listens on right now (racy: only for the metrics port, never announced)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_env(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """This environment without stray TLUMACH_* settings, with the repo importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TLUMACH_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(overrides or {})
    return env


def start_serve(
    models_dir: Path,
    *,
    glossaries_dir: Path | None = None,
    metrics_port: int = -1,
    extra_args: Sequence[str] = (),
    env_overrides: Mapping[str, str] | None = None,
    log: Path | None = None,
    timeout_s: float = 60,
) -> ServeProcess:
    """Start `tlumach serve` on an OS-chosen port; return once it announces that port.

    `metrics_port` -1 turns the metrics endpoint off; 0 picks a free port up front, because the
    server announces only its gRPC port.
    """
    if metrics_port == 0:
        metrics_port = free_port()
    if log is None:
        handle, name = tempfile.mkstemp(prefix="tlumach-serve-", suffix=".log")
        os.close(handle)
        log = Path(name)
    command = [
        sys.executable, "-m", "service", "serve", "--host", "127.0.0.1", "--port", "0",
        "--metrics-port", str(metrics_port), "--models-dir", str(models_dir),
    ]  # fmt: skip
    if glossaries_dir is not None:
        command += ["--glossaries-dir", str(glossaries_dir)]
    log.parent.mkdir(parents=True, exist_ok=True)  # a clean clone has no bench/.cache yet
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*command, *extra_args],
            cwd=ROOT,
            env=serve_env(env_overrides),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    port = wait_for_port(process, log, timeout_s)
    return ServeProcess(process, port, metrics_port, log)


def wait_for_port(process: subprocess.Popen[bytes], log: Path, timeout_s: float) -> int:
    """The announced port; kills the process and raises with its log if it never comes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        exited = process.poll() is not None  # before reading, so a last line is not missed
        found = ANNOUNCED.search(_read(log))
        if found:
            return int(found.group(1))
        if exited:
            break
        time.sleep(0.05)
    reason = "timed out" if process.poll() is None else f"exited with {process.returncode}"
    if process.poll() is None:
        process.kill()
        process.wait()
    tail = _read(log)[-LOG_TAIL_CHARS:]
    raise RuntimeError(f"tlumach serve {reason} before serving ({timeout_s:g} s limit):\n{tail}")


def _read(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")
