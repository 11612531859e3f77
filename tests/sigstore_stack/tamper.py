"""Edits of a Sigstore bundle's JSON for negative tests: each breaks exactly one proof.

They work on the serialized bundle (protobuf-specs JSON, as written to disk), so product
tests can tamper with the files a CLI produced. Nothing here touches sigstore-python.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import rfc8785
from cryptography.hazmat.primitives.asymmetric import ec

from .keys import sign


def _entry(bundle: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = bundle["verificationMaterial"]["tlogEntries"][0]
    return entry


def _flip(b64: str) -> str:
    raw = bytearray(base64.b64decode(b64))
    raw[-1] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def resign_set(bundle_json: str, key: ec.EllipticCurvePrivateKey) -> str:
    """Replace the signed entry timestamp by a valid signature of the same payload by ``key``."""
    bundle = json.loads(bundle_json)
    entry = _entry(bundle)
    payload = {  # what Rekor signs (see rekor.py); protobuf JSON gives the ints as strings
        "body": entry["canonicalizedBody"],
        "integratedTime": int(entry["integratedTime"]),
        "logID": base64.b64decode(entry["logId"]["keyId"]).hex(),
        "logIndex": int(entry["logIndex"]),
    }
    signature = sign(key, rfc8785.dumps(payload))
    entry["inclusionPromise"]["signedEntryTimestamp"] = base64.b64encode(signature).decode()
    return json.dumps(bundle)


def corrupt_inclusion_proof(bundle_json: str) -> str:
    """Flip one bit of the first audit-path hash (of the root hash when the path is empty)."""
    bundle = json.loads(bundle_json)
    proof = _entry(bundle)["inclusionProof"]
    if proof["hashes"]:
        proof["hashes"][0] = _flip(proof["hashes"][0])
    else:
        proof["rootHash"] = _flip(proof["rootHash"])
    return json.dumps(bundle)


def resign_checkpoint(bundle_json: str, key: ec.EllipticCurvePrivateKey) -> str:
    """Re-sign the checkpoint note with ``key`` (keeping the log's key hint and name)."""
    bundle = json.loads(bundle_json)
    proof = _entry(bundle)["inclusionProof"]
    note, _, signature_line = proof["checkpoint"]["envelope"].partition("\n\n")
    name, stamp = signature_line.removeprefix("\u2014 ").split()
    hint = base64.b64decode(stamp)[:4]
    new_stamp = base64.b64encode(hint + sign(key, (note + "\n").encode())).decode()
    proof["checkpoint"]["envelope"] = f"{note}\n\n\u2014 {name} {new_stamp}\n"
    return json.dumps(bundle)
