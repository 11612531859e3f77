"""CycloneDX 1.6 JSON SBOM of a bundle (MTF SC-01), byte-identical across rebuilds.

Built with cyclonedx-python-lib and validated against the 1.6 JSON schema
before it is returned. Determinism: the timestamp is the build epoch, the
serial number is a UUIDv5 of the bundle identity and the component set, every
``bom-ref`` is explicit (purls for components), and the library sorts
components and dependencies.

The bundle itself (``metadata.component``) gets no purl: purl-spec has no type
for MCPB bundles, an invented ``pkg:mcpb/...`` would be an identifier no tool
resolves, and ``pkg:generic/...`` would add nothing to name and version. Its
``bom-ref`` is ``mcpb:<name>@<version>``.
"""

from __future__ import annotations

import json
import uuid
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime

from cyclonedx.contrib.license.factories import LicenseFactory
from cyclonedx.model import HashAlgorithm, HashType
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component as CdxComponent
from cyclonedx.model.component import ComponentType
from cyclonedx.model.dependency import Dependency
from cyclonedx.model.license import DisjunctiveLicense, License, LicenseExpression
from cyclonedx.model.tool import ToolRepository
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from packageurl import PackageURL
from packaging.utils import canonicalize_name

from mtf_action import __version__
from mtf_action.lockfiles.model import Lockfile
from mtf_action.sbom.model import Component, DependencyGraph

# Namespace of mtf-attest SBOM serial numbers (a fixed random UUID).
SERIAL_NAMESPACE = uuid.UUID("0b9f6a52-5d0e-4c5e-9a43-6f1f3e0c2d71")
_ALGORITHMS = {
    "md5": HashAlgorithm.MD5,
    "sha1": HashAlgorithm.SHA_1,
    "sha256": HashAlgorithm.SHA_256,
    "sha384": HashAlgorithm.SHA_384,
    "sha512": HashAlgorithm.SHA_512,
}


class InvalidSbomError(RuntimeError):
    """The generated SBOM failed schema validation: a bug in mtf-attest, never user error."""


def build_sbom(
    *,
    bundle_name: str,
    bundle_version: str,
    description: str | None,
    components: Sequence[Component],
    dependencies: DependencyGraph,
    lockfile: Lockfile | None,
    epoch: int,
) -> bytes:
    """CycloneDX 1.6 JSON bytes (UTF-8, trailing newline) for one bundle.

    Components without their own hashes get the lockfile's hashes for the same
    name and version. Raises :class:`InvalidSbomError` if the result does not
    validate against the CycloneDX 1.6 schema.
    """
    unique = {c.bom_ref: c for c in components}
    hashes = {ref: c.hashes or _locked_hashes(lockfile, c) for ref, c in unique.items()}
    cdx = {ref: _component(c, hashes[ref]) for ref, c in sorted(unique.items())}
    root_ref = f"mcpb:{bundle_name}@{bundle_version}"
    root = CdxComponent(
        type=ComponentType.APPLICATION,
        name=bundle_name,
        version=bundle_version,
        description=description or None,
        bom_ref=root_ref,
    )
    tool = CdxComponent(
        type=ComponentType.APPLICATION,
        name="mtf-attest",
        version=__version__,
        bom_ref=f"mtf-attest@{__version__}",
    )
    bom = Bom(
        serial_number=_serial(bundle_name, bundle_version, epoch, unique, hashes, dependencies),
        metadata=BomMetaData(
            timestamp=datetime.fromtimestamp(epoch, tz=UTC),
            component=root,
            tools=ToolRepository(components=[tool]),
        ),
        components=cdx.values(),
    )
    bom.dependencies = [
        Dependency(
            ref=root.bom_ref,
            dependencies=[Dependency(ref=cdx[r].bom_ref) for r in dependencies.direct if r in cdx],
        ),
        *(
            Dependency(
                ref=component.bom_ref,
                dependencies=[
                    Dependency(ref=cdx[t].bom_ref)
                    for t in dependencies.edges.get(ref, ())
                    if t in cdx and t != ref
                ],
            )
            for ref, component in cdx.items()
        ),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the library warns about empty graphs etc.
        text = JsonV1Dot6(bom).output_as_string(indent=2) + "\n"
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if error is not None:
        raise InvalidSbomError(f"generated SBOM is not valid CycloneDX 1.6: {error}")
    return text.encode("utf-8")


def _component(component: Component, hashes: Sequence[str]) -> CdxComponent:
    name, group = component.name, None
    if component.ecosystem == "npm" and name.startswith("@") and "/" in name:
        group, _, name = name.partition("/")  # CycloneDX: npm scope is the group
    return CdxComponent(
        type=ComponentType.LIBRARY,
        name=name,
        group=group,
        version=component.version or None,
        purl=PackageURL.from_string(component.purl),
        bom_ref=component.bom_ref,
        hashes=[h for h in (_hash(x) for x in hashes) if h is not None],
        licenses=_licenses(component.licenses),
    )


def _hash(value: str) -> HashType | None:
    alg, _, digest = value.partition(":")
    algorithm = _ALGORITHMS.get(alg.lower())
    if algorithm is None or not digest:
        return None
    return HashType(alg=algorithm, content=digest.lower())


def _licenses(values: Sequence[str]) -> list[License]:
    """One SPDX expression, or several ids/names (CycloneDX forbids mixing the two)."""
    factory = LicenseFactory()
    if len(values) == 1:
        return [factory.make_from_string(values[0])]
    out: list[License] = []
    for value in values:
        made = factory.make_from_string(value)
        out.append(DisjunctiveLicense(name=value) if isinstance(made, LicenseExpression) else made)
    return out


def _locked_hashes(lockfile: Lockfile | None, component: Component) -> tuple[str, ...]:
    if lockfile is None:
        return ()
    wanted = _identity(component.ecosystem, component.name, component.version)
    found = {
        h
        for p in lockfile.runtime_packages()
        if _identity(p.ecosystem, p.name, p.version) == wanted
        for h in p.hashes
    }
    return tuple(sorted(found))


def _identity(ecosystem: str, name: str, version: str) -> tuple[str, str, str]:
    return ecosystem, str(canonicalize_name(name)) if ecosystem == "pypi" else name, version


def _serial(
    name: str,
    version: str,
    epoch: int,
    components: dict[str, Component],
    hashes: dict[str, tuple[str, ...]],
    graph: DependencyGraph,
) -> uuid.UUID:
    """UUIDv5 over everything the document says, so equal inputs give equal serials."""
    identity = {
        "bundle": [name, version, epoch, __version__],
        "components": [
            [ref, sorted(c.licenses), sorted(hashes[ref])] for ref, c in sorted(components.items())
        ],
        "direct": sorted(graph.direct),
        "edges": {k: sorted(v) for k, v in sorted(graph.edges.items())},
    }
    return uuid.uuid5(SERIAL_NAMESPACE, json.dumps(identity, sort_keys=True))
