"""GitHub artifact attestations: store a Sigstore bundle so ``gh attestation verify`` works.

``POST /repos/{owner}/{repo}/attestations`` with ``{"bundle": <Sigstore bundle JSON>}``
(the endpoint needs ``attestations: write`` and ``id-token: write`` permissions in
Actions). PyGithub has no wrapper for it, so the request goes through its requester.

Where GitHub has no attestations for the repository (a private repository on a plan
without them answers "Feature not available ...", a GitHub Enterprise Server without
the API answers 404), :class:`AttestationsUnavailable` says so: the release itself is
complete and verifiable from its assets, so the action reports it as a warning. Any
other refusal (no ``attestations: write`` permission, a bundle GitHub rejects) stays
an error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mtf_action.errors import InvalidInputError, RemoteServiceError
from mtf_action.github.client import GitHubClient, GitHubHttpError
from mtf_action.github.releases import repository


class AttestationsUnavailable(RemoteServiceError):
    """GitHub does not offer artifact attestations for this repository."""


def _unavailable(error: GitHubHttpError) -> bool:
    return error.status == 404 or (
        error.status == 403 and "feature not available" in error.reason.lower()
    )


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

    try:
        data = client.call(endpoint, post)
    except GitHubHttpError as exc:
        if _unavailable(exc):
            raise AttestationsUnavailable(
                f"{exc.message}: artifact attestations are not available for {full_name} "
                "(private repositories need GitHub Enterprise Cloud; GitHub Enterprise "
                "Server needs a version with the attestations API)"
            ) from None
        if exc.status == 403:
            raise RemoteServiceError(
                f"{exc.message} (the job needs `permissions: attestations: write` and "
                "`id-token: write`)"
            ) from None
        raise
    identifier = data.get("id") if isinstance(data, dict) else None
    if not isinstance(identifier, int):
        raise RemoteServiceError(f"GitHub API {endpoint}: answer has no attestation id")
    return identifier
