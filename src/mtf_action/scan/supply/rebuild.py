"""Rebuilding a bundle to check that the build is reproducible (MTF AI-04).

Two situations:

* a source directory: ``build --no-vendor`` runs twice, into a private
  temporary directory, at the tree's resolved ``SOURCE_DATE_EPOCH``; the two
  archives must be bit-identical;
* a bundle with its source tree (``--source DIR``): ``build`` runs once from DIR
  at the bundle's own epoch and the result must equal the bundle byte for
  byte. The epoch is read back from the bundle: the SBOM's
  ``metadata.timestamp`` (exact seconds) when it agrees with the members' DOS
  timestamps (2-second resolution), else the members' timestamp. Vendoring
  needs the network, so the rebuild packs DIR as it is: when the bundle ships
  vendored dependencies (``deps/``, ``node_modules/``) that DIR does not hold,
  no rebuild is attempted and the reason is reported.

Both read the source tree from disk: rebuilding means running the builder.
When digests differ, members are compared by name, CRC-32, size and mode (from
the central directories, nothing inflated) to name what changed.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mtf_action.build import VENDOR_DIRS, BuildOptions, build_bundle
from mtf_action.bundle.epoch import DEFAULT_EPOCH, resolve_epoch
from mtf_action.console import Reporter
from mtf_action.errors import MtfError
from mtf_action.scan.context import ScanContext
from mtf_action.scan.supply.members import bundle_members, unix_mode
from mtf_action.scan.supply.sbom_view import sbom_view

Signature = tuple[int, int, int]  # CRC-32, size, mode
SEALED_PREFIX = ".sigstore/"  # AI-03 members added by attest after the build


@dataclass(frozen=True)
class Rebuild:
    """The outcome of a rebuild attempt."""

    attempted: bool
    reason: str = ""  # why no rebuild was attempted, or why it failed
    reference: str = ""  # digest rebuilt against (first build, or the bundle)
    rebuilt: str = ""
    differing: tuple[str, ...] = ()
    epoch: int | None = None
    epoch_origin: str = ""
    # A signed bundle carries .sigstore/ members that are sealed in after the
    # build (their payload holds the signing time), so an unsigned rebuild can
    # only match it member for member, not digest for digest.
    signed: bool = False

    @property
    def identical(self) -> bool:
        if not self.attempted or self.reason:
            return False
        if self.signed:
            return not self.differing
        return self.reference == self.rebuilt


def _quiet() -> Reporter:
    return Reporter(quiet=True, stream=io.StringIO(), out=io.StringIO())


def _build(source: Path, out: Path, epoch: int) -> tuple[str, dict[str, Signature]]:
    summary = build_bundle(
        BuildOptions(source_dir=source, output_dir=out, vendor=False, source_date_epoch=epoch),
        _quiet(),
    )
    with zipfile.ZipFile(summary.bundle.path) as archive:
        members = {i.filename: _signature(i) for i in archive.infolist() if not i.is_dir()}
    return summary.bundle.sha256, members


def _signature(info: zipfile.ZipInfo) -> Signature:
    return info.CRC, info.file_size, unix_mode(info)


def _differing(a: dict[str, Signature], b: dict[str, Signature]) -> tuple[str, ...]:
    names = set(a) | set(b)
    return tuple(sorted(n for n in names if a.get(n) != b.get(n)))


def rebuild_directory(root: Path) -> Rebuild:
    """Build ``root`` twice (no vendoring) and compare."""
    try:
        epoch, origin = resolve_epoch(root, None, os.environ)
    except MtfError:
        epoch, origin = DEFAULT_EPOCH, "default (SOURCE_DATE_EPOCH unusable)"
    with tempfile.TemporaryDirectory(prefix="mtf-ai04-") as tmp:
        try:
            first, first_members = _build(root, Path(tmp) / "a", epoch)
            second, second_members = _build(root, Path(tmp) / "b", epoch)
        except MtfError as exc:
            return Rebuild(True, reason=f"build failed: {exc.one_line()}", epoch=epoch)
    return Rebuild(
        True,
        reference=first,
        rebuilt=second,
        differing=_differing(first_members, second_members),
        epoch=epoch,
        epoch_origin=origin,
    )


def bundle_epoch(ctx: ScanContext) -> tuple[int, str]:
    """The epoch the bundle was built at (see the module docstring)."""
    times = Counter(info.date_time for info in bundle_members(ctx).values())
    if not times:
        return DEFAULT_EPOCH, "default (empty bundle)"
    stamp = times.most_common(1)[0][0]
    member_epoch = int(datetime(*stamp, tzinfo=UTC).timestamp())
    for document in sbom_view(ctx).documents:
        if document.timestamp is None:
            continue
        exact = int(document.timestamp.timestamp())
        if _dos(exact) == stamp:
            return exact, f"{document.path} metadata.timestamp"
    return member_epoch, "bundle member timestamps"


def _dos(epoch: int) -> tuple[int, int, int, int, int, int]:
    moment = datetime.fromtimestamp(epoch, tz=UTC)
    second = moment.second - moment.second % 2
    return moment.year, moment.month, moment.day, moment.hour, moment.minute, second


def rebuild_bundle(ctx: ScanContext, source: Path) -> Rebuild:
    """Build ``source`` at the bundle's epoch and compare with the scanned bundle."""
    if not (source / "manifest.json").is_file():
        return Rebuild(False, reason=f"{source} has no manifest.json")
    manifest = ctx.manifest
    server_type = manifest.server.type if manifest and manifest.server else None
    vendor_dir = VENDOR_DIRS.get(server_type or "")
    ships = vendor_dir is not None and any(f.startswith(vendor_dir + "/") for f in ctx.files)
    if vendor_dir is not None and ships and not (source / vendor_dir).is_dir():
        return Rebuild(
            False,
            reason=f"the bundle ships {vendor_dir}/ but {source} has none; vendoring it "
            "again needs the network, so no rebuild was attempted (vendor into the source "
            "tree first, e.g. as build does, then scan with --source)",
        )
    epoch, origin = bundle_epoch(ctx)
    reference = {name: _signature(info) for name, info in bundle_members(ctx).items()}
    signed = any(name.startswith(SEALED_PREFIX) for name in reference)
    reference = {n: sig for n, sig in reference.items() if not n.startswith(SEALED_PREFIX)}
    with tempfile.TemporaryDirectory(prefix="mtf-ai04-") as tmp:
        try:
            digest, members = _build(source, Path(tmp), epoch)
        except MtfError as exc:
            return Rebuild(True, reason=f"build failed: {exc.one_line()}", epoch=epoch)
    return Rebuild(
        True,
        reference=ctx.bundle_sha256 or "",
        rebuilt=digest,
        differing=_differing(reference, members),
        epoch=epoch,
        epoch_origin=origin,
        signed=signed,
    )
