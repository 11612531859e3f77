"""A small HTTP service on 127.0.0.1 with fault injection, shared by the local Sigstore stack.

Each service (OIDC issuer, CT log, Fulcio, Rekor) is a `ThreadingHTTPServer` on an ephemeral
loopback port, served from a daemon thread. Before a request reaches the service, the
service's `FaultInjector` may answer it with an error status, hold it for a while, or close
the connection without an answer, so that retry and timeout logic can be tested against the
real client code. Every request is recorded (method, path, status) for assertions.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

_MAX_BODY = 8 * 1024 * 1024  # a test client never needs more; refuse rather than buffer


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise HttpError(400, f"request body is not JSON: {exc}") from exc


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: object, headers: dict[str, str] | None = None) -> Response:
        return cls(status, json.dumps(payload).encode(), headers=headers or {})


class HttpError(Exception):
    """Raised by a service handler; rendered with the service's own error body format."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


Handler = Callable[[Request], Response]
ErrorBody = Callable[[int, str], object]


@dataclass
class _Fault:
    kind: Literal["status", "delay", "drop"]
    remaining: int
    status: int = 503
    seconds: float = 0.0
    method: str | None = None
    path: str | None = None  # a path prefix; None matches every path

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or path.startswith(self.path)
        )


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    status: int | None  # None: the connection was dropped without an answer


class FaultInjector:
    """Planned misbehaviour of one service, consumed first-in first-out by matching requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[_Fault] = []
        self._log: list[RecordedRequest] = []

    def fail(
        self,
        status: int = 503,
        times: int = 1,
        *,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` (e.g. 502, 503)."""
        self._add(_Fault("status", times, status=status, method=method, path=path))

    def delay(
        self, seconds: float, times: int = 1, *, method: str | None = None, path: str | None = None
    ) -> None:
        """Hold the next ``times`` matching requests for ``seconds``, then serve them."""
        self._add(_Fault("delay", times, seconds=seconds, method=method, path=path))

    def drop(self, times: int = 1, *, method: str | None = None, path: str | None = None) -> None:
        """Close the connection of the next ``times`` matching requests without an answer."""
        self._add(_Fault("drop", times, method=method, path=path))

    def clear(self) -> None:
        """Forget pending faults and the request log."""
        with self._lock:
            self._faults.clear()
            self._log.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(f.remaining for f in self._faults)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._log)

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """How many requests (matching method / path prefix) the service has seen."""
        return sum(
            1
            for r in self.requests
            if (method is None or r.method == method) and (path is None or r.path.startswith(path))
        )

    def _add(self, fault: _Fault) -> None:
        if fault.remaining < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._faults.append(fault)

    def _take(self, method: str, path: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _record(self, method: str, path: str, status: int | None) -> None:
        with self._lock:
            self._log.append(RecordedRequest(method, path, status))


class HttpService:
    """One service on ``http://127.0.0.1:<ephemeral port>``; `start` / `stop` from the fixture."""

    def __init__(self, name: str, handler: Handler, error_body: ErrorBody) -> None:
        self.name = name
        self.faults = FaultInjector()
        self._handler = handler
        self._error_body = error_body
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError(f"{self.name} is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        service = self

        class _RequestHandler(BaseHTTPRequestHandler):
            server_version = f"sigstore-test-{service.name}"

            def do_GET(self) -> None:
                service._serve(self)

            def do_POST(self) -> None:
                service._serve(self)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the FaultInjector keeps the request log

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _RequestHandler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"sigstore-{self.name}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()  # wakes requests held by a delay fault
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def _serve(self, http: BaseHTTPRequestHandler) -> None:
        split_url = urlsplit(http.path)
        method, path = http.command, split_url.path
        # Read the whole request first, whatever happens next: closing a socket with unread
        # input makes the kernel send a reset, which could destroy an answer in flight.
        length = int(http.headers.get("Content-Length") or 0)
        body = http.rfile.read(length) if 0 < length <= _MAX_BODY else b""
        fault = self.faults._take(method, path)
        if fault is not None and fault.kind == "drop":
            self.faults._record(method, path, None)
            http.close_connection = True  # no status line at all: the client sees a disconnect
            return
        if fault is not None and fault.kind == "delay":
            self._stopping.wait(fault.seconds)
        if fault is not None and fault.kind == "status":
            response = self._error(fault.status, f"injected fault: HTTP {fault.status}")
        elif length > _MAX_BODY:
            response = self._error(413, "request body too large")
        else:
            headers = {k.lower(): v for k, v in http.headers.items()}
            request = Request(method, path, parse_qs(split_url.query), headers, body)
            response = self._dispatch(request)
        self.faults._record(method, path, response.status)
        try:
            http.send_response(response.status)
            http.send_header("Content-Type", response.content_type)
            http.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                http.send_header(name, value)
            http.end_headers()
            http.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its timeout fired during a delay fault)

    def _dispatch(self, request: Request) -> Response:
        try:
            return self._handler(request)
        except HttpError as exc:
            return self._error(exc.status, exc.message)
        except Exception as exc:  # noqa: BLE001 - a bug in a test service: answer 500, say what
            return self._error(500, f"internal error: {exc!r}")

    def _error(self, status: int, message: str) -> Response:
        return Response.json(status, self._error_body(status, message))
