"""PR-03 / section 5.3: single-subject in-toto Statement v1, written and read back."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sigstore.dsse import Statement as SigstoreStatement

from mtf_action.errors import InvalidInputError
from mtf_action.signing.canonical import canonical_json
from mtf_action.signing.intoto import STATEMENT_TYPE, build_statement, parse_statement

DIGEST = hashlib.sha256(b"bundle").hexdigest()
PREDICATE = {"buildDefinition": {"buildType": "https://example.org/t", "n": 3}, "runDetails": {}}


def _statement_dict(**changes: object) -> dict[str, object]:
    document: dict[str, object] = {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": "srv-1.0.0.mcpb", "digest": {"sha256": DIGEST}}],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": PREDICATE,
    }
    document.update(changes)
    return document


def test_pr03_statement_serialises_deterministically_with_integers_intact() -> None:
    a = build_statement(
        name="srv-1.0.0.mcpb",
        sha256=DIGEST,
        predicate_type="https://slsa.dev/provenance/v1",
        predicate=PREDICATE,
    )
    b = build_statement(
        name="srv-1.0.0.mcpb",
        sha256=DIGEST,
        predicate_type="https://slsa.dev/provenance/v1",
        predicate=dict(reversed(list(PREDICATE.items()))),
    )
    assert a.to_bytes() == b.to_bytes() == canonical_json(_statement_dict())
    assert b'"n":3' in a.to_bytes()  # the protobuf Statement would have written 3.0
    # sigstore-python accepts the exact bytes as its DSSE statement.
    assert SigstoreStatement(a.to_bytes())._contents == a.to_bytes()


def test_pr03_statement_round_trip() -> None:
    statement = parse_statement(canonical_json(_statement_dict()))
    assert statement.only_subject.name == "srv-1.0.0.mcpb"
    assert statement.only_subject.sha256 == DIGEST
    assert statement.predicate_type == "https://slsa.dev/provenance/v1"
    assert statement.predicate == PREDICATE


def test_pr03_real_conformance_statement_parses(sigstore_data: Path) -> None:
    statement = parse_statement((sigstore_data / "conformance" / "statement.json").read_bytes())
    assert (
        statement.only_subject.sha256
        == hashlib.sha256((sigstore_data / "conformance" / "a.txt").read_bytes()).hexdigest()
    )


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"subject": []}, "has 0 subjects; exactly one is required"),
        (
            {
                "subject": [
                    {"name": "a", "digest": {"sha256": DIGEST}},
                    {"name": "b", "digest": {"sha256": DIGEST}},
                ]
            },
            "has 2 subjects; exactly one is required",
        ),
        (
            {"subject": [{"name": "a", "digest": {"sha512": "00" * 64}}]},
            "subject digest has no sha256",
        ),
        ({"subject": [{"name": "a", "digest": {"sha256": DIGEST.upper()}}]}, "64 lowercase hex"),
        ({"_type": "https://in-toto.io/Statement/v0.1"}, "_type"),
        ({"predicateType": ""}, "predicateType"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_pr03_bad_statements_are_refused(changes: dict[str, object], reason: str) -> None:
    with pytest.raises(InvalidInputError, match=reason):
        parse_statement(json.dumps(_statement_dict(**changes)).encode(), source="s.json")


def test_pr03_in_toto_attestation_second_opinion_applies() -> None:
    # Our model allows an empty predicate; in-toto-attestation's validate() does not,
    # and we follow the reference implementation when producing statements.
    with pytest.raises(InvalidInputError, match="in-toto-attestation: Predicate object required"):
        build_statement(
            name="x", sha256=DIGEST, predicate_type="https://example.org/p", predicate={}
        )
    with pytest.raises(InvalidInputError, match="subject sha256 is not 64 lowercase hex"):
        build_statement(
            name="x", sha256="not-hex", predicate_type="https://example.org/p", predicate={"a": 1}
        )


def test_pr03_statement_without_predicate_is_read_but_never_written() -> None:
    # in-toto Statement v1: predicate is optional; PyPI publish attestations omit it.
    document = _statement_dict()
    del document["predicate"]
    assert parse_statement(json.dumps(document).encode()).predicate == {}
