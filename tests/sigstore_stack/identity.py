"""Fulcio's principals: how a verified ID token becomes a SAN and OIDC certificate extensions.

Email issuers (Fulcio `pkg/identity/email`): the SAN is the ``email`` claim (rfc822Name),
``email_verified`` must be true, and the only extensions are the issuer (1.1 and 1.8).

CI providers (Fulcio `pkg/identity/ciprovider` with the ``github-workflow`` metadata of
`config/identity/config.yaml`): every extension is a claim name or a template over the claims
merged with the defaults ``url = https://github.com`` and ``environment = ""``; a missing claim
is an error, an empty value leaves its extension out. The SAN is ``{url}/{job_workflow_ref}``.
(Fulcio renders templates with Go's html/template, which would HTML-escape ``<>&'"``; GitHub
claims never contain those, so plain substitution gives the same bytes.)

Extension values (Fulcio `certificate.Extensions.Render`): the deprecated v1 OIDs 1.1-1.6
hold the raw string bytes; 1.8 onwards hold a DER UTF8String.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat import asn1

from .server import HttpError

PrincipalType = Literal["email", "github-workflow"]

_FULCIO = "1.3.6.1.4.1.57264.1."
_V1_RAW = {  # deprecated, raw bytes; 1.1 is always the issuer
    "github-workflow-trigger": 2,
    "github-workflow-sha": 3,
    "github-workflow-name": 4,
    "github-workflow-repository": 5,
    "github-workflow-ref": 6,
}
_V2_DER = {  # DER UTF8String; 1.8 is always the issuer
    "build-signer-uri": 9,
    "build-signer-digest": 10,
    "runner-environment": 11,
    "source-repository-uri": 12,
    "source-repository-digest": 13,
    "source-repository-ref": 14,
    "source-repository-identifier": 15,
    "source-repository-owner-uri": 16,
    "source-repository-owner-identifier": 17,
    "build-config-uri": 18,
    "build-config-digest": 19,
    "build-trigger": 20,
    "run-invocation-uri": 21,
    "source-repository-visibility-at-signing": 22,
    "deployment-environment": 23,
}

# Fulcio's production `ci-issuer-metadata` for `github-workflow`.
GITHUB_DEFAULTS = {"url": "https://github.com", "environment": ""}
GITHUB_TEMPLATES = {
    "github-workflow-trigger": "event_name",
    "github-workflow-sha": "sha",
    "github-workflow-name": "workflow",
    "github-workflow-repository": "repository",
    "github-workflow-ref": "ref",
    "build-signer-uri": "{{ .url }}/{{ .job_workflow_ref }}",
    "build-signer-digest": "job_workflow_sha",
    "runner-environment": "runner_environment",
    "source-repository-uri": "{{ .url }}/{{ .repository }}",
    "source-repository-digest": "sha",
    "source-repository-ref": "ref",
    "source-repository-identifier": "repository_id",
    "source-repository-owner-uri": "{{ .url }}/{{ .repository_owner }}",
    "source-repository-owner-identifier": "repository_owner_id",
    "build-config-uri": "{{ .url }}/{{ .workflow_ref }}",
    "build-config-digest": "workflow_sha",
    "build-trigger": "event_name",
    "run-invocation-uri": (
        "{{ .url }}/{{ .repository }}/actions/runs/{{ .run_id }}/attempts/{{ .run_attempt }}"
    ),
    "source-repository-visibility-at-signing": "repository_visibility",
    "deployment-environment": "environment",
}
GITHUB_SAN_TEMPLATE = "{{ .url }}/{{ .job_workflow_ref }}"
_PLACEHOLDER = re.compile(r"\{\{\s*\.(\w+)\s*\}\}")
_EMAIL = re.compile(r"^.+@.+\..+$")  # Fulcio's own check


@dataclass(frozen=True)
class Principal:
    name: str  # what a publicKeyRequest's proof of possession signs (email or sub)
    san: x509.GeneralName
    extensions: list[x509.UnrecognizedExtension]


def principal_from_claims(kind: PrincipalType, issuer: str, claims: Mapping[str, Any]) -> Principal:
    """The principal for verified ``claims``; ``issuer`` goes into the issuer extensions."""
    if kind == "email":
        return _email_principal(issuer, claims)
    return _github_principal(issuer, claims)


def _email_principal(issuer: str, claims: Mapping[str, Any]) -> Principal:
    email = claims.get("email")
    if not isinstance(email, str):
        raise HttpError(400, "token has no email claim")
    if claims.get("email_verified") is not True:
        raise HttpError(400, "email_verified claim was false")
    if not _EMAIL.match(email):
        raise HttpError(400, "email address is not valid")
    return Principal(email, x509.RFC822Name(email), _render(issuer, {}))


def _github_principal(issuer: str, claims: Mapping[str, Any]) -> Principal:
    # Fulcio formats every claim with Go's %s: all GitHub claims are strings already.
    data = {**GITHUB_DEFAULTS, **{k: str(v) for k, v in claims.items()}}
    values = {name: _apply(template, data) for name, template in GITHUB_TEMPLATES.items()}
    san = _apply(GITHUB_SAN_TEMPLATE, data)
    return Principal(
        str(claims.get("sub", "")), x509.UniformResourceIdentifier(san), _render(issuer, values)
    )


def _apply(template: str, data: Mapping[str, str]) -> str:
    """Fulcio's applyTemplateOrReplace: a ``{{ .claim }}`` template, or a bare claim name."""
    if "{{" in template:

        def substitute(match: re.Match[str]) -> str:
            if match.group(1) not in data:
                raise HttpError(400, f"token lacks the {match.group(1)!r} claim")
            return data[match.group(1)]

        return _PLACEHOLDER.sub(substitute, template)
    if template not in data:
        raise HttpError(400, f"value <{template}> not present in either claims or defaults")
    return data[template]


def _render(issuer: str, values: Mapping[str, str]) -> list[x509.UnrecognizedExtension]:
    """Fulcio's Extensions.Render order: 1.1, the deprecated 1.2-1.6, 1.8, then 1.9 onwards."""
    exts = [_ext(1, issuer.encode())]
    exts += [_ext(n, values[name].encode()) for name, n in _V1_RAW.items() if values.get(name)]
    exts.append(_ext(8, asn1.encode_der(issuer)))
    exts += [
        _ext(n, asn1.encode_der(values[name])) for name, n in _V2_DER.items() if values.get(name)
    ]
    return exts


def _ext(number: int, value: bytes) -> x509.UnrecognizedExtension:
    return x509.UnrecognizedExtension(x509.ObjectIdentifier(f"{_FULCIO}{number}"), value)
