"""`tlumach models fetch` against a real HTTP server serving an OPUS-MT layout release archive."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import logging
import zipfile
from pathlib import Path

import pytest
import yaml

from service.__main__ import main
from service.errors import ConfigError, ModelError
from service.model_store.download import (
    ChecksumMismatchError,
    DownloadError,
    DownloadRetry,
    download,
)
from service.model_store.engine import Engine
from service.model_store.manifest import load_manifest, parse_manifest
from service.model_store.registry import ModelInfo
from tests.support.opus_fixture import build_opus_release
from tests.support.release_server import ReleaseState, serve_releases, zip_release

CORPUS = [
    "The government approved the new budget on Monday.",
    "Drones attacked the city at night; nobody was hurt.",
    "Уряд ухвалив новий бюджет у понеділок.",
    "Правительство одобрило новый бюджет в понедельник.",
] * 30
ARCHIVE_PATH = "/OPUS-MT-models/en-uk/opus-2020-01-08.zip"


@pytest.fixture(scope="module")
def release_zip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    release = build_opus_release(tmp_path_factory.mktemp("release"), CORPUS)
    return zip_release(release)


@pytest.fixture
def state(release_zip: bytes) -> ReleaseState:
    return ReleaseState(files={ARCHIVE_PATH: release_zip})


def write_manifest(path: Path, url: str, sha256: str | None) -> Path:
    entry = {
        "name": "opus-mt-en-uk",
        "version": "2020-01-08",
        "pairs": ["en-uk"],
        "url": url,
        "sha256": sha256,
        "huggingface": "Helsinki-NLP/opus-mt-en-uk",
        "license": "CC-BY-4.0",
    }
    path.write_text(yaml.safe_dump({"pivot": "en", "models": {"en-uk": entry}}), encoding="utf-8")
    return path


def fetch(tmp_path: Path, manifest: Path, *extra: str) -> int:
    return main(
        [
            "models",
            "fetch",
            "--models-dir",
            str(tmp_path / "models"),
            "--manifest",
            str(manifest),
            "--no-progress",
            *extra,
        ]
    )


def leftovers(models_dir: Path) -> list[str]:
    """Files a failed or finished run must not leave behind (staging and partial downloads)."""
    staging = [p.name for p in (models_dir / ".staging").glob("*")]
    parts = [p.name for p in (models_dir / ".downloads").rglob("*.part")]
    return staging + parts


def test_fetch_installs_a_model_that_loads_and_translates(
    tmp_path: Path, state: ReleaseState, release_zip: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    sha = hashlib.sha256(release_zip).hexdigest()
    with serve_releases(state) as base:
        manifest = write_manifest(tmp_path / "models.yaml", base + ARCHIVE_PATH, sha)
        assert fetch(tmp_path, manifest) == 0
    installed = tmp_path / "models" / "en-uk"
    record = yaml.safe_load((installed / "model.yaml").read_text(encoding="utf-8"))
    assert record["origin"]["sha256"] == sha
    assert record["origin"]["pinned"] is True
    assert record["conversion"]["converter"] == "opus_mt"
    assert record["conversion"]["quantization"] == "int8"
    assert record["pairs"] == ["en-uk"]
    assert record["version"] == "2020-01-08"
    info = ModelInfo.read(installed)
    engine = Engine(installed, compute_type=info.compute_type)
    hypothesis = engine.translate_batch(["The government approved the budget."])[0][0]
    assert hypothesis.tokens, "the converted model decoded nothing"
    assert leftovers(tmp_path / "models") == []
    # No archive and no empty work folders: only the model itself.
    assert [p.name for p in (tmp_path / "models").iterdir()] == ["en-uk"]
    assert f"sha256 {sha} verified" in capsys.readouterr().out


def test_checksum_mismatch_is_refused_and_installs_nothing(
    tmp_path: Path, state: ReleaseState, release_zip: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = "0" * 64
    with serve_releases(state) as base:
        manifest = write_manifest(tmp_path / "models.yaml", base + ARCHIVE_PATH, wrong)
        assert fetch(tmp_path, manifest) == 1
    err = capsys.readouterr().err
    assert f"expected sha256 {wrong}" in err
    assert f"found {hashlib.sha256(release_zip).hexdigest()}" in err
    assert not (tmp_path / "models").exists(), "a failed fetch must leave nothing behind"


def test_interrupted_download_resumes_with_range_on_the_next_run(
    tmp_path: Path, state: ReleaseState, release_zip: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    half = len(release_zip) // 2
    state.drop_after, state.drops_left = half, 1
    with serve_releases(state) as base:
        manifest = write_manifest(tmp_path / "models.yaml", base + ARCHIVE_PATH, None)
        assert fetch(tmp_path, manifest, "--retries", "1") == 1
        part = tmp_path / "models" / ".downloads" / "en-uk" / "opus-2020-01-08.zip.part"
        assert part.stat().st_size == half
        assert not (tmp_path / "models" / "en-uk").exists()
        with caplog.at_level(logging.INFO, logger="service.model_store.install"):
            assert fetch(tmp_path, manifest) == 0
    assert state.requests[-1] == (ARCHIVE_PATH, f"bytes={half}-")
    assert f"en-uk: resumed the download at byte {half}" in caplog.messages
    record = yaml.safe_load((tmp_path / "models" / "en-uk" / "model.yaml").read_text("utf-8"))
    assert record["origin"]["sha256"] == hashlib.sha256(release_zip).hexdigest()
    assert record["origin"]["pinned"] is False


def test_download_retries_within_one_run_and_resumes_each_time(
    tmp_path: Path, state: ReleaseState, release_zip: bytes
) -> None:
    state.drop_after, state.drops_left = len(release_zip) // 3, 2
    waits: list[float] = []
    with serve_releases(state) as base:
        result = download(
            base + ARCHIVE_PATH,
            tmp_path / "a.zip",
            sha256=hashlib.sha256(release_zip).hexdigest(),
            retry=DownloadRetry(attempts=3, backoff_s=0.5),
            progress=False,
            sleep=waits.append,
        )
    assert result.path.read_bytes() == release_zip
    ranges = [header for _, header in state.requests]
    third = len(release_zip) // 3
    assert ranges == [None, f"bytes={third}-", f"bytes={2 * third}-"]
    assert waits == [0.5, 1.0]


def test_server_ignoring_range_restarts_from_zero(
    tmp_path: Path, state: ReleaseState, release_zip: bytes
) -> None:
    state.honour_range = False
    (tmp_path / "a.zip.part").write_bytes(b"stale bytes from elsewhere")
    with serve_releases(state) as base:
        result = download(base + ARCHIVE_PATH, tmp_path / "a.zip", progress=False)
    assert result.path.read_bytes() == release_zip


def test_a_404_fails_at_once_without_retrying(tmp_path: Path, state: ReleaseState) -> None:
    with serve_releases(state) as base, pytest.raises(ModelError, match="HTTP 404"):
        download(base + "/missing.zip", tmp_path / "m.zip", progress=False)
    assert len(state.requests) == 1


def test_an_unreachable_host_fails_at_once_without_retrying(tmp_path: Path) -> None:
    waits: list[float] = []
    # .invalid never resolves (RFC 2606): what an offline or air-gapped machine sees for any host.
    with pytest.raises(DownloadError, match="not retried") as caught:
        download("https://tlumach.invalid/x.zip", tmp_path / "x.zip", sleep=waits.append)
    assert caught.value.unreachable
    assert "tlumach.invalid: its name does not resolve" in str(caught.value)
    assert waits == []
    assert list(tmp_path.iterdir()) == []


def test_offline_fetch_names_from_and_leaves_nothing_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "https://tlumach.invalid/OPUS-MT-models/en-uk/opus-2020-01-08.zip"
    manifest = write_manifest(tmp_path / "models.yaml", url, None)
    assert fetch(tmp_path, manifest) == 1
    err = capsys.readouterr().err
    assert "en-uk: FAILED: cannot reach tlumach.invalid" in err
    assert f"fetch {url} on another machine" in err
    assert "tlumach models fetch en-uk --from opus-2020-01-08.zip" in err
    assert not (tmp_path / "models").exists()


def test_a_failure_keeps_a_models_folder_that_was_there_before(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    url = "https://tlumach.invalid/OPUS-MT-models/en-uk/opus-2020-01-08.zip"
    assert fetch(tmp_path, write_manifest(tmp_path / "models.yaml", url, None)) == 1
    assert list((tmp_path / "models").iterdir()) == []


def test_corrupt_archive_gives_a_clear_error_and_installs_nothing(
    tmp_path: Path, state: ReleaseState, release_zip: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = bytearray(release_zip)
    middle = len(broken) // 2
    broken[middle : middle + 64] = bytes(64)  # damage compressed data, keep the zip directory
    state.files[ARCHIVE_PATH] = bytes(broken)
    with serve_releases(state) as base:
        manifest = write_manifest(tmp_path / "models.yaml", base + ARCHIVE_PATH, None)
        assert fetch(tmp_path, manifest) == 1
    assert "opus-2020-01-08.zip is corrupt" in capsys.readouterr().err
    assert not (tmp_path / "models").exists(), "a failed fetch must leave nothing behind"


def test_second_run_is_a_no_op(
    tmp_path: Path, state: ReleaseState, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve_releases(state) as base:
        manifest = write_manifest(tmp_path / "models.yaml", base + ARCHIVE_PATH, None)
        assert fetch(tmp_path, manifest) == 0
        model_bin = tmp_path / "models" / "en-uk" / "model.bin"
        before = (model_bin.stat().st_ino, model_bin.stat().st_mtime_ns)
        requests = len(state.requests)
        capsys.readouterr()
        assert fetch(tmp_path, manifest) == 0
        assert "already installed" in capsys.readouterr().out
        assert len(state.requests) == requests, "a no-op run must not download"
        assert (model_bin.stat().st_ino, model_bin.stat().st_mtime_ns) == before
        assert fetch(tmp_path, manifest, "--quantization", "int16") == 0
    record = yaml.safe_load((tmp_path / "models" / "en-uk" / "model.yaml").read_text("utf-8"))
    assert record["conversion"]["quantization"] == "int16"


def test_from_a_local_archive_needs_no_network(
    tmp_path: Path, release_zip: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "opus-2020-01-08.zip"
    archive.write_bytes(release_zip)
    sha = hashlib.sha256(release_zip).hexdigest()
    # Port 9 (discard) on localhost: any attempt to download would fail the run.
    manifest = write_manifest(tmp_path / "models.yaml", "http://127.0.0.1:9/x.zip", sha)
    assert fetch(tmp_path, manifest, "en-uk", "--from", str(archive)) == 0
    record = yaml.safe_load((tmp_path / "models" / "en-uk" / "model.yaml").read_text("utf-8"))
    assert record["origin"]["source"] == "local"
    assert record["origin"]["sha256"] == sha
    Engine(tmp_path / "models" / "en-uk").translate_batch(["Monday"])
    assert fetch(tmp_path, manifest, "en-uk", "--from", str(archive)) == 0
    assert "already installed" in capsys.readouterr().out


def test_from_a_local_archive_with_the_wrong_checksum_is_refused(
    tmp_path: Path, release_zip: bytes
) -> None:
    archive = tmp_path / "release.zip"
    archive.write_bytes(release_zip)
    manifest = write_manifest(tmp_path / "models.yaml", "http://127.0.0.1:9/x.zip", "a" * 64)
    assert fetch(tmp_path, manifest, "en-uk", "--from", str(archive)) == 1
    assert not (tmp_path / "models").exists(), "a failed fetch must leave nothing behind"


def test_failed_forced_reinstall_keeps_the_installed_model(
    tmp_path: Path, release_zip: bytes
) -> None:
    good = tmp_path / "good.zip"
    good.write_bytes(release_zip)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(release_zip[: len(release_zip) // 2])
    manifest = write_manifest(tmp_path / "models.yaml", "http://127.0.0.1:9/x.zip", None)
    assert fetch(tmp_path, manifest, "en-uk", "--from", str(good)) == 0
    assert fetch(tmp_path, manifest, "en-uk", "--from", str(bad), "--force") == 1
    ModelInfo.read(tmp_path / "models" / "en-uk")
    Engine(tmp_path / "models" / "en-uk").translate_batch(["Monday"])


def test_archive_member_escaping_the_target_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("decoder.yml", "models: [m.npz]\n")
        bundle.writestr("../escaped.txt", "outside")
    archive = tmp_path / "evil.zip"
    archive.write_bytes(buffer.getvalue())
    manifest = write_manifest(tmp_path / "models.yaml", "http://127.0.0.1:9/x.zip", None)
    assert fetch(tmp_path, manifest, "en-uk", "--from", str(archive)) == 1
    assert "'../escaped.txt' would be written outside" in capsys.readouterr().err
    assert not list(tmp_path.rglob("escaped.txt"))
    assert not (tmp_path / "models").exists(), "a failed fetch must leave nothing behind"


def test_hugging_face_checkpoint_without_transformers_names_the_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("ctranslate2")
    try:
        import transformers  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("transformers is installed; the error path cannot be reached")
    checkpoint = tmp_path / "opus-mt-en-uk"
    checkpoint.mkdir()
    (checkpoint / "config.json").write_text(json.dumps({"model_type": "marian"}))
    (checkpoint / "pytorch_model.bin").write_bytes(b"")
    manifest = write_manifest(tmp_path / "models.yaml", "http://127.0.0.1:9/x.zip", None)
    assert fetch(tmp_path, manifest, "en-uk", "--from", str(checkpoint)) == 1
    assert "`convert` extra" in capsys.readouterr().err


def test_the_shipped_manifest_is_valid_and_covers_every_direction() -> None:
    manifest = load_manifest(Path(__file__).parent.parent / "models" / "models.yaml")
    served = {pair for entry in manifest.entries for pair in entry.pairs}
    assert served == {"en-uk", "uk-en", "en-ru", "ru-en", "uk-ru", "ru-uk"}
    for entry in manifest.entries:
        assert entry.url.startswith("https://object.pouta.csc.fi/")
        assert entry.license == "CC-BY-4.0"


def test_pivot_when_no_direct_model_is_configured(tmp_path: Path) -> None:
    entries = {
        pair: {
            "name": f"opus-mt-{pair}",
            "version": "1",
            "pairs": [pair],
            "url": f"https://example.org/{pair}.zip",
            "license": "CC-BY-4.0",
        }
        for pair in ("uk-en", "en-ru")
    }
    manifest = parse_manifest({"models": entries}, tmp_path / "m.yaml")
    assert manifest.pivot_legs("uk-ru") == ("uk-en", "en-ru")
    assert [entry.id for entry in manifest.select(["uk-ru"])] == ["uk-en", "en-ru"]
    with pytest.raises(ConfigError, match="no entry serves ru-uk"):
        manifest.select(["ru-uk"])


GOOD = {
    "name": "opus-mt-en-uk",
    "version": "2020-01-08",
    "pairs": ["en-uk"],
    "url": "https://example.org/en-uk.zip",
    "license": "CC-BY-4.0",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sha256": "abc"}, "sha256"),
        ({"pairs": ["en-de"]}, "pairs"),
        ({"pairs": []}, "pairs"),
        ({"url": "ftp://example.org/x.zip"}, "url"),
        ({"url": None}, "url"),
        ({"license": ""}, "license"),
        ({"huggingface": "no-owner"}, "huggingface"),
        ({"pairs": ["en-uk", "en-ru"]}, "target_tokens"),
        ({"target_tokens": {"uk": "ukr"}}, "target_tokens"),
        ({"target_tokens": {"ru": ">>rus<<"}}, "target_tokens"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_manifest_entry_names_entry_and_field(
    tmp_path: Path, change: dict[str, object], field: str
) -> None:
    entry = {**GOOD, **change}
    with pytest.raises(ConfigError, match=f"entry en-uk, field {field}:"):
        parse_manifest({"models": {"en-uk": entry}}, tmp_path / "models.yaml")


def test_two_entries_for_one_pair_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="entry second, field pairs: en-uk is already served"):
        parse_manifest({"models": {"first": GOOD, "second": GOOD}}, tmp_path / "m.yaml")


def test_bad_manifest_fails_the_command_with_the_entry_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "models.yaml"
    manifest.write_text(yaml.safe_dump({"models": {"en-uk": {**GOOD, "sha256": "xyz"}}}))
    assert fetch(tmp_path, manifest) == 2
    assert "entry en-uk, field sha256" in capsys.readouterr().err


def test_checksum_error_carries_both_values(tmp_path: Path) -> None:
    error = ChecksumMismatchError(tmp_path / "x.zip", "a" * 64, "b" * 64)
    assert error.expected == "a" * 64
    assert error.found == "b" * 64


def test_bfloat16_without_torch_names_the_extra(
    tmp_path: Path, release_zip: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    if importlib.util.find_spec("torch") is not None:
        pytest.skip("torch is installed; bfloat16 conversion works")
    archive = tmp_path / "release.zip"
    archive.write_bytes(release_zip)
    manifest = write_manifest(tmp_path / "models.yaml", "http://127.0.0.1:9/x.zip", None)
    assert (
        fetch(tmp_path, manifest, "en-uk", "--from", str(archive), "--quantization", "bfloat16")
        == 1
    )
    assert "bfloat16 needs torch" in capsys.readouterr().err
    assert not (tmp_path / "models").exists(), "a failed fetch must leave nothing behind"
