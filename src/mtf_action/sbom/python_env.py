"""Inventory of the Python distributions installed in a ``deps/`` (``--target``) tree.

Reads ``*.dist-info`` with :mod:`importlib.metadata` (never imports the code).
The dependency graph follows each distribution's ``Requires-Dist`` evaluated
for the running environment, extras included: a requirement ``mcp[cli]``
activates mcp's ``extra == "cli"`` requirements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import Distribution, distributions
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from mtf_action.sbom.model import Component, DependencyGraph, Inventory, reachable
from mtf_action.vendor.model import VendoredArtifact

_MAX_LICENSE_FIELD = 80  # longer "License:" values are usually the whole license text
# Trove classifiers -> SPDX ids, for the licenses packages most often declare this way.
_CLASSIFIER_SPDX = {
    "Apache Software License": "Apache-2.0",
    "BSD License": "BSD-3-Clause",
    "MIT License": "MIT",
    "MIT No Attribution License (MIT-0)": "MIT-0",
    "ISC License (ISCL)": "ISC",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "GNU Affero General Public License v3": "AGPL-3.0-only",
    "Python Software Foundation License": "PSF-2.0",
    "The Unlicense (Unlicense)": "Unlicense",
    "Zope Public License": "ZPL-2.1",
}
_UNKNOWN = {"", "unknown", "none", "n/a"}


def read_python_env(
    target: Path,
    *,
    direct: Sequence[str] | None = None,
    artifacts: Iterable[VendoredArtifact] = (),
    environment: Mapping[str, str] | None = None,
) -> Inventory:
    """Components and graph of the distributions under ``target``.

    ``direct`` are the project's own requirements (PEP 508); without them the
    roots are the distributions nothing else requires. ``artifacts`` supply the
    verified archive hashes. ``environment`` overrides PEP 508 marker values.
    """
    env = {k: str(v) for k, v in default_environment().items()}
    env.update(environment or {})
    dists: dict[str, Distribution] = {}
    for dist in distributions(path=[str(target)]):
        name = _field(dist, "Name")
        if name:
            dists.setdefault(canonicalize_name(name), dist)
    digests = {(str(canonicalize_name(a.name)), a.version): a.hashes for a in artifacts}
    components = {
        key: Component(
            name=_field(dist, "Name"),
            version=dist.version,
            ecosystem="pypi",
            licenses=licenses_of(dist),
            hashes=digests.get((key, dist.version), ()),
        )
        for key, dist in dists.items()
    }
    notes: list[str] = []
    seed: dict[str, set[str]] = defaultdict(set)
    roots: set[str] = set()
    for line in direct or ():
        req = _parse(line)
        key = canonicalize_name(req.name) if req is not None else ""
        if req is not None and _holds(req, env, "") and key in dists:
            roots.add(key)
            seed[key].update(req.extras)
    edges = _edges(dists, env, notes, seed)
    if direct is None:
        required = {t for targets in edges.values() for t in targets}
        roots = {k for k in dists if k not in required}
    roots |= set(dists) - reachable(roots, edges)  # keep every component on the graph
    ref = {k: c.bom_ref for k, c in components.items()}
    return Inventory(
        components=tuple(components[k] for k in sorted(components)),
        graph=DependencyGraph(
            direct=tuple(sorted(ref[k] for k in roots)),
            edges={ref[k]: tuple(sorted(ref[t] for t in edges.get(k, ()))) for k in sorted(dists)},
        ),
        notes=tuple(dict.fromkeys(notes)),
    )


def licenses_of(dist: Distribution) -> tuple[str, ...]:
    """PEP 639 ``License-Expression``, else a short ``License``, else classifiers."""
    expression = _field(dist, "License-Expression")
    if expression:
        return (expression,)
    field = _field(dist, "License")
    if field.lower() not in _UNKNOWN and "\n" not in field and len(field) <= _MAX_LICENSE_FIELD:
        return (field,)
    found = []
    for classifier in dist.metadata.get_all("Classifier") or []:
        parts = [p.strip() for p in classifier.split("::")]
        if parts[0] == "License" and len(parts) > 1 and parts[-1] != "OSI Approved":
            found.append(_CLASSIFIER_SPDX.get(parts[-1], parts[-1]))
    return tuple(dict.fromkeys(found))


def _edges(
    dists: Mapping[str, Distribution],
    env: Mapping[str, str],
    notes: list[str],
    seed: Mapping[str, set[str]],
) -> dict[str, set[str]]:
    """Requirement edges between installed dists, propagating requested extras."""
    requested: dict[str, set[str]] = defaultdict(set)
    for key, extras in seed.items():
        requested[key] |= extras
    edges: dict[str, set[str]] = defaultdict(set)
    todo = [(k, x) for k in dists for x in ("", *sorted(requested[k]))]
    seen: set[tuple[str, str]] = set()
    while todo:
        key, extra = todo.pop()
        if (key, extra) in seen:
            continue
        seen.add((key, extra))
        dist = dists[key]
        for line in dist.requires or []:
            req = _parse(line)
            if req is None or not _holds(req, env, extra):
                continue
            target = canonicalize_name(req.name)
            if target not in dists:
                if extra == "" or not _holds(req, env, ""):
                    notes.append(
                        f"{_field(dist, 'Name')} {dist.version} requires {line!r}, not installed"
                    )
                continue
            edges[key].add(target)
            todo += [(target, wanted) for wanted in sorted(req.extras)]
    return edges


def _parse(line: str) -> Requirement | None:
    try:
        return Requirement(line)
    except InvalidRequirement:
        return None


def _holds(req: Requirement, env: Mapping[str, str], extra: str) -> bool:
    if req.marker is None:
        return True
    return req.marker.evaluate({**env, "extra": extra})


def _field(dist: Distribution, name: str) -> str:
    """A core-metadata field, or "" (without importlib's missing-key deprecation)."""
    values = dist.metadata.get_all(name) or []
    return str(values[0]).strip() if values else ""
