"""A local GitHub REST API on 127.0.0.1 for the release, comment and attestation tests.

It implements the endpoints ``mtf_action.github`` uses, with realistic JSON (ids,
``node_id``, ``state``, ``draft``, ``immutable``, ``digest: "sha256:..."``), an
uploads host under ``/api/uploads`` (the release's ``upload_url`` points there,
as on GitHub Enterprise Server, so PyGithub accepts it), and fault injection:
``Fault(method, path_part, kind, times)`` answers the next matching requests with
500, 502, 429 + Retry-After, a 403 secondary rate limit, an exhausted primary
limit (x-ratelimit-reset), or a TCP reset (``reset``; ``reset-after`` applies the
request first, as when the answer is lost). Definitive refusals, for the attestations
endpoint: ``404``, ``403-unavailable`` (GitHub's "Feature not available" for a plan
without attestations) and ``403-forbidden`` (a token without ``attestations: write``).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

API = "/api/v3"
SIGSTORE_BUNDLE = "application/vnd.dev.sigstore.bundle"
UPLOADS = "/api/uploads"
DOCS = "https://docs.github.com/rest/repos/attestations#create-an-attestation"
REFUSALS = {
    "404": (404, "Not Found"),
    "403-unavailable": (
        403,
        (
            "Feature not available for user-owned private repositories. To enable this "
            "feature, please make this repository public."
        ),
    ),
    "403-forbidden": (403, "Resource not accessible by integration"),
}
SECONDARY = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID."
)


@dataclass
class Fault:
    method: str
    path_part: str
    # "500" | "502" | "429" | "403-secondary" | "403-primary" | "reset" | "reset-after"
    # | "404" | "403-unavailable" | "403-forbidden"
    kind: str
    times: int = 1
    retry_after: int = 1


@dataclass
class Asset:
    id: int
    name: str
    data: bytes
    content_type: str
    state: str = "uploaded"


@dataclass
class Release:
    id: int
    repo: str
    tag: str
    name: str
    body: str
    draft: bool
    immutable: bool = False
    assets: list[Asset] = field(default_factory=list)
    prerelease: bool = False


class FakeGitHub:
    """The server, its state, and what it has seen."""

    def __init__(self, token: str | None = None, *, expose_digest: bool = True) -> None:
        self.token = token
        self.expose_digest = expose_digest
        self.releases: list[Release] = []
        self.comments: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.attestations: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.seen: list[tuple[str, str]] = []  # (method, path) of every request
        self.authorizations: list[str] = []
        self._ids = 1000
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"fake": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.api_url = self.base + API
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- state helpers -----------------------------------------------------------
    def next_id(self) -> int:
        with self._lock:
            self._ids += 1
            return self._ids

    def add_release(
        self,
        repo: str,
        tag: str,
        *,
        draft: bool = False,
        immutable: bool = False,
        prerelease: bool = False,
    ) -> Release:
        release = Release(self.next_id(), repo, tag, tag, "", draft, immutable)
        release.prerelease = prerelease
        self.releases.append(release)
        return release

    def release(self, tag: str) -> Release:
        return next(r for r in self.releases if r.tag == tag)

    def count(self, method: str, part: str) -> int:
        return sum(1 for m, p in self.seen if m == method and part in p)

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.method == method and fault.path_part in path and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    # -- JSON --------------------------------------------------------------------
    def asset_json(self, release: Release, asset: Asset) -> dict[str, Any]:
        data: dict[str, Any] = {
            "url": f"{self.api_url}/repos/{release.repo}/releases/assets/{asset.id}",
            "browser_download_url": (
                f"{self.base}/{release.repo}/releases/download/{release.tag}/{asset.name}"
            ),
            "id": asset.id,
            "node_id": "RA_" + base64.b64encode(f"asset{asset.id}".encode()).decode(),
            "name": asset.name,
            "label": "",
            "state": asset.state,
            "content_type": asset.content_type,
            "size": len(asset.data),
            "download_count": 0,
            "created_at": "2025-06-01T12:00:00Z",
            "updated_at": "2025-06-01T12:00:00Z",
            "uploader": {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"},
        }
        if self.expose_digest:
            data["digest"] = "sha256:" + hashlib.sha256(asset.data).hexdigest()
        return data

    def release_json(self, release: Release) -> dict[str, Any]:
        base = f"{self.api_url}/repos/{release.repo}/releases/{release.id}"
        return {
            "url": base,
            "html_url": f"{self.base}/{release.repo}/releases/tag/{release.tag}",
            "assets_url": base + "/assets",
            "upload_url": (
                f"{self.base}{UPLOADS}/repos/{release.repo}/releases/{release.id}"
                "/assets{?name,label}"
            ),
            "id": release.id,
            "node_id": "RE_" + base64.b64encode(f"release{release.id}".encode()).decode(),
            "tag_name": release.tag,
            "target_commitish": "main",
            "name": release.name,
            "body": release.body,
            "draft": release.draft,
            "prerelease": release.prerelease,
            "immutable": release.immutable,
            "created_at": "2025-06-01T12:00:00Z",
            "published_at": None if release.draft else "2025-06-01T12:05:00Z",
            "author": {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"},
            "assets": [self.asset_json(release, a) for a in release.assets],
        }


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGitHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    # -- plumbing ----------------------------------------------------------------
    def _body(self) -> bytes:
        return self._raw

    def _read_body(self) -> bytes:
        # Always drain the body, even for faults: a keep-alive connection must not
        # see the rest of it as the next request line.
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(
        self, status: int, payload: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        raw = b"" if payload is None else json.dumps(payload).encode()
        self._send_raw(status, raw, "application/json; charset=utf-8", headers)

    def _send_raw(
        self, status: int, raw: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(raw)))
        self.send_header("x-ratelimit-limit", "5000")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(raw)

    def _reset(self) -> None:
        # SO_LINGER 0 then close: the client sees ECONNRESET, not a clean EOF.
        import socket
        import struct

        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        os.close(self.connection.detach())
        self.wfile = io.BytesIO()  # type: ignore[assignment]
        self.close_connection = True

    def _fault(self, fault: Fault) -> bool:
        """Answer with the fault; True when the request must not be applied."""
        kind = fault.kind
        if kind in ("500", "502"):
            self._send(int(kind), {"message": "Server Error"})
        elif kind == "429":
            self._send(
                429, {"message": "Too Many Requests"}, {"Retry-After": str(fault.retry_after)}
            )
        elif kind == "403-secondary":
            body = {"message": SECONDARY, "documentation_url": "https://docs.github.com/rest"}
            self._send(403, body, {"retry-after": str(fault.retry_after)})
        elif kind == "403-primary":
            reset = str(int(time.time()) + fault.retry_after)
            headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}
            self._send(403, {"message": "API rate limit exceeded"}, headers)
        elif kind == "reset":
            self._body()
            self._reset()
        elif kind in REFUSALS:
            status, message = REFUSALS[kind]
            self._send(status, {"message": message, "documentation_url": DOCS})
        else:
            return False
        return True

    def _dispatch(self, method: str) -> None:
        fake = self.fake
        self._raw = self._read_body()
        split = urlsplit(self.path)
        path, query = split.path, parse_qs(split.query)
        fake.seen.append((method, self.path))
        auth = self.headers.get("Authorization") or ""
        fake.authorizations.append(auth)
        if fake.token is not None and auth and auth != f"token {fake.token}":
            self._body()
            self._send(401, {"message": "Bad credentials"})
            return
        fault = fake.take_fault(method, path)
        if fault is not None and self._fault(fault):
            return
        try:
            handled = self._route(method, path, query, authed=bool(auth))
        except _NotFound:
            handled = False
        if not handled:
            self._send(404, {"message": "Not Found", "status": "404"})
        if fault is not None and fault.kind == "reset-after":
            self._reset()

    def _route(self, method: str, path: str, query: dict[str, list[str]], *, authed: bool) -> bool:
        fake = self.fake
        if path.startswith(UPLOADS):
            m = re.fullmatch(r"/repos/([^/]+/[^/]+)/releases/(\d+)/assets", path[len(UPLOADS) :])
            if method != "POST" or not m:
                return False
            return self._upload(_release(fake, int(m[2])), query, authed=authed)
        if path.startswith(API):
            return self._api(method, path[len(API) :], authed=authed)
        m = re.fullmatch(r"/([^/]+/[^/]+)/releases/download/([^/]+)/([^/]+)", path)
        if m and method == "GET":
            release = next(r for r in fake.releases if r.tag == m[2] and not r.draft)
            asset = next(a for a in release.assets if a.name == m[3])
            self._send_raw(200, asset.data, "application/octet-stream")
            return True
        return False

    def _api(self, method: str, path: str, *, authed: bool) -> bool:
        fake = self.fake
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)(/.*)", path)
        if not m:
            return False
        repo, rest = m[1], m[2]
        if method != "GET" and not authed:
            self._body()
            self._send(401, {"message": "Requires authentication"})
            return True
        if method == "GET" and (t := re.fullmatch(r"/releases/tags/([^/]+)", rest)):
            for release in fake.releases:
                if release.repo == repo and release.tag == t[1] and not release.draft:
                    self._send(200, fake.release_json(release))
                    return True
            return False
        if rest == "/releases" and method == "GET":
            # Drafts are visible only to users with push access (here: any token).
            shown = [r for r in fake.releases if r.repo == repo and (authed or not r.draft)]
            self._send(200, [fake.release_json(r) for r in reversed(shown)])
            return True
        if rest == "/releases" and method == "POST":
            data = json.loads(self._body())
            if any(
                r.repo == repo and r.tag == data["tag_name"] and not r.draft for r in fake.releases
            ):
                errors = [{"resource": "Release", "code": "already_exists", "field": "tag_name"}]
                self._send(422, {"message": "Validation Failed", "errors": errors})
                return True
            release = Release(
                fake.next_id(),
                repo,
                data["tag_name"],
                data.get("name") or data["tag_name"],
                data.get("body") or "",
                bool(data.get("draft")),
            )
            fake.releases.append(release)
            self._send(201, fake.release_json(release))
            return True
        if r := re.fullmatch(r"/releases/(\d+)", rest):
            release = _release(fake, int(r[1]))
            if method == "PATCH":
                data = json.loads(self._body())
                release.name = data.get("name", release.name)
                release.body = data.get("body", release.body)
                release.draft = bool(data.get("draft", release.draft))
            self._send(200, fake.release_json(release))
            return True
        if (r := re.fullmatch(r"/releases/(\d+)/assets", rest)) and method == "GET":
            release = _release(fake, int(r[1]))
            self._send(200, [fake.asset_json(release, a) for a in release.assets])
            return True
        if r := re.fullmatch(r"/releases/assets/(\d+)", rest):
            release, asset = _asset(fake, int(r[1]))
            if method == "DELETE":
                if release.immutable and not release.draft:
                    self._send(422, {"message": "Cannot delete assets of an immutable release."})
                    return True
                release.assets.remove(asset)
                self._send_raw(204, b"", "application/json")
            elif "application/octet-stream" in (self.headers.get("Accept") or ""):
                self._send_raw(200, asset.data, "application/octet-stream")
            else:
                self._send(200, fake.asset_json(release, asset))
            return True
        if c := re.fullmatch(r"/issues/(\d+)/comments", rest):
            return self._comments(repo, int(c[1]), method)
        if (c := re.fullmatch(r"/issues/comments/(\d+)", rest)) and method == "PATCH":
            for thread in fake.comments.values():
                for comment in thread:
                    if comment["id"] == int(c[1]):
                        comment["body"] = json.loads(self._body())["body"]
                        comment["updated_at"] = "2025-06-02T08:00:00Z"
                        self._send(200, comment)
                        return True
            return False
        if rest == "/attestations" and method == "POST":
            data = json.loads(self._body())
            bundle = data.get("bundle")
            if not isinstance(bundle, dict):
                self._send(422, {"message": "Invalid request: bundle is required"})
                return True
            if not str(bundle.get("mediaType", "")).startswith(SIGSTORE_BUNDLE) or not (
                "dsseEnvelope" in bundle or "messageSignature" in bundle
            ):
                self._send(422, {"message": "Invalid request: not a Sigstore bundle"})
                return True
            fake.attestations.append(data)
            self._send(201, {"id": len(fake.attestations)})
            return True
        return False

    def _comments(self, repo: str, number: int, method: str) -> bool:
        fake = self.fake
        thread = fake.comments.setdefault((repo, number), [])
        if method == "GET":
            self._send(200, thread)
            return True
        body = json.loads(self._body())["body"]
        cid = fake.next_id()
        comment = {
            "id": cid,
            "node_id": "IC_" + base64.b64encode(f"comment{cid}".encode()).decode(),
            "url": f"{fake.api_url}/repos/{repo}/issues/comments/{cid}",
            "html_url": f"{fake.base}/{repo}/pull/{number}#issuecomment-{cid}",
            "issue_url": f"{fake.api_url}/repos/{repo}/issues/{number}",
            "body": body,
            "user": {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"},
            "created_at": "2025-06-01T12:00:00Z",
            "updated_at": "2025-06-01T12:00:00Z",
        }
        thread.append(comment)
        self._send(201, comment)
        return True

    def _upload(self, release: Release, query: dict[str, list[str]], *, authed: bool) -> bool:
        fake = self.fake
        data = self._body()
        if not authed:
            self._send(401, {"message": "Requires authentication"})
            return True
        if release.immutable and not release.draft:
            self._send(422, {"message": "Cannot upload assets to an immutable release."})
            return True
        name = query["name"][0]
        if any(a.name == name for a in release.assets):
            errors = [{"resource": "ReleaseAsset", "code": "already_exists", "field": "name"}]
            self._send(422, {"message": "Validation Failed", "errors": errors})
            return True
        ctype = self.headers.get("Content-Type") or "application/octet-stream"
        asset = Asset(fake.next_id(), name, data, ctype)
        release.assets.append(asset)
        self._send(201, fake.asset_json(release, asset))
        return True


class _NotFound(Exception):
    pass


def _release(fake: FakeGitHub, rid: int) -> Release:
    for release in fake.releases:
        if release.id == rid:
            return release
    raise _NotFound


def _asset(fake: FakeGitHub, aid: int) -> tuple[Release, Asset]:
    for release in fake.releases:
        for asset in release.assets:
            if asset.id == aid:
                return release, asset
    raise _NotFound
