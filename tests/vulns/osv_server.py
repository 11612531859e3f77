"""A local stand-in for the OSV.dev API (and the PyPI/EPSS/KEV endpoints) on 127.0.0.1.

Implements ``POST /v1/querybatch`` (matching with our own matcher over the
records it serves, ``page_size`` ids per page with ``next_page_token``),
``GET /v1/vulns/{id}``, PyPI's ``GET /pypi/{name}/{version}/json``, FIRST's
``GET /epss?cve=...`` and a KEV catalog at ``GET /kev.json``. ``fail`` queues
status codes (with optional Retry-After) to answer before serving normally.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from mtf_action.vulns.matching import match
from mtf_action.vulns.model import Component, OsvRecord


@dataclass
class Behaviour:
    records: dict[str, OsvRecord] = field(default_factory=dict)
    page_size: int = 2
    fail: deque[tuple[int, str | None]] = field(default_factory=deque)  # (status, Retry-After)
    epss: dict[str, tuple[float, float]] = field(default_factory=dict)
    kev: dict[str, Any] | None = None
    pypi: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    log: list[tuple[str, str, Any]] = field(default_factory=list)  # (method, path, body)
    wrong_count: bool = False


def _ids_for(behaviour: Behaviour, query: dict[str, Any]) -> list[str]:
    package = query["package"]
    ecosystem, name = package["ecosystem"], package["name"]
    key = name.lower() if ecosystem == "npm" else name
    probe = Component(ecosystem, key, key, query["version"], "pkg:x")
    return sorted(i for i, r in behaviour.records.items() if match(r, probe).affected)


class _Handler(BaseHTTPRequestHandler):
    behaviour: Behaviour

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _failed(self) -> bool:
        if not self.behaviour.fail:
            return False
        status, retry_after = self.behaviour.fail.popleft()
        self._send(status, {"error": "test"}, {"Retry-After": retry_after} if retry_after else None)
        return True

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.behaviour.log.append(("POST", self.path, body))
        if self._failed():
            return
        if self.path != "/v1/querybatch":
            return self._send(404, {})
        results = []
        for query in body["queries"]:
            ids = _ids_for(self.behaviour, query)
            start = int(query.get("page_token") or 0)
            page = ids[start : start + self.behaviour.page_size]
            result: dict[str, Any] = {}
            if page:
                result["vulns"] = [{"id": i, "modified": "2026-01-01T00:00:00Z"} for i in page]
            if start + self.behaviour.page_size < len(ids):
                result["next_page_token"] = str(start + self.behaviour.page_size)
            results.append(result)
        if self.behaviour.wrong_count:
            results = results[:-1]
        self._send(200, {"results": results})

    def do_GET(self) -> None:
        url = urlparse(self.path)
        self.behaviour.log.append(("GET", url.path, url.query))
        if self._failed():
            return
        parts = url.path.strip("/").split("/")
        if parts[:2] == ["v1", "vulns"] and parts[2] in self.behaviour.records:
            record = self.behaviour.records[parts[2]]
            return self._send(200, record.model_dump(mode="json", exclude_none=True))
        if parts[0] == "pypi" and len(parts) == 4:
            found = self.behaviour.pypi.get((parts[1], parts[2]))
            if found is None:
                return self._send(404, {"message": "Not Found"})
            return self._send(200, {"info": {"name": parts[1]}, "vulnerabilities": found})
        if parts == ["epss"]:
            wanted = parse_qs(url.query).get("cve", [""])[0].split(",")
            data = [
                {"cve": c, "epss": f"{s[0]:.9f}", "percentile": f"{s[1]:.9f}", "date": "2026-08-15"}
                for c in wanted
                if (s := self.behaviour.epss.get(c))
            ]
            return self._send(200, {"status": "OK", "total": len(data), "data": data})
        if parts == ["kev.json"] and self.behaviour.kev is not None:
            return self._send(200, self.behaviour.kev)
        self._send(404, {"code": 5, "message": "Bug not found."})


@contextmanager
def serve(behaviour: Behaviour) -> Iterator[str]:
    """Run the server for the ``with`` block; yields its base URL."""
    handler = type("Handler", (_Handler,), {"behaviour": behaviour})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
