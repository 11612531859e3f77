"""The MTF claim: JSON Schema (schemas/mtf-claim.schema.json) and pydantic model agree."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from mtf_action.attest.assets import claim_bytes, claim_schema_errors, is_canonical, load_claim
from mtf_action.errors import InvalidInputError
from mtf_action.schemas import load_schema

H = "0" * 64


def _claim() -> dict[str, Any]:
    return {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "s-1.0.0.mcpb", "digest": {"sha256": H}}],
        "predicateType": "https://github.com/mtf/attest/claim/v0.1",
        "predicate": {
            "mtf_version": "0.1",
            "package": {"name": "@acme/s", "version": "1.0.0"},
            "level": {"claimed": None, "verified": 1},
            "controls": [
                {
                    "id": "AI-01",
                    "name": "Manifest Validation",
                    "level": 1,
                    "enforcement": "scanner",
                    "status": "pass",
                    "findings": {"critical": 0, "high": 0, "medium": 0, "low": 0, "info": 2},
                }
            ],
            "digests": {"bundle": H, "manifest": "1" * 64, "sbom": "2" * 64},
            "generator": {"name": "mtf-attest", "version": "0.1.0"},
            "build": {
                "builder_id": "https://github.com/mtf/attest/builders/local@v0.1.0",
                "invocation_id": None,
                "source_date_epoch": 0,
                "commit": None,
            },
            "signing": {"mode": "key", "identity": "sha256:" + "3" * 64},
            "assets": {
                "bundle": "s-1.0.0.mcpb",
                "sbom": "s-1.0.0.sbom.cdx.json",
                "hashes": "s-1.0.0.hashes.json",
                "provenance": "s-1.0.0.mcpb.provenance.sigstore.json",
                "claim_signature": "s-1.0.0.mcpb.mtf-claim.sigstore.json",
                "sbom_attestation": "s-1.0.0.mcpb.sbom.sigstore.json",
                "vsa": "s-1.0.0.mcpb.vsa.sigstore.json",
            },
        },
    }


def test_schema_is_valid_2020_12() -> None:
    schema = load_schema("mtf-claim.schema.json")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_a_valid_claim_round_trips_canonically() -> None:
    raw = _claim()
    assert claim_schema_errors(raw) == []
    claim = load_claim(json.dumps(raw, indent=2).encode())
    data = claim_bytes(claim)
    assert is_canonical(data) and json.loads(data) == raw
    assert not is_canonical(json.dumps(raw, indent=2).encode())


def _set(path: str, value: Any) -> dict[str, Any]:
    raw = _claim()
    *parents, last = path.split("/")
    node: Any = raw
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return raw


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("subject", [{"name": "a.mcpb", "digest": {"sha256": H}}] * 2),  # two subjects
        ("subject", []),
        ("predicateType", "https://slsa.dev/provenance/v1"),
        ("predicate/extra", 1),
        ("predicate/level/verified", 5),
        ("predicate/level/claimed", KeyError),  # every member is always present
        ("predicate/controls/0/status", "passed"),
        ("predicate/controls/0/id", "AI-1"),
        ("predicate/controls/0/findings/low", -1),
        ("predicate/digests/sbom", "XYZ"),
        ("predicate/build/commit", "abc123"),
        ("predicate/signing/mode", "gpg"),
        ("predicate/signing/identity", None),  # signed, but by nobody
        ("predicate/assets/vsa", "dir/x.json"),
        ("predicate/mtf_version", "0.2"),
    ],
)
def test_schema_and_model_both_refuse(path: str, value: Any) -> None:
    raw = _set(path, value)
    assert claim_schema_errors(raw), "the schema accepted it"
    with pytest.raises(InvalidInputError, match="not an MTF claim"):
        load_claim(json.dumps(raw).encode())


def test_unsigned_claims_have_no_identity() -> None:
    raw = _set("predicate/signing", {"mode": "none", "identity": None})
    assert claim_schema_errors(raw) == []
    load_claim(json.dumps(raw).encode())
    bad = _set("predicate/signing", {"mode": "none", "identity": "someone"})
    assert claim_schema_errors(bad)


def test_model_checks_what_the_schema_cannot() -> None:
    # The subject must be the bundle the predicate names, with the same digest.
    raw = _claim()
    raw["subject"][0]["name"] = "other.mcpb"
    assert claim_schema_errors(raw) == []
    with pytest.raises(InvalidInputError, match="not the bundle asset"):
        load_claim(json.dumps(raw).encode())
    raw = copy.deepcopy(_claim())
    raw["predicate"]["digests"]["bundle"] = "f" * 64
    with pytest.raises(InvalidInputError, match=r"digests\.bundle"):
        load_claim(json.dumps(raw).encode())


def test_unreadable_claims() -> None:
    with pytest.raises(InvalidInputError, match="not valid JSON"):
        load_claim(b"{")
    with pytest.raises(InvalidInputError, match="duplicate"):
        load_claim(b'{"_type": 1, "_type": 2}')
