"""Container health check over grpc.health.v1: exit 0 only while the server answers SERVING."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

SERVING = health_pb2.HealthCheckResponse.SERVING


def main(argv: Sequence[str] | None = None) -> int:
    """Ask the health service once; print the status and return the exit code."""
    # The image sets no port flag, so the server listens on TLUMACH_PORT when that is set. With
    # TLS on, the main port refuses plaintext: the health-only port (TLUMACH_HEALTH_PORT) answers.
    health_port = os.environ.get("TLUMACH_HEALTH_PORT", "")
    port = health_port if health_port.isdigit() else os.environ.get("TLUMACH_PORT", "50051")
    default_address = f"127.0.0.1:{port}"
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--address", default=default_address, help="host:port of the server")
    parser.add_argument(
        "--service", default="", help="health service: '' = the whole server, or a pair (en-uk)"
    )
    parser.add_argument("--timeout", type=float, default=3.0, help="seconds to wait for an answer")
    args = parser.parse_args(argv)
    request = health_pb2.HealthCheckRequest(service=args.service)
    try:
        with grpc.insecure_channel(args.address) as channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(request, timeout=args.timeout)
    except grpc.RpcError as exc:
        print(f"unhealthy: {exc.code().name}", file=sys.stderr)
        return 1
    print(health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))
    return 0 if reply.status == SERVING else 1


if __name__ == "__main__":
    sys.exit(main())
