"""A local mpak-compatible registry and GitHub OIDC token endpoint on 127.0.0.1.

``GET /token?audience=...`` answers like the runner's ``ACTIONS_ID_TOKEN_REQUEST_URL``
(``{"value": <jwt for that audience>}``) for the request bearer token; ``POST
/v1/bundles/announce`` requires the ``https://mpak.dev`` token as ``Authorization:
Bearer`` and records the JSON body.
Scripted answers (status, body) are taken in order; when none are left the
announcement is accepted with 201. Error bodies echo the Authorization header,
so a test can prove the client never repeats what the server says about it.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

REQUEST_TOKEN = "ghs_IdTokenRequestBearer0123456789abcdef"


def fake_jwt(audience: str) -> str:
    """An unsigned JWT-shaped token with ``aud`` (the OIDC client checks that claim)."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    claims = {"aud": audience, "repository": "acme/units", "iss": "https://token.example"}
    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJlT2ZUaGVGYWtlT0lEQ1Rva2Vu"


OIDC_TOKEN = fake_jwt("https://mpak.dev")  # the only token the registry accepts
ANNOUNCE_PATH = "/v1/bundles/announce"


@dataclass
class FakeRegistry:
    answers: list[tuple[int, str]] = field(default_factory=list)
    announced: list[dict[str, Any]] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    refused: int = 0  # requests with a wrong or missing token

    def __post_init__(self) -> None:
        handler = type("Handler", (_Handler,), {"registry": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return self.base + ANNOUNCE_PATH

    @property
    def oidc_env(self) -> dict[str, str]:
        return {
            "ACTIONS_ID_TOKEN_REQUEST_URL": f"{self.base}/token?api-version=2.0",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": REQUEST_TOKEN,
        }

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    registry: FakeRegistry

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path != "/token" or self.headers.get("Authorization") != f"bearer {REQUEST_TOKEN}":
            self.registry.refused += 1
            self._send(401, '{"message": "bad request token"}')
            return
        audience = parse_qs(url.query).get("audience", [""])[0]
        self.registry.audiences.append(audience)
        self._send(200, json.dumps({"value": fake_jwt(audience)}))

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        auth = self.headers.get("Authorization") or ""
        if self.path != ANNOUNCE_PATH or auth != f"Bearer {OIDC_TOKEN}":
            self.registry.refused += 1
            self._send(401, json.dumps({"error": f"bad token {auth}"}))
            return
        self.registry.announced.append(json.loads(body))
        status, message = self.registry.answers.pop(0) if self.registry.answers else (201, "")
        if status >= 400:
            message = f"{message} (auth was {auth})"
        self._send(status, json.dumps({"message": message}))
