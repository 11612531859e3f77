"""What SC-02 reads from the scan context: the components to check, and VEX documents.

Components, de-duplicated by ecosystem, name and (ecosystem-equal) version:

1. every component of every valid SBOM of the target (for a directory, the one
   ``build`` would generate) — what MTF SC-02 requires;
2. the runtime packages of the target's lockfiles that no SBOM lists: a source
   tree whose dependencies are not vendored yet gets an SBOM without them, yet
   the lockfile says what will be installed. Python lockfiles pin every
   platform's packages (``pywin32`` on Linux too); all are checked, which errs
   on the safe side;
3. installed packages the bundle ships (``*.dist-info``, ``node_modules``) that
   neither lists: a stale SBOM must not hide a vulnerable vendored version.

A finding points at the component's lockfile entry where a lockfile pins that
name and version (the readers record the line), else at the file that listed
it (SBOM or package metadata). Without any SBOM, 2 and 3 are still checked and
a note says so; with nothing at all to check the control is skipped (SC-01
blocks the missing SBOM, so a skip cannot raise the verified level).

VEX documents: ``vex.json`` and ``.vex/*.json`` at the top of the target (MTF
5.4 "VEX File Locations"), read through the context, plus ``--vex FILE``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from packageurl import PackageURL

from mtf_action.errors import InvalidInputError
from mtf_action.scan.context import ScanContext
from mtf_action.scan.supply.locks import ecosystem_of, lock_view, rel_path
from mtf_action.scan.supply.sbom_doc import SbomComponent, package_key
from mtf_action.scan.supply.sbom_view import sbom_view
from mtf_action.scan.supply.vendored import vendored_packages
from mtf_action.vulns.model import Component
from mtf_action.vulns.versions import PURL_TO_OSV, OsvEcosystem, same_version
from mtf_action.vulns.vex import VexDocument, VexProblem, load_vex_file, parse_vex

VEX_FILE = "vex.json"
VEX_DIR = ".vex"
_TYPE: dict[str, str] = {"PyPI": "pypi", "npm": "npm"}

Located = dict[tuple[str, str], list[tuple[str, str, int | None]]]


@dataclass
class TargetComponents:
    components: list[Component] = field(default_factory=list)
    unscanned: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    sboms: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None


class _Collector:
    """Components by (ecosystem, key), first source wins, versions compared per ecosystem."""

    def __init__(self, located: Located) -> None:
        self.located = located
        self.by_name: dict[tuple[str, str], list[Component]] = defaultdict(list)

    def add(self, ecosystem: OsvEcosystem, key: str, version: str, file: str | None) -> bool:
        known = self.by_name[(ecosystem, key)]
        if any(same_version(ecosystem, c.version, version) for c in known):
            return False
        line = None
        for locked, lockfile, at in self.located.get((_TYPE[ecosystem], key), []):
            if same_version(ecosystem, locked, version):
                file, line = lockfile, at
                break
        purl = _purl(ecosystem, key, version)
        known.append(Component(ecosystem, key, key, version, purl, file, line))
        return True

    def components(self) -> list[Component]:
        return sorted((c for cs in self.by_name.values() for c in cs), key=lambda c: c.purl)


def _locations(ctx: ScanContext) -> Located:
    """(purl type, package key) -> [(version, lockfile, line)] for every runtime package."""
    found: Located = defaultdict(list)
    for lock in lock_view(ctx).lockfiles:
        ecosystem = ecosystem_of(lock)
        where = rel_path(ctx, lock)
        for package in lock.runtime_packages():
            key = package_key(ecosystem, None, package.name)
            found[(ecosystem, key)].append((package.version, where, package.line))
    return found


def _purl(ecosystem: OsvEcosystem, key: str, version: str) -> str:
    namespace, _, name = key.rpartition("/") if ecosystem == "npm" else ("", "", key)
    return PackageURL(_TYPE[ecosystem], namespace or None, name, version).to_string()


def _why_not(item: SbomComponent) -> str | None:
    if item.purl is None or item.purl_type is None or item.key is None:
        return "no valid purl"
    if item.purl_type not in PURL_TO_OSV:
        return f"purl type {item.purl_type!r}: only PyPI and npm components are matched"
    return None if item.version else "no version"


def target_components(ctx: ScanContext) -> TargetComponents:
    view = sbom_view(ctx)
    located = _locations(ctx)
    collect = _Collector(located)
    found = TargetComponents(sboms=tuple(d.path for d in view.documents))
    for document in view.documents:
        listed_in = None if document.generated else document.path
        for item in document.components:
            why = _why_not(item)
            if why is not None:
                found.unscanned.append(
                    (f"{item.name or item.ref} {item.version or ''}".strip(), why)
                )
                continue
            assert item.purl_type is not None and item.key is not None and item.version
            collect.add(PURL_TO_OSV[item.purl_type], item.key, item.version, listed_in)
    extra = 0
    for (purl_type, key), entries in located.items():
        for version, lockfile, _ in entries:
            extra += collect.add(PURL_TO_OSV[purl_type], key, version, lockfile)
    for package in vendored_packages(ctx).packages:
        key = package_key(package.ecosystem, None, package.name)
        extra += collect.add(PURL_TO_OSV[package.ecosystem], key, package.version, package.metadata)
    found.components = collect.components()
    if not view.documents:
        why = view.generation_error or ("no valid SBOM" if view.present else "no SBOM")
        if not found.components:
            found.skipped = f"nothing to scan: {why}, no lockfile, no installed packages (SC-01)"
        else:
            found.notes.append(f"{why}: checked the lockfiles and installed packages instead")
    elif extra:
        found.notes.append(
            f"{extra} locked or installed packages the SBOM does not list were checked too"
        )
    return found


def vex_documents(ctx: ScanContext) -> tuple[list[tuple[str, VexDocument]], list[VexProblem]]:
    documents: list[tuple[str, VexDocument]] = []
    problems: list[VexProblem] = []
    parsed: list[VexDocument | VexProblem] = []
    for path in (f for f in ctx.files if f == VEX_FILE or _in_vex_dir(f)):
        try:
            parsed.append(parse_vex(path, ctx.json_document(path)))
        except InvalidInputError as exc:
            parsed.append(VexProblem(path, exc.message))
    parsed += [load_vex_file(file) for file in ctx.options.vulns.vex]
    for item in parsed:
        if isinstance(item, VexProblem):
            problems.append(item)
        else:
            documents.append((item.origin, item))
    return documents, problems


def _in_vex_dir(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return len(parts) == 2 and parts[0] == VEX_DIR and parts[1].endswith(".json")
