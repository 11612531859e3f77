"""Announce a released bundle to an mpak-compatible registry, as mcpb-pack does.

mcpb-pack (NimbleBrainInc/mcpb-pack v3) fetches a GitHub OIDC token with the
audience ``https://mpak.dev`` and POSTs, with it as the bearer token::

    {name, version, manifest, release_tag, prerelease,
     artifact: {filename, os, arch, sha256, size}}

to ``https://registry.mpak.dev/v1/bundles/announce``. The registry checks the
token's repository claim and fetches the asset from the GitHub release, so the
announcement comes after the upload. Sending the same payload with the same
audience lets mpak users switch without losing their listing.

Answers: 2xx announced; 409 already announced (a re-run: success). Retried,
after waits of 5, 10 and 15 s: a "not found in release" answer (GitHub takes
10-30 s before a new asset is visible to the registry), 429, 5xx and dropped
connections. Anything else fails at once. The token never appears in an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import requests
from pydantic import BaseModel, ConfigDict, Field

from mtf_action import __version__
from mtf_action.errors import RemoteServiceError
from mtf_action.signing.retry import scrub

DEFAULT_ANNOUNCE_URL: Final = "https://registry.mpak.dev/v1/bundles/announce"
MPAK_AUDIENCE: Final = "https://mpak.dev"
RETRY_WAITS: Final = (5.0, 10.0, 15.0)  # seconds before attempts 2, 3 and 4
TIMEOUT: Final = 30.0
_PROPAGATION: Final = "not found in release"
_MAX_DETAIL: Final = 300


class AnnounceArtifact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    filename: str
    os: str
    arch: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class AnnouncePayload(BaseModel):
    """The request body (field names as mcpb-pack sends them)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    manifest: dict[str, Any]
    release_tag: str
    prerelease: bool
    artifact: AnnounceArtifact


@dataclass(frozen=True)
class AnnounceOutcome:
    state: Literal["announced", "already-announced"]
    status: int
    attempts: int


def _detail(response: requests.Response) -> str:
    """The registry's message (a JSON ``message``/``error`` field, else the text), one line."""
    text = response.text
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        found = data.get("message") or data.get("error")
        text = found if isinstance(found, str) else text
    return " ".join(text.split())[:_MAX_DETAIL]


def _retryable(status: int, body: str) -> bool:
    return status == 429 or status >= 500 or _PROPAGATION in body.lower()


def announce(
    url: str,
    token: str,
    payload: AnnouncePayload,
    *,
    waits: Sequence[float] = RETRY_WAITS,
    sleep: Callable[[float], None] = time.sleep,
    session: requests.Session | None = None,
) -> AnnounceOutcome:
    """POST ``payload`` to ``url`` with the OIDC ``token``; see the module docstring."""
    http = session or requests.Session()
    body = payload.model_dump(mode="json")
    headers = {
        "Authorization": f"Bearer {token}",
        "User-Agent": f"mtf-attest/{__version__}",
        "Accept": "application/json",
    }
    problem = ""
    for attempt in range(1, len(waits) + 2):
        try:
            response = http.post(url, json=body, headers=headers, timeout=TIMEOUT)
        except requests.RequestException as exc:
            problem, retry = f"{type(exc).__name__}", True
        else:
            if 200 <= response.status_code < 300:
                return AnnounceOutcome("announced", response.status_code, attempt)
            if response.status_code == 409:
                return AnnounceOutcome("already-announced", 409, attempt)
            text = _detail(response)
            problem = f"HTTP {response.status_code}" + (f": {text}" if text else "")
            retry = _retryable(response.status_code, text)
        if not retry or attempt > len(waits):
            break
        sleep(waits[attempt - 1])
    raise RemoteServiceError(
        scrub(f"announce to {url} failed after {attempt} attempt(s): {problem}", [token])
    )
