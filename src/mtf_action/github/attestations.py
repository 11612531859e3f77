"""GitHub artifact attestations: store a Sigstore bundle so ``gh attestation verify`` works.

``POST /repos/{owner}/{repo}/attestations`` with ``{"bundle": <Sigstore bundle JSON>}``
(the endpoint needs ``attestations: write`` and ``id-token: write`` permissions in
Actions). PyGithub has no wrapper for it, so the request goes through its requester.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mtf_action.errors import InvalidInputError, RemoteServiceError
from mtf_action.github.client import GitHubClient
from mtf_action.github.releases import repository


def store_attestation(client: GitHubClient, full_name: str, bundle_file: Path) -> int:
    """Store one Sigstore bundle; returns the attestation id GitHub assigned."""
    try:
        bundle: Any = json.loads(bundle_file.read_bytes())
    except (OSError, ValueError) as exc:
        raise InvalidInputError(
            f"not a readable Sigstore bundle: {exc}", path=bundle_file
        ) from None
    if not isinstance(bundle, dict) or "mediaType" not in bundle:
        raise InvalidInputError("not a Sigstore bundle (no mediaType)", path=bundle_file)
    repo = repository(client, full_name)
    endpoint = f"POST /repos/{full_name}/attestations"

    def post() -> Any:
        _, data = repo.requester.requestJsonAndCheck(
            "POST", f"{repo.url}/attestations", input={"bundle": bundle}
        )
        return data

    data = client.call(endpoint, post)
    identifier = data.get("id") if isinstance(data, dict) else None
    if not isinstance(identifier, int):
        raise RemoteServiceError(f"GitHub API {endpoint}: answer has no attestation id")
    return identifier
