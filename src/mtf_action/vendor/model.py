"""What a vendoring step reports back to the build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mtf_action.lockfiles.model import Lockfile


@dataclass(frozen=True)
class VendoredArtifact:
    """One package the install actually fetched, with the digest(s) of that file.

    ``hashes`` are ``"<alg>:<hex>"``. For pip these come from ``pip install
    --report`` (the wheel that was verified against the lockfile); for npm from
    the lockfile's ``integrity`` (which ``npm ci`` verifies). ``url`` is where the
    file came from when the tool says so.
    """

    name: str
    version: str
    hashes: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class VendorResult:
    """Where the vendored tree is and how it was produced.

    ``root`` is a directory whose contents are packed at ``arc_prefix`` inside
    the bundle (``deps`` for Python, ``node_modules`` for Node). ``lockfile`` is
    the lockfile the install followed, or ``None`` when there was none.
    ``notes`` are human-readable remarks worth surfacing (e.g. "no lockfile").
    ``artifacts`` lists what was installed with its verified digests;
    ``direct`` the project's own top-level requirements (PEP 508 strings for
    Python, package names for Node), used to root the SBOM dependency graph.
    """

    root: Path
    arc_prefix: str
    tool: str
    lockfile: Lockfile | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    artifacts: tuple[VendoredArtifact, ...] = ()
    direct: tuple[str, ...] = ()
