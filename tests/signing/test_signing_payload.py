"""MTF AI-03 / section 5.1: the signed payload and its RFC 8785 canonical form."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from mtf_action.errors import InvalidInputError
from mtf_action.signing.canonical import canonical_json, load_strict_json
from mtf_action.signing.payload import (
    BundleSignaturePayload,
    build_payload,
    canonical_manifest_sha256,
    format_timestamp,
    parse_payload,
    sbom_sha256,
)

MANIFEST = {
    "manifest_version": "0.3",
    "name": "@scope/srv",
    "version": "1.0.0",
    "server": {"type": "node"},
}


def test_rfc8785_section_3_2_2_vector() -> None:
    # RFC 8785 section 3.2.2 (sample input) and 3.2.3 (its canonical output).
    source = (
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    ).encode()
    assert canonical_json(load_strict_json(source)) == expected


def test_rfc8785_sorts_member_names_by_utf16_code_units() -> None:
    # RFC 8785 section 3.2.3 sorting example: UTF-16, so U+1F600 (a surrogate pair
    # D83D DE00) sorts before U+FB33, unlike a sort by code point.
    names = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]
    data = canonical_json(dict.fromkeys(names, 0)).decode()
    order = list(json.loads(data, object_pairs_hook=lambda pairs: [k for k, _ in pairs]))
    assert order == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_strict_json_refuses_what_rfc8785_cannot_canonicalise() -> None:
    with pytest.raises(InvalidInputError, match="duplicate member name 'a'"):
        load_strict_json(b'{"a": 1, "a": 2}', source="m.json")
    with pytest.raises(InvalidInputError, match="NaN is not JSON"):
        load_strict_json(b'{"a": NaN}')
    with pytest.raises(InvalidInputError, match="RFC 8785"):
        canonical_json({"big": 2**60})


def _payload() -> BundleSignaturePayload:
    return build_payload(
        name="@scope/srv",
        version="1.0.0",
        manifest=json.dumps(MANIFEST, indent=2).encode(),
        sbom=b'{"bomFormat":"CycloneDX"}\n',
        signer_identity="sha256:" + "ab" * 32,
        timestamp=datetime(2026, 2, 6, 12, 0, 0, 123456, tzinfo=UTC),
    )


def test_ai03_payload_fields_and_canonical_bytes() -> None:
    payload = _payload()
    data = payload.canonical_bytes()
    assert data == (
        b'{"mtf_version":"0.1","payload_type":"bundle_signature","signer_identity":"sha256:'
        + b"ab" * 32
        + b'","subject":{"manifest_sha256":"'
        + payload.subject.manifest_sha256.encode()
        + b'","name":"@scope/srv","sbom_sha256":"'
        + hashlib.sha256(b'{"bomFormat":"CycloneDX"}\n').hexdigest().encode()
        + b'","version":"1.0.0"},"timestamp":"2026-02-06T12:00:00Z"}'
    )
    assert parse_payload(data) == payload
    assert payload.signed_at == datetime(2026, 2, 6, 12, 0, tzinfo=UTC)


def test_ai03_canonical_bytes_are_stable() -> None:
    assert _payload().canonical_bytes() == _payload().canonical_bytes()


def test_ai03_manifest_hash_is_of_the_parsed_manifest_not_the_file_bytes() -> None:
    pretty = json.dumps(MANIFEST, indent=4).encode()
    compact_reordered = json.dumps(
        dict(reversed(list(MANIFEST.items()))), separators=(",", ":")
    ).encode()
    assert canonical_manifest_sha256(pretty) == canonical_manifest_sha256(compact_reordered)
    assert canonical_manifest_sha256(pretty) == hashlib.sha256(canonical_json(MANIFEST)).hexdigest()
    assert canonical_manifest_sha256(pretty) == canonical_manifest_sha256(MANIFEST)
    changed = dict(MANIFEST, version="1.0.1")
    assert canonical_manifest_sha256(changed) != canonical_manifest_sha256(MANIFEST)


def test_ai03_manifest_that_is_not_an_object_or_not_ijson_is_refused() -> None:
    with pytest.raises(
        InvalidInputError, match=r"manifest\.json: manifest\.json is not a JSON object"
    ):
        canonical_manifest_sha256(b"[1, 2]", source="manifest.json")
    with pytest.raises(InvalidInputError, match="duplicate member name"):
        canonical_manifest_sha256(b'{"name": "a", "name": "b"}')


def test_ai03_sbom_hash_is_of_the_file_bytes() -> None:
    assert sbom_sha256(b"{}\n") == hashlib.sha256(b"{}\n").hexdigest()
    assert sbom_sha256(b"{}\n") != sbom_sha256(b"{}")


def test_ai03_timestamp_is_utc_iso8601() -> None:
    moment = datetime(2026, 2, 6, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert format_timestamp(moment) == "2026-02-06T12:00:00Z"
    with pytest.raises(ValueError, match="time zone"):
        format_timestamp(datetime(2026, 2, 6, 12, 0))


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda d: d.update(payload_type="other"), "payload_type"),
        (lambda d: d.update(extra=1), "extra"),
        (lambda d: d["subject"].update(manifest_sha256="ABC"), "subject.manifest_sha256"),
        (lambda d: d.update(timestamp="2026-02-06 12:00:00"), "timestamp"),
        (lambda d: d.pop("signer_identity"), "signer_identity"),
    ],
)
def test_ai03_malformed_payloads_are_refused(edit: object, reason: str) -> None:
    document = json.loads(_payload().canonical_bytes())
    edit(document)  # type: ignore[operator]
    with pytest.raises(InvalidInputError, match=reason):
        parse_payload(canonical_json(document), source="payload.json")


def test_ai03_non_canonical_payload_bytes_are_refused() -> None:
    pretty = json.dumps(json.loads(_payload().canonical_bytes()), indent=2).encode()
    with pytest.raises(InvalidInputError, match="not in RFC 8785 canonical form"):
        parse_payload(pretty)
