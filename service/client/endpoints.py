"""Service targets: `dns:///host:port` or `host:port,...` resolved into one address per replica."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

DEFAULT_PORT = 50051


async def resolve(target: str) -> list[str]:
    """gRPC channel targets, one per address: `dns:///host:port` or `host:port,host:port,...`."""
    return list(await resolve_named(target))


async def resolve_named(target: str) -> dict[str, str]:
    """Each channel target of `target` with the host name it was resolved from, in order.

    TLS checks the server's certificate against that name, not against the resolved address.
    """
    if target.startswith("unix:"):
        return {target: "localhost"}
    if target.startswith("dns:"):
        target = target.removeprefix("dns:").lstrip("/")
        if "/" in target:  # dns://authority/host:port: the authority (a DNS server) is not used
            target = target.split("/", 1)[1]
    addresses: dict[str, str] = {}
    for hostport in filter(None, (part.strip() for part in target.split(","))):
        host, port = _split_hostport(hostport)
        for address in await _lookup(host, port):
            addresses.setdefault(address, host)
    if not addresses:
        raise ValueError(f"--server {target!r}: no address to connect to")
    return addresses


def _split_hostport(hostport: str) -> tuple[str, int]:
    if hostport.startswith("["):
        host, _, rest = hostport[1:].partition("]")
        port = rest.lstrip(":") or str(DEFAULT_PORT)
    elif hostport.count(":") == 1:
        host, port = hostport.split(":")
    else:
        host, port = hostport, str(DEFAULT_PORT)
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--server: bad port in {hostport!r}; use host:port with port 1..65535")
    return host, int(port)


async def _lookup(host: str, port: int) -> list[str]:
    try:
        ips = [str(ipaddress.ip_address(host))]
    except ValueError:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise ValueError(f"--server: cannot resolve {host!r}: {exc.strerror}") from exc
        ips = list(dict.fromkeys(str(info[4][0]) for info in infos))
    return [f"ipv6:[{ip}]:{port}" if ":" in ip else f"ipv4:{ip}:{port}" for ip in ips]
