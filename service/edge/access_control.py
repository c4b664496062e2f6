"""Access settings put to work: the listening port's credentials, the gate, reloads (edge code)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import grpc

from service.access.certs import TlsFiles, load_tls
from service.access.quota import Quotas
from service.access.tokens import TokenTable, load_token_file
from service.config import Settings
from service.edge.access_gate import RPCS, AccessInterceptor
from service.edge.tls_credentials import ReloadableCredentials
from service.errors import ConfigError
from service.metrics import Metrics

logger = logging.getLogger(__name__)


class AccessControl:
    """TLS (optional, mutual when a client CA is set) and bearer tokens (optional) of one server."""

    def __init__(
        self,
        metrics: Metrics,
        tls: ReloadableCredentials | None = None,
        tokens_file: Path | None = None,
    ) -> None:
        self._metrics = metrics
        self._tls = tls
        self._tokens_file = tokens_file
        self._tokens = load_token_file(tokens_file, RPCS) if tokens_file else TokenTable(())
        self._quotas = Quotas()
        self._seen = self._fingerprint()

    @classmethod
    def from_settings(cls, settings: Settings, metrics: Metrics) -> AccessControl:
        """Read and check every file now; ConfigError names the one at fault."""
        tls = None
        if settings.tls_cert_file is not None and settings.tls_key_file is not None:
            files = TlsFiles(
                settings.tls_cert_file, settings.tls_key_file, settings.tls_client_ca_file
            )
            tls = ReloadableCredentials(files)
        access = cls(metrics, tls, settings.auth_tokens_file)
        if access._tokens_file and not tls:
            logger.warning(
                "bearer tokens are checked but the port is plaintext: tokens cross the network "
                "readable unless something in front of the server (a mesh, a proxy) adds TLS"
            )
        return access

    @property
    def tokens(self) -> TokenTable:
        """The tokens in force (empty when tokens are off)."""
        return self._tokens

    def describe(self) -> str:
        """One phrase for the start-up log line, e.g. 'mutual TLS, 3 bearer tokens'."""
        if self._tls is None:
            transport = "plaintext"
        else:
            transport = "mutual TLS" if self._tls.mutual else "TLS"
        if self._tokens_file is None:
            return f"{transport}, no bearer tokens"
        return f"{transport}, {len(self._tokens)} bearer token(s)"

    def interceptors(self) -> list[grpc.aio.ServerInterceptor]:
        """The gate, when tokens are on (TLS alone is enforced by the handshake)."""
        if self._tokens_file is None:
            return []
        return [AccessInterceptor(lambda: self._tokens, self._quotas, self._metrics)]

    def add_port(self, server: grpc.aio.Server, address: str) -> int:
        """Listen on `address` with TLS when configured; returns the bound port."""
        if self._tls is None:
            return server.add_insecure_port(address)
        return server.add_secure_port(address, self._tls.credentials)

    async def reload(self, *, changed_only: bool = False) -> None:
        """Re-read certificates and tokens; a part that fails keeps its previous version.

        With `changed_only`, nothing happens unless one of the files changed since the last
        look (a Kubernetes Secret update swaps them in place): the periodic file watch.
        """
        if changed_only:
            seen = await asyncio.to_thread(self._fingerprint)
            if seen == self._seen:
                return
            logger.info("access files changed: reloading")
        self._seen = await asyncio.to_thread(self._fingerprint)
        if self._tls is not None:
            try:
                material = await asyncio.to_thread(load_tls, self._tls.files)
            except ConfigError as exc:
                self._reloaded("tls", ok=False)
                logger.error("TLS reload failed, the previous certificates keep serving: %s", exc)
            else:
                self._tls.replace(material)
                self._reloaded("tls", ok=True)
                logger.info("TLS certificates reloaded; valid until %s", material.not_after)
        if self._tokens_file is not None:
            try:
                tokens = await asyncio.to_thread(load_token_file, self._tokens_file, RPCS)
            except ConfigError as exc:
                self._reloaded("tokens", ok=False)
                logger.error("token reload failed, the previous tokens keep serving: %s", exc)
            else:
                self._tokens = tokens
                self._quotas.forget_except({caller.id for caller in tokens.callers})
                self._reloaded("tokens", ok=True)
                logger.info("bearer tokens reloaded: %d token(s)", len(tokens))

    def _fingerprint(self) -> tuple[tuple[int, int, int], ...]:
        """(inode, size, mtime) of every access file, following symbolic links; -1s if absent."""
        paths = [self._tokens_file]
        if self._tls is not None:
            paths += [self._tls.files.cert, self._tls.files.key, self._tls.files.client_ca]
        stats = []
        for path in paths:
            try:
                stat = path.stat() if path is not None else None
            except OSError:
                stat = None
            stats.append((stat.st_ino, stat.st_size, stat.st_mtime_ns) if stat else (-1, -1, -1))
        return tuple(stats)

    def _reloaded(self, part: str, *, ok: bool) -> None:
        self._metrics.access_reloads.labels(part, "ok" if ok else "failed").inc()
