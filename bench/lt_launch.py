"""Starts LibreTranslate for bench/peers.py: offline, output length fixed, its decoding counted.

Runs under LibreTranslate's own interpreter (bench/.cache/lt-venv/bin/python), imports nothing of
Tlumach, and adds three things before LibreTranslate's own `main()` runs:

- a network guard (`sys.addaudithook`): a connection, datagram or name lookup for anything but
  loopback, and any urllib request to a non-loopback host, is refused before it happens and
  written to `--network-log`; the benchmark requires that file to stay empty;
- `max_decoding_length`: argostranslate calls `translate_batch` without one, so random weights
  would decode CTranslate2's default 256 tokens; every side of the benchmark decodes the same
  `--max-decoding-length`;
- a count of the sentences argostranslate decodes and of their output tokens, in `--stats`, so
  the benchmark can check that LibreTranslate did the same work as every other side.

    bench/.cache/lt-venv/bin/python bench/lt_launch.py --network-log N --stats S \
        --max-decoding-length 32 -- --host 127.0.0.1 --port 5000
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

GUARDED = {"socket.connect": 1, "socket.sendto": 1, "socket.getaddrinfo": 0}
GUARDED |= {"socket.gethostbyname": 0, "socket.gethostbyaddr": 0}


def is_loopback(host: object) -> bool:
    """Whether `host` (an address, a name, or a Unix socket path) stays on this machine."""
    if host is None:
        return True  # getaddrinfo(None, ...) asks for a local (passive) address
    if isinstance(host, (bytes, bytearray)):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host in ("localhost", "") or host.startswith("/"):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def target_of(event: str, args: tuple[Any, ...]) -> object | None:
    """The host an audited network event is about, or None when the event is not one."""
    if event == "urllib.Request":
        return urlsplit(str(args[0])).hostname or ""
    if event not in GUARDED:
        return None
    address = args[GUARDED[event]]
    if isinstance(address, tuple):
        return address[0]
    return address


def install_network_guard(log: Path) -> None:
    """Refuse, and log, every network access that leaves loopback, for the process's lifetime."""
    lock = threading.Lock()

    def guard(event: str, args: tuple[Any, ...]) -> None:
        host = target_of(event, args)
        if host is None or is_loopback(host):
            return
        with lock, log.open("a", encoding="utf-8") as sink:
            sink.write(f"{event} {host!r}\n")
        raise PermissionError(f"{event} to {host!r} refused: the benchmark runs offline")

    sys.addaudithook(guard)


def fix_decoding_length(limit: int, stats_file: Path) -> None:
    """Make every `ctranslate2.Translator` decode `limit` tokens at most, and count its work."""
    import ctranslate2

    lock = threading.Lock()
    stats = {"calls": 0, "sentences": 0, "output_tokens": 0}

    class CountedTranslator(ctranslate2.Translator):  # type: ignore[misc]
        def translate_batch(self, source: list[list[str]], *args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("max_decoding_length", limit)
            results = super().translate_batch(source, *args, **kwargs)
            with lock:
                stats["calls"] += 1
                stats["sentences"] += len(source)
                stats["output_tokens"] += sum(len(r.hypotheses[0]) for r in results)
                scratch = stats_file.with_suffix(".tmp")
                scratch.write_text(json.dumps(stats), encoding="utf-8")
                os.replace(scratch, stats_file)
            return results

    ctranslate2.Translator = CountedTranslator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--network-log", type=Path, required=True)
    parser.add_argument("--stats", type=Path, required=True)
    parser.add_argument("--max-decoding-length", type=int, required=True)
    parser.add_argument("libretranslate_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    install_network_guard(args.network_log)
    fix_decoding_length(args.max_decoding_length, args.stats)
    from libretranslate.main import main as libretranslate_main

    rest = args.libretranslate_args
    sys.argv = ["libretranslate", *(rest[1:] if rest[:1] == ["--"] else rest)]
    libretranslate_main()


if __name__ == "__main__":
    main()
