"""A real HTTP server on 127.0.0.1 (port 0) for adapter tests: routes answer in each network's
shape, and scripted answers (429, 500, HTML, malformed JSON, a sleep past the client's
time-out) can be queued in front of them.

It binds only to 127.0.0.1 and keeps its state on the instance; nothing here talks to any
other address.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class Response:
    status: int = 200
    body: bytes | str | Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a time-out route)

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


def json_response(body: Any, status: int = 200, /, **headers: str) -> Response:
    return Response(status, body, {"Content-Type": "application/json", **headers})


HTML_ERROR = Response(
    200,
    "<!DOCTYPE html><html><head><title>Down for maintenance</title></head>"
    "<body><h1>We'll be right back</h1></body></html>",
    {"Content-Type": "text/html; charset=utf-8"},
)
MALFORMED_JSON = Response(200, b'{"data": [{"id": "1", "text": "cut off', {
    "Content-Type": "application/json"})
SERVER_ERROR = Response(500, "Internal Server Error", {"Content-Type": "text/plain"})

Handler = Callable[[Request], Response]


class FakeServer:
    """Routes are (method, path prefix) -> handler; `script` queues answers that are given,
    one per request, before any route is consulted."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now
        self.routes: list[tuple[str, str, Handler]] = []
        self.scripted: list[Response] = []
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One write per answer and no Nagle delay: otherwise each request costs ~40 ms.
            disable_nagle_algorithm = True
            wbufsize = 1 << 16

            def log_message(self, format: str, *args: Any) -> None:
                return  # keep test output quiet

            def date_time_string(self, timestamp: float | None = None) -> str:
                # The Date header follows the tests' clock, as a real server's follows its own.
                if server.now is not None:
                    return format_datetime(server.now, usegmt=True)
                return super().date_time_string(timestamp)

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                req = Request(self.command, parts.path, parse_qs(parts.query),
                              {k.lower(): v for k, v in self.headers.items()}, body)
                response = server.answer(req)
                if response.delay:
                    time.sleep(response.delay)
                payload = response.encoded()
                try:
                    self.send_response(response.status)
                    for name, value in response.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (time-out tests)

            do_GET = _serve
            do_POST = _serve

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(self, method: str, prefix: str, handler: Handler) -> None:
        self.routes.append((method, prefix, handler))

    def script(self, *responses: Response) -> None:
        with self._lock:
            self.scripted.extend(responses)

    def answer(self, req: Request) -> Response:
        with self._lock:
            self.requests.append(req)
            if self.scripted:
                return self.scripted.pop(0)
        for method, prefix, handler in self.routes:
            if req.method == method and req.path.startswith(prefix):
                return handler(req)
        return json_response({"error": f"no route for {req.method} {req.path}"}, 404)

    def hits(self, prefix: str = "") -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path.startswith(prefix)]

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def serve() -> Iterator[FakeServer]:
    server = FakeServer().start()
    try:
        yield server
    finally:
        server.stop()
