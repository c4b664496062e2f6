"""A real HTTP server on 127.0.0.1 serving release files: Range requests, and cut-off responses."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_RANGE = re.compile(r"^bytes=(\d+)-$")


@dataclass
class ReleaseState:
    """Files to serve, the failure to inject, and a log of what clients asked for."""

    files: dict[str, bytes] = field(default_factory=dict)
    drop_after: int | None = None
    """Send only this many body bytes of a full response, then close the connection."""
    drops_left: int = 0
    """How many responses still get cut off (then the server behaves)."""
    honour_range: bool = True
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    """(path, Range header) of every GET."""
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(state: ReleaseState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            header = self.headers.get("Range")
            with state.lock:
                state.requests.append((self.path, header))
                cut = state.drop_after if state.drops_left > 0 else None
                if cut is not None:
                    state.drops_left -= 1
            body = state.files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            match = _RANGE.match(header or "") if state.honour_range else None
            start = int(match.group(1)) if match else 0
            if start >= len(body) and match:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206 if match else 200)
            if match:
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            self.send_header("Content-Length", str(len(body) - start))
            self.end_headers()
            payload = body[start:]
            if cut is not None:
                # Promise the whole body, send part of it, hang up: a dropped connection.
                self.wfile.write(payload[:cut])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return Handler


@contextmanager
def serve_releases(state: ReleaseState) -> Iterator[str]:
    """Serve `state.files` on a free port of 127.0.0.1; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def zip_release(release_dir: Path) -> bytes:
    """The files of `release_dir` as a zip with no top folder, as OPUS-MT release archives are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(release_dir.iterdir()):
            bundle.write(path, path.name)
    return buffer.getvalue()
