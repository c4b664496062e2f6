"""A throwaway certificate authority for tests: CA, server and client certificates as PEM files."""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = ec.EllipticCurvePrivateKey


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class Authority:
    """A self-signed CA that issues server and client certificates."""

    name: str
    key: PrivateKey
    cert: x509.Certificate

    @classmethod
    def create(cls, name: str) -> Authority:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name(name))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, key_cert_sign=True, crl_sign=True,
                    content_commitment=False, key_encipherment=False, data_encipherment=False,
                    key_agreement=False, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )  # fmt: skip
        return cls(name, key, cert)

    @property
    def pem(self) -> bytes:
        return cert_pem(self.cert)

    def issue(
        self,
        common_name: str,
        *,
        server: bool,
        valid_days: float = 1,
        key: PrivateKey | None = None,
    ) -> tuple[bytes, bytes]:
        """(certificate PEM, key PEM) for a server (SAN localhost, 127.0.0.1) or a client."""
        key = key or ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        usage = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=valid_days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        )
        if server:
            names: list[x509.GeneralName] = [
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            ]
            builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        return cert_pem(builder.sign(self.key, hashes.SHA256())), key_pem(key)


@dataclass(frozen=True)
class TlsFilesOnDisk:
    """Paths of a server's certificate, key and client CA written for a test."""

    cert: Path
    key: Path
    client_ca: Path


def write_server_files(folder: Path, authority: Authority, client_ca: Authority) -> TlsFilesOnDisk:
    """Server certificate issued by `authority` and `client_ca`'s certificate, as files."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = authority.issue(f"tlumach-{authority.name}", server=True)
    files = TlsFilesOnDisk(folder / "tls.crt", folder / "tls.key", folder / "client-ca.crt")
    files.cert.write_bytes(cert)
    files.key.write_bytes(key)
    files.client_ca.write_bytes(client_ca.pem)
    return files
