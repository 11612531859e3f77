"""``build``: source tree in, reproducible ``.mcpb`` + SBOM + content hashes out.

The order matters for honesty and for failure behaviour:

1. the manifest must be a valid MCPB manifest (AI-01) before anything is built;
2. runtime dependencies are vendored into a staging directory inside the output
   directory (the source tree is never written to);
3. the SBOM (SC-01) is built from what was actually vendored, then packed into
   the bundle as ``sbom.cdx.json``;
4. the archive is written in one streaming pass that also hashes every member
   and the archive itself; only then are the SBOM and ``hashes.json`` written
   beside it, so a failed build leaves no bundle behind.

``BuildOptions.seal`` (used by ``attest``) runs between 3 and 4: it receives the
manifest and SBOM bytes that will be packed and returns extra members (the MTF
AI-03 signature under ``.sigstore/``), which are packed and hashed like the rest.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from mtf_action.bundle.archive import write_archive
from mtf_action.bundle.atomic import atomic_write_bytes
from mtf_action.bundle.collect import collect_files
from mtf_action.bundle.epoch import resolve_epoch
from mtf_action.bundle.hashes import write_hashes
from mtf_action.bundle.ignore import IgnoreRules
from mtf_action.bundle.model import ArchiveResult, BundleEntry
from mtf_action.bundle.naming import DEFAULT_TEMPLATE, bundle_filename, names_platform
from mtf_action.bundle.platform import Platform, excluded_by_manifest
from mtf_action.console import Reporter
from mtf_action.errors import InvalidInputError, ManifestError, UsageError
from mtf_action.manifest.loader import read_manifest
from mtf_action.manifest.validation import validate_manifest
from mtf_action.models.build_summary import BuildSummary, BuiltFile
from mtf_action.models.manifest import Manifest
from mtf_action.sbom.assemble import SbomInput, sbom_for_bundle
from mtf_action.vendor.model import VendorResult
from mtf_action.vendor.node import vendor_node
from mtf_action.vendor.python import vendor_python

SBOM_MEMBER = "sbom.cdx.json"
MANIFEST_MEMBER = "manifest.json"
# Where each server type carries its vendored dependencies inside the bundle.
VENDOR_DIRS = {"python": "deps", "node": "node_modules"}


@dataclass(frozen=True)
class SealInput:
    """What a seal hook signs: the exact manifest and SBOM bytes that will be packed."""

    name: str
    version: str
    manifest: bytes
    sbom: bytes


@dataclass(frozen=True)
class BuildOptions:
    """What the caller asked for."""

    source_dir: Path
    output_dir: Path
    vendor: bool = True
    source_date_epoch: int | None = None
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    # Called before the archive is written; returns extra members (see module docstring).
    seal: Callable[[SealInput], list[BundleEntry]] | None = None
    # The bundle's file name (bundle/naming.py) and its target platform, if per-platform.
    output_name: str = DEFAULT_TEMPLATE
    platform: Platform | None = None


def checked_manifest(source: Path, reporter: Reporter) -> tuple[Manifest, _Identity]:
    """The valid manifest of a source tree or a ``.mcpb`` (AI-01), else ``ManifestError``."""
    loaded = read_manifest(source)
    report = validate_manifest(loaded)
    blocking = [i for i in report.issues if i.severity == "block"]
    if not report.mcpb_valid or report.manifest is None:
        first = blocking[0] if blocking else None
        detail = f"{first.pointer or '/'}: {first.message}" if first else "not a valid manifest"
        more = (
            f" (and {len(blocking) - 1} more; run `mtf-attest validate`)"
            if len(blocking) > 1
            else ""
        )
        raise ManifestError(f"invalid MCPB manifest: {detail}{more}", path=loaded.source)
    for issue in report.issues:
        if issue.severity != "info":
            reporter.warn(f"{loaded.source}: {issue.control} {issue.pointer}: {issue.message}")
    return report.manifest, _identity(report.manifest, loaded.source)


@dataclass(frozen=True)
class _Identity:
    """The manifest fields the build depends on, all required by every MCPB schema."""

    name: str
    version: str
    server_type: str


def _identity(manifest: Manifest, source: str) -> _Identity:
    server_type = manifest.server.type if manifest.server else None
    if not (manifest.name and manifest.version and server_type):
        raise ManifestError("name, version and server.type are required to build", path=source)
    return _Identity(manifest.name, manifest.version, server_type)


def _vendor(
    server_type: str, opts: BuildOptions, staging: Path, reporter: Reporter
) -> VendorResult | None:
    if not opts.vendor or server_type not in VENDOR_DIRS:
        return None
    with reporter.step(f"vendored {server_type} runtime dependencies"):
        if server_type == "python":
            return vendor_python(opts.source_dir, staging / "deps", reporter=reporter)
        return vendor_node(opts.source_dir, staging, reporter=reporter)


def _entries(
    opts: BuildOptions, vendored: VendorResult | None, sbom: bytes, reporter: Reporter
) -> list[BundleEntry]:
    rules = IgnoreRules.for_tree(opts.source_dir)
    exclude = [opts.output_dir]
    if vendored is not None:
        # The freshly vendored tree replaces whatever the developer has locally.
        exclude.append(opts.source_dir / vendored.arc_prefix)
    collected = collect_files(opts.source_dir, rules, exclude_dirs=exclude)
    skipped = list(collected.skipped)
    entries: list[BundleEntry] = list(collected)
    if vendored is not None and vendored.root.is_dir():
        vendored_rules = IgnoreRules.for_tree(vendored.root)
        more = collect_files(vendored.root, vendored_rules, arc_prefix=vendored.arc_prefix)
        skipped += more.skipped
        entries += more
    for item in skipped:
        reporter.warn(f"not packed: {item}")
    entries = [e for e in entries if e.arcname != SBOM_MEMBER]
    entries.append(BundleEntry(arcname=SBOM_MEMBER, data=sbom, size=len(sbom)))
    return sorted(entries, key=lambda e: e.arcname.encode("utf-8"))


def _sealed(
    entries: list[BundleEntry],
    ident: _Identity,
    sbom: bytes,
    seal: Callable[[SealInput], list[BundleEntry]],
    reporter: Reporter,
) -> list[BundleEntry]:
    # The manifest is read once and packed from those bytes, so what the seal
    # signs is what the archive holds even if the file changes meanwhile.
    kept: list[BundleEntry] = []
    manifest = b""
    for entry in entries:
        if entry.arcname == MANIFEST_MEMBER:
            manifest = entry.data if entry.data is not None else _read_member(entry)
            entry = replace(entry, path=None, data=manifest, size=len(manifest))
        kept.append(entry)
    extra = seal(SealInput(ident.name, ident.version, manifest, sbom))
    names = {e.arcname for e in extra}
    for entry in kept:
        if entry.arcname in names:
            reporter.warn(f"not packed: {entry.arcname} (replaced by the bundle signature)")
    kept = [e for e in kept if e.arcname not in names] + extra
    return sorted(kept, key=lambda e: e.arcname.encode("utf-8"))


def _read_member(entry: BundleEntry) -> bytes:
    assert entry.path is not None
    try:
        return entry.path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"cannot read: {exc.strerror}", path=entry.path) from None


def bundle_file_stem(name: str, version: str, template: str, platform: Platform | None) -> str:
    """The bundle's file name without ``.mcpb`` (companion files append their suffixes)."""
    filename = bundle_filename(name, version, template, platform)
    if not filename.endswith(".mcpb") or filename == ".mcpb":
        raise UsageError(f"the bundle file name {filename!r} must end with .mcpb")
    return filename.removesuffix(".mcpb")


def _bundle_stem(
    opts: BuildOptions, ident: _Identity, manifest: Manifest, reporter: Reporter
) -> str:
    platform = opts.platform
    if platform is not None:
        declared = manifest.compatibility.platforms if manifest.compatibility else []
        warning = excluded_by_manifest(platform, declared)
        if warning:
            reporter.warn(warning)
        if not platform.universal and not names_platform(opts.output_name):
            reporter.warn(
                f"the file name template {opts.output_name!r} has no {{os}} and {{arch}}: "
                "the bundles of different platforms get the same name"
            )
    return bundle_file_stem(ident.name, ident.version, opts.output_name, platform)


def build_bundle(opts: BuildOptions, reporter: Reporter) -> BuildSummary:
    """Build ``OUT/<stem>.mcpb`` with its SBOM and hashes; see the module docstring."""
    source_dir = opts.source_dir
    if not source_dir.is_dir():
        raise InvalidInputError(
            "not a directory (build takes a server source tree)", path=source_dir
        )
    opts = replace(opts, source_dir=source_dir.resolve(), output_dir=opts.output_dir.resolve())
    manifest, ident = checked_manifest(opts.source_dir, reporter)
    epoch, origin = resolve_epoch(opts.source_dir, opts.source_date_epoch, opts.env)
    stem = _bundle_stem(opts, ident, manifest, reporter)
    try:
        opts.output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(
            f"cannot create output directory: {exc.strerror}", path=opts.output_dir
        ) from None
    warnings: list[str] = []
    staging = Path(tempfile.mkdtemp(prefix=".mtf-staging-", dir=opts.output_dir))
    try:
        vendored = _vendor(ident.server_type, opts, staging, reporter)
        warnings += list(vendored.notes) if vendored else []
        with reporter.step("generated CycloneDX 1.6 SBOM"):
            sbom = sbom_for_bundle(
                SbomInput(
                    manifest=manifest,
                    name=ident.name,
                    version=ident.version,
                    server_type=ident.server_type,
                    source_dir=opts.source_dir,
                    vendored=vendored,
                    epoch=epoch,
                )
            )
        warnings += sbom.discrepancies
        entries = _entries(opts, vendored, sbom.document, reporter)
        if opts.seal is not None:
            entries = _sealed(entries, ident, sbom.document, opts.seal, reporter)
        total = sum(e.size for e in entries)
        with reporter.step(f"packed {len(entries)} files", total=total) as advance:
            archive: ArchiveResult = write_archive(
                entries, opts.output_dir / f"{stem}.mcpb", epoch=epoch, progress=advance
            )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    sbom_path = opts.output_dir / f"{stem}.sbom.cdx.json"
    atomic_write_bytes(sbom_path, sbom.document)
    hashes_path = opts.output_dir / f"{stem}.hashes.json"
    write_hashes(archive, hashes_path)
    for message in warnings:
        reporter.warn(message)
    return BuildSummary(
        name=ident.name,
        version=ident.version,
        server_type=ident.server_type,
        bundle=BuiltFile(path=str(archive.path), sha256=archive.sha256, size=archive.size),
        sbom=built_file(sbom_path),
        hashes=built_file(hashes_path),
        file_count=len(archive.files),
        component_count=sbom.component_count,
        source_date_epoch=epoch,
        source_date_epoch_origin=origin,
        vendored_with=vendored.tool if vendored else None,
        lockfile=str(vendored.lockfile.path) if vendored and vendored.lockfile else sbom.lockfile,
        warnings=warnings,
        platform_os=opts.platform.os if opts.platform else None,
        platform_arch=opts.platform.arch if opts.platform else None,
    )


def built_file(path: Path) -> BuiltFile:
    """Path, sha256 and size of a file we wrote."""
    from mtf_action.digests import sha256_and_size

    sha256, size = sha256_and_size(path)
    return BuiltFile(path=str(path), sha256=sha256, size=size)
