"""RFC 8785 (JSON Canonicalization Scheme) and the strict JSON reading it presumes.

MTF section 5.1.1: "The signed payload MUST use RFC 8785 ... Implementations MUST
NOT sign pretty-printed or non-canonical JSON." Canonicalisation is done by the
``rfc8785`` package (Trail of Bits; the same one sigstore-python uses for Rekor
entries). RFC 8785 is defined over I-JSON (RFC 7493), so reading is strict:
duplicate member names, ``NaN``/``Infinity`` and integers outside the IEEE 754
double-exact range are errors, not something to canonicalise silently.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import rfc8785

from mtf_action.errors import InvalidInputError


def canonical_json(value: Any, *, source: str | Path | None = None) -> bytes:
    """``value`` serialised per RFC 8785 (sorted keys by UTF-16 code units, ES6 numbers)."""
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError) as exc:
        raise InvalidInputError(f"cannot be canonicalised (RFC 8785): {exc}", path=source) from exc


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate member name {key!r}")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (I-JSON, RFC 7493)")


def load_strict_json(data: bytes | str, *, source: str | Path | None = None) -> Any:
    """Parse I-JSON: no duplicate names, no NaN/Infinity, UTF-8 only."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise InvalidInputError("not UTF-8 JSON", path=source) from exc
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise InvalidInputError(f"not valid JSON: {exc}", path=source) from exc


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
