"""What the SBOM is built from: vendored components and their dependency graph.

Readers of installed trees (``python_env``, ``node_modules``) and of lockfiles
(``from_lock``) produce an :class:`Inventory`; ``cyclonedx.build_sbom`` turns it
into CycloneDX. Components are identified by their purl, which is also their
``bom-ref`` (unique, stable across builds, meaningful to scanners).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from packageurl import PackageURL
from packaging.utils import canonicalize_name

from mtf_action.lockfiles.model import Ecosystem


@dataclass(frozen=True)
class Component:
    """One vendored package.

    ``licenses`` are SPDX ids or expressions where the package declares them,
    else free-text license names. ``hashes`` are ``"<alg>:<hex>"`` digests of the
    artifact the package was installed from (empty when unknown: the SBOM then
    takes them from the lockfile).
    """

    name: str
    version: str
    ecosystem: Ecosystem
    licenses: tuple[str, ...] = ()
    hashes: tuple[str, ...] = ()

    @property
    def purl(self) -> str:
        return package_url(self.ecosystem, self.name, self.version)

    @property
    def bom_ref(self) -> str:
        return self.purl


@dataclass(frozen=True)
class DependencyGraph:
    """``direct``: bom-refs the bundle itself depends on; ``edges``: bom-ref -> bom-refs."""

    direct: tuple[str, ...] = ()
    edges: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Inventory:
    """Components, how they depend on each other, and remarks found while reading."""

    components: tuple[Component, ...]
    graph: DependencyGraph
    notes: tuple[str, ...] = ()


def reachable(roots: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    """Every node reachable from ``roots`` (roots included) over ``edges``."""
    todo, seen = list(roots), set[str]()
    while todo:
        key = todo.pop()
        if key not in seen:
            seen.add(key)
            todo.extend(edges.get(key, ()))
    return seen


def package_url(ecosystem: Ecosystem, name: str, version: str) -> str:
    """``pkg:pypi/<pep503-name>@v`` or ``pkg:npm/%40scope/name@v`` (purl-spec)."""
    if ecosystem == "pypi":
        return str(PackageURL(type="pypi", name=canonicalize_name(name), version=version))
    scope, _, bare = name.rpartition("/") if name.startswith("@") else ("", "", name)
    return str(PackageURL(type="npm", namespace=scope or None, name=bare, version=version))
