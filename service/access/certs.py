"""TLS material from PEM files, checked before use: the key matches, the certificate is current."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization

from service.errors import ConfigError

_SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


@dataclass(frozen=True)
class TlsFiles:
    """Where the server's certificate chain, its key and (for mutual TLS) the client CA are."""

    cert: Path
    key: Path
    client_ca: Path | None = None


@dataclass(frozen=True)
class TlsMaterial:
    """The bytes gRPC is given, read once so that what was checked is what is served."""

    cert_chain: bytes
    private_key: bytes
    client_ca: bytes | None
    not_after: datetime.datetime
    """When the server certificate expires (UTC)."""


def load_tls(files: TlsFiles, now: datetime.datetime | None = None) -> TlsMaterial:
    """Read and check the files; ConfigError names the file and what is wrong with it."""
    now = now or datetime.datetime.now(datetime.UTC)
    chain_pem = _read(files.cert)
    key_pem = _read(files.key)
    chain = _certificates(files.cert, chain_pem)
    leaf = chain[0]
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        # The library's message never quotes the key; encrypted keys land here too (TypeError).
        raise ConfigError(
            f"TLS key {files.key}: not an unencrypted PEM private key ({exc})"
        ) from exc
    if key.public_key().public_bytes(*_SPKI) != leaf.public_key().public_bytes(*_SPKI):
        raise ConfigError(
            f"TLS key {files.key} does not belong to the certificate in {files.cert} "
            "(the first certificate of the file must be the server's own)"
        )
    if leaf.not_valid_after_utc <= now:
        raise ConfigError(f"TLS certificate {files.cert} expired on {leaf.not_valid_after_utc}")
    if leaf.not_valid_before_utc > now:
        raise ConfigError(
            f"TLS certificate {files.cert} is not valid before {leaf.not_valid_before_utc}"
        )
    client_ca = None
    if files.client_ca is not None:
        client_ca = _read(files.client_ca)
        _certificates(files.client_ca, client_ca)
    return TlsMaterial(chain_pem, key_pem, client_ca, leaf.not_valid_after_utc)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read TLS file {path}: {exc.strerror}") from exc


def _certificates(path: Path, pem: bytes) -> list[x509.Certificate]:
    try:
        certificates = x509.load_pem_x509_certificates(pem)
    except ValueError as exc:
        raise ConfigError(f"TLS file {path}: not a PEM certificate file ({exc})") from exc
    return certificates
