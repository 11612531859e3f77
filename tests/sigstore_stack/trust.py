"""The test trusted root, signing config, and client trust config (protobuf-specs JSON).

Shapes follow sigstore's production `trusted_root.json` and `signing_config.v0.2.json`;
every document is parsed back through `sigstore_models` (strict, extra fields forbidden),
so a shape mistake fails here rather than deep inside a test.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from sigstore_models.trustroot import v1 as trustroot_v1

from .ca import CertificateAuthority
from .keys import PublicKey, key_details, key_id, spki_der

TRUSTED_ROOT_MEDIA_TYPE = "application/vnd.dev.sigstore.trustedroot+json;version=0.1"
SIGNING_CONFIG_MEDIA_TYPE = "application/vnd.dev.sigstore.signingconfig.v0.2+json"
TRUST_CONFIG_MEDIA_TYPE = "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json"
OPERATOR = "sigstore.test"


@dataclass(frozen=True)
class LogKey:
    """A transparency log (Rekor or CT) as the trusted root lists it."""

    base_url: str
    public_key: PublicKey
    valid_from: datetime.datetime


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _time(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _log_instance(log: LogKey) -> dict[str, Any]:
    return {
        "baseUrl": log.base_url,
        "hashAlgorithm": "SHA2_256",
        "publicKey": {
            "rawBytes": _b64(spki_der(log.public_key)),
            "keyDetails": key_details(log.public_key),
            "validFor": {"start": _time(log.valid_from)},
        },
        "logId": {"keyId": _b64(key_id(log.public_key))},
    }


def trusted_root(
    ca: CertificateAuthority, fulcio_url: str, tlogs: Sequence[LogKey], ctlogs: Sequence[LogKey]
) -> dict[str, Any]:
    document = {
        "mediaType": TRUSTED_ROOT_MEDIA_TYPE,
        "tlogs": [_log_instance(log) for log in tlogs],
        "certificateAuthorities": [
            {
                "subject": {"organization": "sigstore.test", "commonName": "sigstore-test"},
                "uri": fulcio_url,
                "certChain": {
                    "certificates": [
                        {"rawBytes": _b64(c.public_bytes(serialization.Encoding.DER))}
                        for c in ca.chain  # issuer first, root last
                    ]
                },
                "validFor": {"start": _time(ca.not_before)},
            }
        ],
        "ctlogs": [_log_instance(log) for log in ctlogs],
        "timestampAuthorities": [],
    }
    trustroot_v1.TrustedRoot.from_json(json.dumps(document))
    return document


def signing_config(
    fulcio_url: str, rekor_url: str, oidc_url: str, valid_from: datetime.datetime
) -> dict[str, Any]:
    def service(url: str) -> dict[str, Any]:
        return {
            "url": url,
            "majorApiVersion": 1,  # Fulcio v2 API, Rekor v1 API, OIDC: all "major version 1"
            "validFor": {"start": _time(valid_from)},
            "operator": OPERATOR,
        }

    document = {
        "mediaType": SIGNING_CONFIG_MEDIA_TYPE,
        "caUrls": [service(fulcio_url)],
        "oidcUrls": [service(oidc_url)],
        "rekorTlogUrls": [service(rekor_url)],
        "tsaUrls": [],
        "rekorTlogConfig": {"selector": "ANY"},
        "tsaConfig": {"selector": "ANY"},
    }
    trustroot_v1.SigningConfig.from_json(json.dumps(document))
    return document


def client_trust_config(root: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    document = {"mediaType": TRUST_CONFIG_MEDIA_TYPE, "trustedRoot": root, "signingConfig": config}
    trustroot_v1.ClientTrustConfig.from_json(json.dumps(document))
    return document
