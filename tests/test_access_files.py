"""Token files, quotas and TLS files: what is accepted, and errors that name file, entry, field."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest

from service.access.certs import TlsFiles, load_tls
from service.access.quota import Quotas
from service.access.tokens import Quota, load_token_file, token_digest
from service.config import Settings
from service.edge.access_gate import RPCS
from service.errors import ConfigError, InvalidArgumentError, QuotaExceededError
from tests.support.certs import Authority

DIGEST = hashlib.sha256(b"s3cret-token").hexdigest()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tokens.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_token_file_gives_callers_with_rpcs_and_quotas(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
defaults: {{requests_per_minute: 100}}
tokens:
  - id: newsroom
    sha256: "{DIGEST}"
    rpcs: [Translate, TranslateStream]
    characters_per_minute: 5000
  - id: ops.dashboard
    sha256: "{hashlib.sha256(b"other").hexdigest().upper()}"
    requests_per_minute: 0
""",
    )
    table = load_token_file(path, RPCS)
    caller = table.match("s3cret-token")
    assert caller is not None
    assert caller.id == "newsroom"
    assert caller.quota == Quota(requests_per_minute=100, characters_per_minute=5000)
    assert caller.may_call("Translate")
    assert not caller.may_call("GetGlossary")
    other = table.match("other")
    assert other is not None
    assert other.rpcs is None
    assert other.quota == Quota(0, 0)
    assert table.match("s3cret-token ") is None
    assert table.match("") is None
    assert token_digest("s3cret-token").hex() == DIGEST


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("tokens: [", "cannot read it"),
        ("- just a list", "list under 'tokens'"),
        ("tokens: []\nextra: 1", "unknown key(s) extra"),
        (f"tokens: [{{id: Big, sha256: '{DIGEST}'}}]", "entry #1: field id"),
        ("tokens: [{id: a, sha256: 'abc'}]", "entry a: field sha256"),
        (f"tokens: [{{id: a, sha256: '{DIGEST}', rpcs: [Drop]}}]", "field rpcs: unknown Drop"),
        (
            f"tokens: [{{id: a, sha256: '{DIGEST}', requests_per_minute: -1}}]",
            "requests_per_minute",
        ),
        (f"tokens: [{{id: a, sha256: '{DIGEST}', colour: red}}]", "unknown field(s) colour"),
        (f"tokens: [{{id: a, sha256: '{DIGEST}'}}, {{id: a, sha256: '{'0' * 64}'}}]", "id: used"),
        (f"tokens: [{{id: a, sha256: '{DIGEST}'}}, {{id: b, sha256: '{DIGEST}'}}]", "sha256: used"),
        ("defaults: {burst: 1}\ntokens: []", "defaults"),
        (f"tokens: [{{id: a, sha256: '{hashlib.sha256(b'').hexdigest()}'}}]", "empty token"),
    ],
)
def test_bad_token_files_name_what_is_wrong(tmp_path: Path, text: str, needle: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_token_file(path, RPCS)
    assert needle in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_token_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read it"):
        load_token_file(tmp_path / "absent.yaml", RPCS)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_buckets_refill_per_minute_and_refuse_without_taking() -> None:
    clock = Clock()
    quotas = Quotas(clock)
    quota = Quota(requests_per_minute=2, characters_per_minute=100)
    quotas.charge("a", quota, 60)
    with pytest.raises(QuotaExceededError) as caught:
        quotas.charge("a", quota, 60)  # 40 characters left: wait for 20 more, 12 s
    assert caught.value.quota == "characters"
    assert caught.value.retry_after_s == pytest.approx(12.0)
    quotas.charge("a", quota, 40)  # the refused call took nothing, not even its request
    with pytest.raises(QuotaExceededError) as caught:
        quotas.charge("a", quota, 0)
    assert caught.value.quota == "requests"
    assert caught.value.retry_after_s == pytest.approx(30.0)
    quotas.charge("b", quota, 100)  # every caller has its own buckets
    clock.now += 30
    quotas.charge("a", quota, 50)
    with pytest.raises(InvalidArgumentError, match="content: 101 characters"):
        quotas.charge("a", quota, 101, "content")


def test_a_lowered_quota_applies_to_the_bucket_at_once() -> None:
    clock = Clock()
    quotas = Quotas(clock)
    quotas.charge("a", Quota(requests_per_minute=100), 0)
    quotas.charge("a", Quota(requests_per_minute=1), 0)
    with pytest.raises(QuotaExceededError):
        quotas.charge("a", Quota(requests_per_minute=1), 0)
    quotas.charge("a", Quota(), 0)  # unlimited


@pytest.fixture(scope="module")
def authority() -> Authority:
    return Authority.create("unit")


def test_tls_files_are_read_and_checked(tmp_path: Path, authority: Authority) -> None:
    cert, key = authority.issue("server", server=True)
    (tmp_path / "c.pem").write_bytes(cert + authority.pem)  # chain: leaf first
    (tmp_path / "k.pem").write_bytes(key)
    (tmp_path / "ca.pem").write_bytes(authority.pem)
    material = load_tls(TlsFiles(tmp_path / "c.pem", tmp_path / "k.pem", tmp_path / "ca.pem"))
    assert material.private_key == key
    assert material.client_ca == authority.pem
    assert material.not_after > datetime.datetime.now(datetime.UTC)


def test_bad_tls_files_are_refused_naming_the_file(tmp_path: Path, authority: Authority) -> None:
    cert, key = authority.issue("server", server=True)
    _, other_key = authority.issue("other", server=True)
    expired, expired_key = authority.issue("old", server=True, valid_days=-0.001)
    files = {"cert": cert, "key": key, "other": other_key, "old": expired, "oldkey": expired_key}
    for name, data in {**files, "junk": b"not a pem"}.items():
        (tmp_path / name).write_bytes(data)
    cases = [
        (TlsFiles(tmp_path / "cert", tmp_path / "other"), "does not belong"),
        (TlsFiles(tmp_path / "old", tmp_path / "oldkey"), "expired"),
        (TlsFiles(tmp_path / "junk", tmp_path / "key"), "not a PEM certificate"),
        (TlsFiles(tmp_path / "cert", tmp_path / "junk"), "not an unencrypted PEM private key"),
        (TlsFiles(tmp_path / "cert", tmp_path / "key", tmp_path / "junk"), "junk"),
        (TlsFiles(tmp_path / "cert", tmp_path / "absent"), "cannot read TLS file"),
    ]
    for files_, needle in cases:
        with pytest.raises(ConfigError) as caught:
            load_tls(files_)
        assert needle in str(caught.value), files_
        assert "PRIVATE KEY" not in str(caught.value)


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ({"tls_cert_file": "c.pem"}, "set together"),
        ({"tls_key_file": "k.pem"}, "set together"),
        ({"tls_client_ca_file": "ca.pem"}, "needs tls_cert_file"),
        ({"health_port": "-2"}, "health_port"),
    ],
)
def test_access_settings_are_validated(values: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        Settings.from_mapping(values)


def test_empty_path_variable_means_unset_and_the_client_token_is_not_a_setting() -> None:
    settings = Settings.from_env({"TLUMACH_TLS_CERT_FILE": "", "TLUMACH_TOKEN": "x"})
    assert settings.tls_cert_file is None
    assert not settings.tls
    settings = Settings.from_env(
        {"TLUMACH_TLS_CERT_FILE": "/c.pem", "TLUMACH_TLS_KEY_FILE": "/k.pem"}
    )
    assert settings.tls
    assert settings.tls_key_file == Path("/k.pem")


def test_serve_flags_set_the_access_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from service.cli import build_parser
    from service.cli.serve import load_settings

    monkeypatch.setenv("TLUMACH_TOKEN", "a client's token is no server setting")
    flags = ["--tls-cert-file", "c.pem", "--tls-key-file", "k.pem", "--auth-tokens-file", "t.yaml"]
    args = build_parser().parse_args(["serve", *flags, "--health-port", "50052"])
    settings = load_settings(args)
    assert settings.tls
    assert settings.auth_tokens_file == Path("t.yaml")
    assert settings.health_port == 50052
