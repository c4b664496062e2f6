"""Server TLS credentials whose certificates can be replaced while connections stay open (edge)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import cast

import grpc

from service.access.certs import TlsFiles, TlsMaterial, load_tls


class ReloadableCredentials:
    """gRPC's dynamic SSL credentials over certificate files, with a `replace` for reloads.

    gRPC asks `_fetch` before every new TLS handshake; it answers None ("unchanged") until a new,
    already checked certificate configuration is waiting. Open connections keep the keys they
    negotiated, so a reload drops none of them.
    """

    def __init__(self, files: TlsFiles) -> None:
        self.files = files
        self.material = load_tls(files)
        self._pending: grpc.ServerCertificateConfiguration | None = None
        # gRPC calls `_fetch` from a thread of its own core, never from the event loop.
        self._lock = threading.Lock()
        self.credentials = grpc.dynamic_ssl_server_credentials(
            _configuration(self.material),
            # gRPC's stubs omit that the fetcher may answer None, which means "unchanged".
            cast(Callable[[], grpc.ServerCertificateConfiguration], self._fetch),
            require_client_authentication=files.client_ca is not None,
        )

    @property
    def mutual(self) -> bool:
        """Whether every client must present a certificate signed by the client CA."""
        return self.files.client_ca is not None

    def replace(self, material: TlsMaterial) -> None:
        """Serve `material` (checked by `load_tls`) from the next handshake on."""
        configuration = _configuration(material)
        with self._lock:
            self._pending = configuration
            self.material = material

    def _fetch(self) -> grpc.ServerCertificateConfiguration | None:
        with self._lock:
            pending, self._pending = self._pending, None
        return pending


def _configuration(material: TlsMaterial) -> grpc.ServerCertificateConfiguration:
    return grpc.ssl_server_certificate_configuration(
        [(material.private_key, material.cert_chain)], root_certificates=material.client_ca
    )
