"""Reading manifest.json without trusting it (AI-01 step 1: "Parse JSON, reject malformed").

A manifest comes from a server directory, a ``manifest.json`` file, or the root
of a ``.mcpb`` bundle. Whatever the source, the bytes pass the same gate, and
every refusal is one line naming the file:

* a size ceiling, checked before and while reading;
* strict UTF-8 without a byte-order mark (RFC 8259 section 8.1);
* a nesting-depth ceiling, measured before the parser sees the text;
* no duplicate object keys: parsers disagree about which value wins, so two
  tools could read two different manifests from the same bytes;
* no NaN/Infinity (not JSON) and no number that overflows to infinity;
* no unpaired surrogate escapes (not Unicode; they break every later writer);
* a JSON object at the top level.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn

from mtf_action.bundle.reader import SafeBundle
from mtf_action.errors import BundleError, ManifestError
from mtf_action.manifest.positions import KeyIndex, excessive_depth, index_keys

MANIFEST_NAME = "manifest.json"
DEFAULT_MAX_SIZE = 4 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class LoadedManifest:
    """The exact bytes of a manifest, their parsed value, and where they came from."""

    raw: dict[str, Any]
    data: bytes
    source: str  # display path: "dir/manifest.json" or "x.mcpb!manifest.json"

    @cached_property
    def key_index(self) -> KeyIndex:
        """Line numbers of keys (computed on first use; the text is known to be valid)."""
        return index_keys(self.data.decode("utf-8"))

    def line_of(self, ptr: str) -> int | None:
        return self.key_index.line_of(ptr)


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _Duplicate(key)
        obj[key] = value
    return obj


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON (only finite numbers are)")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"number {text[:40]} is out of range (it would become infinity)")
    return number


def _json_type(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def parse_manifest_bytes(
    data: bytes, source: str, *, max_depth: int = DEFAULT_MAX_DEPTH
) -> dict[str, Any]:
    """Decode and parse manifest bytes, refusing everything listed in the module docstring."""
    if data.startswith(_BOM):
        raise ManifestError(
            "starts with a UTF-8 byte order mark; JSON text must not (RFC 8259 section 8.1)",
            path=source,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"not valid UTF-8 at byte offset {exc.start}", path=source) from None
    deep = excessive_depth(text, max_depth)
    if deep is not None:
        raise ManifestError(
            f"JSON nested deeper than {max_depth} levels (at line {deep[1]})", path=source
        )
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as exc:
        raise ManifestError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", path=source
        ) from None
    except _Duplicate as dup:
        where = ""
        located = index_keys(text).duplicates
        if located:
            where = f" at {located[0][0]} (line {located[0][1]})"
        raise ManifestError(
            f"duplicate object key {dup.key!r}{where}; parsers disagree on which value wins",
            path=source,
        ) from None
    except (ValueError, RecursionError) as exc:  # constants, huge numbers, int digit limit
        raise ManifestError(f"invalid JSON: {exc}", path=source) from None
    if not isinstance(value, dict):
        raise ManifestError(
            f"top level must be a JSON object, found {_json_type(value)}", path=source
        )
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ManifestError(
            "contains an unpaired UTF-16 surrogate escape (\\ud800-\\udfff), which is not Unicode",
            path=source,
        ) from None
    return value


def _read_file(path: Path, display: str, max_size: int) -> bytes:
    try:
        if path.stat().st_size > max_size:
            raise ManifestError(
                f"{path.stat().st_size} bytes, over the limit of {max_size} bytes", path=display
            )
        with path.open("rb") as fh:
            data = fh.read(max_size + 1)
    except FileNotFoundError:
        raise ManifestError(
            "missing: AI-01 requires manifest.json at the bundle root", path=display
        ) from None
    except OSError as exc:
        raise ManifestError(f"cannot read ({exc.strerror or exc})", path=display) from None
    if len(data) > max_size:  # grew between stat and read
        raise ManifestError(f"over the limit of {max_size} bytes", path=display)
    return data


def _read_bundle(path: Path, max_size: int) -> tuple[bytes, str]:
    display = f"{path}!{MANIFEST_NAME}"
    with SafeBundle(path) as bundle:
        if not bundle.has(MANIFEST_NAME):
            nested = [n for n in bundle.names() if n.endswith("/" + MANIFEST_NAME)]
            hint = f" (found {nested[0]!r}; it must be at the root)" if nested else ""
            raise ManifestError(
                f"missing: AI-01 requires manifest.json at the bundle root{hint}", path=display
            )
        try:
            return bundle.read(MANIFEST_NAME, max_size=max_size), display
        except BundleError as exc:
            raise ManifestError(exc.message, path=exc.path or display) from None


def read_manifest(
    path: Path,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> LoadedManifest:
    """Load manifest.json from a server directory, a JSON file, or a ``.mcpb`` bundle."""
    if max_size <= 0 or max_depth <= 0:
        raise ValueError("max_size and max_depth must be positive")
    if path.is_dir():
        file = path / MANIFEST_NAME
        data = _read_file(file, str(file), max_size)
        display = str(file)
    elif path.suffix.lower() == ".mcpb":
        if not path.exists():
            raise ManifestError("no such file", path=path)
        data, display = _read_bundle(path, max_size)
    elif path.exists() or path.name == MANIFEST_NAME:
        data = _read_file(path, str(path), max_size)
        display = str(path)
    else:
        raise ManifestError("no such file or directory", path=path)
    raw = parse_manifest_bytes(data, display, max_depth=max_depth)
    return LoadedManifest(raw=raw, data=data, source=display)
