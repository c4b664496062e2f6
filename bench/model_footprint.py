"""Disk size, load time and resident memory of an OPUS-MT-sized model per quantization.

Builds a random model with OPUS-MT's real dimensions (tests/support/opus_fixture.py OPUS_SIZE),
installs it with the real `fetch` path (--from a local release) once per quantization, then loads
each in a fresh process with the serving engine so the RSS figures do not mix.

    PYTHONPATH=. .venv/bin/python bench/model_footprint.py [--quantizations int8 int16 float32]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from service.model_store.install import InstallOptions, install
from service.model_store.manifest import ModelSource
from tests.support.opus_fixture import OPUS_SIZE, build_opus_release

CORPUS = [
    "The government approved the new budget on Monday after a long debate in parliament.",
    "Уряд ухвалив новий бюджет у понеділок після довгих дебатів у парламенті.",
    "Правительство одобрило новый бюджет в понедельник после долгих дебатов в парламенте.",
] * 200

PROBE = """
import json, sys, time
from pathlib import Path
from service.model_store.inventory import rss_mib
from service.model_store.registry import ModelInfo
from service.model_store.engine import Engine
info = ModelInfo.read(Path(sys.argv[1]))
before = rss_mib()
started = time.perf_counter()
engine = Engine(info.path, compute_type="default", inter_threads=1, intra_threads=1)
load_s = time.perf_counter() - started
loaded = rss_mib()
started = time.perf_counter()
engine.translate_batch(["The government approved the new budget on Monday."] * 8)
print(json.dumps({"load_s": load_s, "rss_before_mib": before, "rss_loaded_mib": loaded,
                  "rss_after_batch_mib": rss_mib(), "batch8_s": time.perf_counter() - started}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quantizations", nargs="+", default=["int8", "int16", "float32"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        release = build_opus_release(Path(tmp) / "release", CORPUS, OPUS_SIZE)
        npz = sum(p.stat().st_size for p in release.glob("*.npz"))
        print(f"release built in {time.perf_counter() - started:.0f}s, npz {npz / 2**20:.0f} MiB")
        entry = ModelSource(
            id="en-uk",
            name="footprint",
            version="0",
            pairs=("en-uk",),
            url="https://example.invalid/release.zip",
            license="CC-BY-4.0",
        )
        for quantization in args.quantizations:
            models_dir = Path(tmp) / quantization
            started = time.perf_counter()
            install(entry, models_dir, InstallOptions(quantization=quantization, local=release))
            convert_s = time.perf_counter() - started
            target = models_dir / "en-uk"
            size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
            probe = subprocess.run(
                [sys.executable, "-c", PROBE, str(target)],
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(probe.stdout)
            print(
                json.dumps(
                    {
                        "quantization": quantization,
                        "convert_s": round(convert_s, 1),
                        "disk_mib": round(size / 2**20, 1),
                        **{k: round(v, 2) for k, v in result.items()},
                    }
                )
            )


if __name__ == "__main__":
    main()
