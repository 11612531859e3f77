"""The CI's ambient OIDC token, for any audience: keyless signing and registry announce.

In GitHub Actions the runner hands a job with ``permissions: id-token: write``
the request URL and bearer token (``ACTIONS_ID_TOKEN_REQUEST_URL`` and
``ACTIONS_ID_TOKEN_REQUEST_TOKEN``); the token is fetched for one audience
(``sigstore`` for Fulcio, ``https://mpak.dev`` for the mpak registry) through
sigstore-python's detector, which also knows other CI systems. Both are read
from this process's environment.
"""

from __future__ import annotations

from typing import Final

from sigstore.oidc import IdentityError, detect_credential

from mtf_action.errors import EnvironmentProblem

SIGSTORE_AUDIENCE: Final = "sigstore"


def ambient_oidc_token(audience: str) -> str | None:
    """The ambient token for ``audience``, or None outside a CI that offers one.

    A CI that should offer one but cannot (GitHub Actions without the
    ``id-token: write`` permission) is an ``EnvironmentProblem`` that says so.
    """
    try:
        return detect_credential(audience)
    except IdentityError as exc:
        raise EnvironmentProblem(
            f"could not obtain the ambient OIDC credential ({' '.join(str(exc).split())}); "
            "in GitHub Actions the job needs `permissions: id-token: write` (pull requests "
            "from forks never get one)"
        ) from None
