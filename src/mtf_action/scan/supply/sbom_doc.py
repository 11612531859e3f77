"""Reading an SBOM document (MTF SC-01): format, schema validity, components.

Formats (MTF 3.3 SC-01 "Supported Formats"):

* CycloneDX JSON 1.4, 1.5, 1.6: validated by cyclonedx-python-lib's JSON
  validator for the document's own ``specVersion``. 1.7 is validated the same
  way but reported (non-blocking) as newer than MTF v0.1 lists; 1.3 and older
  are not a supported format.
* SPDX 2.3 JSON: validated against the SPDX 2.3 JSON Schema (vendored in
  ``schemas/``). SPDX 2.2 and older are not supported ("2.3+"); SPDX 3 (JSON-LD)
  cannot be validated by this version, which is reported as such, not as a pass.

Components are normalised to one shape for the completeness checks: display
name, version, purl and the matching key a purl implies (PEP 503 name for
PyPI, ``@scope/name`` for npm).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from jsonschema import Draft201909Validator
from jsonschema.exceptions import best_match
from packageurl import PackageURL
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from mtf_action.schemas import load_schema

if TYPE_CHECKING:
    from cyclonedx.validation.json import JsonValidator

CYCLONEDX_SUPPORTED = ("1.4", "1.5", "1.6")
CYCLONEDX_NEWER = ("1.7",)
SPDX_SCHEMA = "spdx-schema-v2.3.json"
_NO_LICENSE = {"", "NOASSERTION", "NONE"}
MAX_MESSAGE = 300

Format = Literal["cyclonedx", "spdx"]


@dataclass(frozen=True)
class SbomComponent:
    """One component (CycloneDX) or package (SPDX), as far as SC-01 cares."""

    name: str
    version: str | None
    purl: str | None
    purl_type: str | None
    key: str | None  # identity for matching: canonical PyPI name, @scope/name for npm
    licensed: bool
    hashed: bool
    ref: str


@dataclass(frozen=True)
class SbomDocument:
    """A readable, schema-valid SBOM."""

    path: str
    format: Format
    spec_version: str
    components: tuple[SbomComponent, ...]
    timestamp: datetime | None = None
    generated: bool = False
    newer_than_mtf: bool = False


@dataclass(frozen=True)
class SbomRejected:
    """An SBOM file that is not a valid document of a supported format."""

    path: str
    reason: str
    verdict: Literal["invalid", "unsupported", "unverifiable"]


# Where a CycloneDX document breaks its schema: (message, JSON path), or None if valid.
CdxError = tuple[str, list[str | int]] | None


def cyclonedx_version(data: Any) -> str | None:
    """The specVersion of a CycloneDX JSON document this module validates, else None."""
    if not isinstance(data, dict) or data.get("bomFormat") != "CycloneDX":
        return None
    version = str(data.get("specVersion", ""))
    return version if version in (*CYCLONEDX_SUPPORTED, *CYCLONEDX_NEWER) else None


def cyclonedx_error(version: str, text: str) -> CdxError:
    """Validate against the CycloneDX JSON schema (cyclonedx-python-lib's validator)."""
    error = _cdx_validator(version).validate_str(text)
    if error is None:
        return None
    detail = error.data
    where = [p if isinstance(p, int) else str(p) for p in getattr(detail, "absolute_path", [])]
    return str(getattr(detail, "message", detail)), where


def parse_sbom(
    path: str, text: str, data: Any, *, checked: Callable[[], CdxError] | None = None
) -> SbomDocument | SbomRejected:
    """Classify and validate one SBOM (``data`` is the parsed JSON of ``text``).

    ``checked`` gives the result of :func:`cyclonedx_error` for this document
    when the caller already started it (elsewhere, on another core).
    """
    if not isinstance(data, dict):
        return SbomRejected(path, "not a JSON object", "invalid")
    if data.get("bomFormat") == "CycloneDX":
        return _cyclonedx(path, text, data, checked)
    if "spdxVersion" in data:
        return _spdx(path, data)
    if "@context" in data and "spdx" in json.dumps(data.get("@context")).lower():
        return SbomRejected(
            path,
            "SPDX 3 (JSON-LD) cannot be validated by this version of mtf-attest",
            "unverifiable",
        )
    return SbomRejected(path, "neither CycloneDX (bomFormat) nor SPDX (spdxVersion)", "invalid")


@cache
def _cdx_validator(version: str) -> JsonValidator:
    # cyclonedx-python-lib loads with the validation (SC-01 runs it on another core).
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonValidator

    return JsonValidator(SchemaVersion.from_version(version))


@cache
def _spdx_validator() -> Draft201909Validator:
    schema = load_schema(SPDX_SCHEMA)
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def _short(message: str, where: list[Any]) -> str:
    pointer = "/" + "/".join(str(p) for p in where)
    text = " ".join(message.split())
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE] + "..."
    return f"{pointer}: {text}"


def _cyclonedx(
    path: str, text: str, data: dict[str, Any], checked: Callable[[], CdxError] | None
) -> SbomDocument | SbomRejected:
    version = str(data.get("specVersion", ""))
    if version not in (*CYCLONEDX_SUPPORTED, *CYCLONEDX_NEWER):
        return SbomRejected(
            path,
            f"CycloneDX specVersion {version or '(none)'!r} is not supported "
            f"(MTF SC-01: {', '.join(CYCLONEDX_SUPPORTED)})",
            "unsupported",
        )
    error = checked() if checked is not None else cyclonedx_error(version, text)
    if error is not None:
        message, where = error
        return SbomRejected(
            path, f"not valid CycloneDX {version}: {_short(message, where)}", "invalid"
        )
    found: list[SbomComponent] = []
    _walk_cdx(data.get("components") or [], found)
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    return SbomDocument(
        path=path,
        format="cyclonedx",
        spec_version=version,
        components=tuple(found),
        timestamp=_timestamp((metadata or {}).get("timestamp")),
        newer_than_mtf=version in CYCLONEDX_NEWER,
    )


def _walk_cdx(items: list[Any], out: list[SbomComponent]) -> None:
    for item in items:
        if not isinstance(item, dict):
            continue
        name = str(item.get("name") or "")
        group = item.get("group")
        shown = f"{group}/{name}" if group else name
        purl = item.get("purl") if isinstance(item.get("purl"), str) else None
        out.append(
            _component(
                shown,
                item.get("version"),
                purl,
                licensed=bool(item.get("licenses")),
                hashed=bool(item.get("hashes")),
                ref=str(item.get("bom-ref") or shown),
            )
        )
        _walk_cdx(item.get("components") or [], out)


def _spdx(path: str, data: dict[str, Any]) -> SbomDocument | SbomRejected:
    version = str(data.get("spdxVersion", ""))
    major, _, minor = version.removeprefix("SPDX-").partition(".")
    if not (major == "2" and minor.isdigit() and int(minor) >= 3):
        return SbomRejected(
            path, f"spdxVersion {version!r} is not supported (MTF SC-01: SPDX 2.3+)", "unsupported"
        )
    error = best_match(_spdx_validator().iter_errors(data))
    if error is not None:
        return SbomRejected(
            path,
            f"not valid SPDX 2.3: {_short(error.message, list(error.absolute_path))}",
            "invalid",
        )
    roots = set(data.get("documentDescribes") or [])
    for rel in data.get("relationships") or []:
        if rel.get("relationshipType") == "DESCRIBES" and rel.get("spdxElementId") == data.get(
            "SPDXID"
        ):
            roots.add(rel.get("relatedSpdxElement"))
    found = []
    for package in data.get("packages") or []:
        if package.get("SPDXID") in roots:
            continue
        purls = [
            ref.get("referenceLocator")
            for ref in package.get("externalRefs") or []
            if ref.get("referenceType") == "purl"
        ]
        licenses = {package.get("licenseConcluded"), package.get("licenseDeclared")}
        found.append(
            _component(
                str(package.get("name") or ""),
                package.get("versionInfo"),
                next((p for p in purls if isinstance(p, str)), None),
                licensed=any(isinstance(x, str) and x not in _NO_LICENSE for x in licenses),
                hashed=bool(package.get("checksums")),
                ref=str(package.get("SPDXID") or package.get("name")),
            )
        )
    created = (data.get("creationInfo") or {}).get("created")
    return SbomDocument(
        path=path,
        format="spdx",
        spec_version=version.removeprefix("SPDX-"),
        components=tuple(found),
        timestamp=_timestamp(created),
    )


def _component(
    name: str, version: Any, purl: str | None, *, licensed: bool, hashed: bool, ref: str
) -> SbomComponent:
    parsed: PackageURL | None = None
    if purl:
        try:
            parsed = PackageURL.from_string(purl)
        except ValueError:
            parsed = None
    purl_type = parsed.type if parsed is not None else None
    return SbomComponent(
        name=name,
        version=str(version) if version not in (None, "") else None,
        purl=purl if parsed is not None else None,
        purl_type=purl_type,
        key=package_key(purl_type, parsed.namespace, parsed.name) if parsed else None,
        licensed=licensed,
        hashed=hashed,
        ref=ref,
    )


def package_key(ecosystem: str | None, namespace: str | None, name: str) -> str:
    """How packages are matched: PEP 503 names for PyPI, ``@scope/name`` for npm."""
    if ecosystem == "pypi":
        return str(canonicalize_name(name))
    return f"{namespace}/{name}" if namespace else name


def same_version(ecosystem: str, a: str, b: str) -> bool:
    """Equal versions; PEP 440 equality for PyPI (``1.0`` == ``1.0.0``)."""
    if a == b:
        return True
    if ecosystem != "pypi":
        return False
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return False


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
