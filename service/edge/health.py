"""grpc.health.v1 with List, and a plaintext health-only port for probes that cannot speak TLS."""

from __future__ import annotations

from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1.health import aio as health_aio

NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


class HealthService(health_aio.HealthServicer):  # type: ignore[misc]
    """The standard asyncio health servicer plus List, which it does not implement.

    It keeps its own record of every status it set, so List answers from public calls only.
    """

    def __init__(self) -> None:
        super().__init__()
        self._statuses: dict[str, health_pb2.HealthCheckResponse.ServingStatus] = {
            "": health_pb2.HealthCheckResponse.SERVING
        }
        self._draining = False

    async def set(self, service: str, status: health_pb2.HealthCheckResponse.ServingStatus) -> None:
        """Set one service's status (ignored once draining, like the base class does)."""
        if not self._draining:
            self._statuses[service] = status
        await super().set(service, status)

    async def enter_graceful_shutdown(self) -> None:
        """NOT_SERVING for every service, for good."""
        self._draining = True
        self._statuses = dict.fromkeys(self._statuses, NOT_SERVING)
        await super().enter_graceful_shutdown()

    async def List(  # noqa: N802 - the name is the rpc's
        self, request: health_pb2.HealthListRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> health_pb2.HealthListResponse:
        """Every service name with its status (a handful: overall, service, one per pair)."""
        return health_pb2.HealthListResponse(
            statuses={
                name: health_pb2.HealthCheckResponse(status=status)
                for name, status in self._statuses.items()
            }
        )


async def start_health_port(health: HealthService, address: str) -> tuple[grpc.aio.Server, int]:
    """A second, plaintext server on `address` that serves only `health`; returns it and its port.

    Kubernetes' gRPC probes (and many load balancers' health checks) speak no TLS; this lets them
    reach health while the main port speaks only TLS. It answers only grpc.health.v1.
    """
    server = grpc.aio.server()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    port = server.add_insecure_port(address)
    await server.start()
    return server, port
