"""A real `tlumach serve` with mutual TLS and tokens: the batch client, and rotation by SIGHUP."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest

from service.pb import translation_pb2 as pb
from service.pb import translation_pb2_grpc as pb_grpc
from tests.support.certs import Authority, TlsFilesOnDisk, write_server_files
from tests.support.serve_process import ROOT, ServeProcess, serve_env, start_serve
from tests.test_access import token_file

OLD_TOKEN = "tok-old-5d41402abc4b2a76b9719d911017c592"
NEW_TOKEN = "tok-new-7d793037a0760186574b0282f2f435e7"
SENTENCE = "Drones attacked the city at night."


@dataclass
class Deployment:
    """The server process and the files it reads, which the tests rewrite."""

    serve: ServeProcess
    folder: Path
    files: TlsFilesOnDisk
    tokens: Path
    server_ca: Authority
    client_ca: Authority
    client_cert: tuple[bytes, bytes]

    def channel(self, roots: bytes) -> grpc.aio.Channel:
        cert, key = self.client_cert
        credentials = grpc.ssl_channel_credentials(roots, key, cert)
        return grpc.aio.secure_channel(
            f"127.0.0.1:{self.serve.port}",
            credentials,
            options=[("grpc.ssl_target_name_override", "localhost")],
        )

    def hang_up_and_wait(self, *needles: str, timeout_s: float = 30) -> None:
        """SIGHUP, then wait until the log shows every needle after this point."""
        start = len(self.serve.log.read_bytes())
        self.serve.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            tail = self.serve.log.read_bytes()[start:].decode("utf-8", "replace")
            if all(needle in tail for needle in needles):
                return
            time.sleep(0.05)
        raise AssertionError(f"no {needles} in the log after SIGHUP:\n{tail}")


@pytest.fixture(scope="module")
def deployment(models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    folder = tmp_path_factory.mktemp("access")
    server_ca, client_ca = Authority.create("server-1"), Authority.create("clients")
    files = write_server_files(folder / "tls", server_ca, client_ca)
    tokens = token_file(folder / "tokens.yaml", [{"id": "desk", "token": OLD_TOKEN}])
    serve = start_serve(
        models_dir,
        glossaries_dir=folder / "no-glossaries",
        env_overrides={
            "TLUMACH_TLS_CERT_FILE": str(files.cert),
            "TLUMACH_TLS_KEY_FILE": str(files.key),
            "TLUMACH_TLS_CLIENT_CA_FILE": str(files.client_ca),
            "TLUMACH_AUTH_TOKENS_FILE": str(tokens),
            "TLUMACH_GLOSSARY_WATCH_INTERVAL_S": "0",
        },
        log=folder / "serve.log",
    )
    client_cert = client_ca.issue("desk-1", server=False)
    yield Deployment(serve, folder, files, tokens, server_ca, client_ca, client_cert)
    assert serve.stop() == 0


def run_client(deployment: Deployment, *args: str, token: str | None) -> tuple[int, str, Path]:
    """`tlumach translate` of one file through the deployment; (exit code, stderr, output)."""
    source = deployment.folder / "in" / "note.txt"
    source.parent.mkdir(exist_ok=True)
    source.write_text(SENTENCE + "\n", encoding="utf-8")
    out = deployment.folder / f"out-{time.monotonic_ns()}"
    env = serve_env({"TLUMACH_TOKEN": token} if token is not None else {})
    result = subprocess.run(
        [
            sys.executable, "-m", "service", "translate", str(source), "--to", "uk",
            "--from", "en", "--out", str(out), "--progress", "log", "--retries", "1",
            "--server", f"127.0.0.1:{deployment.serve.port}", *args,
        ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return result.returncode, result.stderr, out / "uk" / "note.txt"


def tls_args(deployment: Deployment, *, client_cert: bool = True) -> list[str]:
    folder = deployment.folder / "client"
    folder.mkdir(exist_ok=True)
    (folder / "ca.pem").write_bytes(deployment.server_ca.pem)
    args = ["--tls-ca", str(folder / "ca.pem")]
    if client_cert:
        cert, key = deployment.client_cert
        (folder / "cert.pem").write_bytes(cert)
        (folder / "key.pem").write_bytes(key)
        args += ["--tls-cert", str(folder / "cert.pem"), "--tls-key", str(folder / "key.pem")]
    return args


def test_batch_client_translates_with_certificate_and_token(deployment: Deployment) -> None:
    token = deployment.folder / "token.txt"
    token.write_text(OLD_TOKEN + "\n", encoding="utf-8")
    os.chmod(token, 0o600)
    code, err, output = run_client(
        deployment, *tls_args(deployment), "--token-file", str(token), token=None
    )
    assert code == 0, err
    assert output.read_text(encoding="utf-8").strip()
    # The token from the environment works the same.
    code, err, output = run_client(deployment, *tls_args(deployment), token=OLD_TOKEN)
    assert code == 0, err
    assert OLD_TOKEN not in err


@pytest.mark.parametrize(
    ("case", "token", "needle"),
    [
        ("wrong token", "tok-guess", "UNAUTHENTICATED"),
        ("no token", None, "UNAUTHENTICATED"),
        ("no client certificate", OLD_TOKEN, "UNAVAILABLE"),
        ("plaintext", OLD_TOKEN, "UNAVAILABLE"),
    ],
)
def test_batch_client_fails_cleanly_without_valid_credentials(
    deployment: Deployment, case: str, token: str | None, needle: str
) -> None:
    args = {
        "no client certificate": tls_args(deployment, client_cert=False),
        "plaintext": [],
    }.get(case, tls_args(deployment))
    code, err, output = run_client(deployment, *args, token=token)
    assert code == 2, err
    assert needle in err
    assert not output.exists()


async def _pairs(channel: grpc.aio.Channel, token: str) -> grpc.StatusCode:
    try:
        await pb_grpc.TranslationServiceStub(channel).ListLanguagePairs(
            pb.ListLanguagePairsRequest(),
            metadata=(("authorization", f"Bearer {token}"),),
            timeout=10,
        )
    except grpc.aio.AioRpcError as exc:
        return exc.code()
    return grpc.StatusCode.OK


async def test_sighup_rotates_tokens_and_certificates_keeping_open_connections(
    deployment: Deployment,
) -> None:
    old_roots = deployment.server_ca.pem
    kept = deployment.channel(old_roots)  # one connection, opened before the rotation
    items: asyncio.Queue[pb.TranslateStreamRequest | None] = asyncio.Queue()

    async def send() -> AsyncIterator[pb.TranslateStreamRequest]:
        while (item := await items.get()) is not None:
            yield item

    def item(n: int) -> pb.TranslateStreamRequest:
        request = pb.TranslateRequest(texts=[SENTENCE], source_language="en", target_language="uk")
        return pb.TranslateStreamRequest(item_id=str(n), request=request)

    stream = pb_grpc.TranslationServiceStub(kept).TranslateStream(
        send(), metadata=(("authorization", f"Bearer {OLD_TOKEN}"),), timeout=120
    )
    replies = stream.__aiter__()
    items.put_nowait(item(1))
    assert (await replies.__anext__()).status_code == 0

    # Rotate: the old token is replaced, the server certificate comes from a new CA.
    new_ca = Authority.create("server-2")
    token_file(deployment.tokens, [{"id": "desk", "token": NEW_TOKEN}])
    write_server_files(deployment.files.cert.parent, new_ca, deployment.client_ca)
    await asyncio.to_thread(
        deployment.hang_up_and_wait, "TLS certificates reloaded", "bearer tokens reloaded: 1"
    )

    # The open stream goes on, and the revoked token no longer works on it.
    items.put_nowait(item(2))
    refused = await replies.__anext__()
    assert refused.status_code == grpc.StatusCode.UNAUTHENTICATED.value[0]
    # The connection opened before the reload still works: a new handshake would fail, since
    # this channel trusts only the old CA.
    assert await _pairs(kept, NEW_TOKEN) == grpc.StatusCode.OK
    assert await _pairs(kept, OLD_TOKEN) == grpc.StatusCode.UNAUTHENTICATED
    # New connections get the new certificate.
    async with deployment.channel(old_roots) as stale:
        assert await _pairs(stale, NEW_TOKEN) == grpc.StatusCode.UNAVAILABLE
    async with deployment.channel(new_ca.pem) as fresh:
        assert await _pairs(fresh, NEW_TOKEN) == grpc.StatusCode.OK

    # A broken reload keeps what serves now, and says why in the log.
    deployment.tokens.write_text("tokens: [{id: BAD}]", encoding="utf-8")
    _, stray_key = new_ca.issue("stray", server=True)
    deployment.files.key.write_bytes(stray_key)
    await asyncio.to_thread(
        deployment.hang_up_and_wait, "token reload failed", "TLS reload failed", "does not belong"
    )
    async with deployment.channel(new_ca.pem) as after:
        assert await _pairs(after, NEW_TOKEN) == grpc.StatusCode.OK
    items.put_nowait(None)
    assert [reply async for reply in replies] == []
    assert await stream.code() == grpc.StatusCode.OK
    await kept.close()
    assert deployment.serve.process.poll() is None
    log = deployment.serve.log.read_text(encoding="utf-8")
    assert OLD_TOKEN not in log
    assert NEW_TOKEN not in log
