"""Attest bundles built elsewhere: ``mtf-attest attest --bundle``, the action's ``bundles``.

Why: container actions run only on Linux, so a bundle with native dependencies
is built on each platform with ``pipx run mtf-attest build`` and all of them
are attested in one final Linux job.

How a prebuilt bundle is sealed. MTF 5.2.3 puts the AI-03 signature *inside*
the bundle (``.sigstore/``), so the bundle is re-packed: every member's bytes
are copied unchanged, the signed payload and its Sigstore bundle are added
under ``.sigstore/`` (an earlier ``.sigstore/`` is replaced, with a warning),
and the archive is written by build's deterministic writer (sorted members,
normalised modes, one timestamp: the newest member's). For a bundle from
``mtf-attest build`` that is byte for byte what ``attest DIR`` writes for the
same tree and signature. The prebuilt file's sha256 is recorded in the SLSA
provenance's ``resolvedDependencies`` (annotation ``mtf.role:
unsealed-bundle``), so the release links back to what the platform job built,
and ``hashes.json`` lists the same member digests plus ``.sigstore/``.

The SBOM is the bundle's own ``sbom.cdx.json`` (made by the build from what it
vendored); a bundle without one is refused: what went into it cannot be told
after the fact. A prebuilt bundle is untrusted input: it is opened with
:class:`~mtf_action.bundle.reader.SafeBundle`'s limits and extracted into a
private temporary directory, and its manifest must pass AI-01 like a source
tree's.
"""

from __future__ import annotations

import calendar
import json
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from mtf_action.attest.assets import SBOM_MEMBER
from mtf_action.attest.embedded import EMBEDDED_DIR
from mtf_action.attest.names import BUNDLE_SUFFIX
from mtf_action.attest.pipeline import AttestOptions, SealedBundle, attest_built
from mtf_action.attest.result import AttestResult
from mtf_action.attest.seal import Sealer
from mtf_action.build import MANIFEST_MEMBER, SealInput, built_file, checked_manifest
from mtf_action.bundle.archive import write_archive
from mtf_action.bundle.atomic import atomic_write_bytes
from mtf_action.bundle.hashes import write_hashes
from mtf_action.bundle.model import BundleEntry
from mtf_action.bundle.platform import platform_of_file
from mtf_action.bundle.reader import BundleLimits, SafeBundle
from mtf_action.console import Reporter
from mtf_action.errors import InvalidInputError, UsageError
from mtf_action.models.build_summary import BuildSummary, BuiltFile
from mtf_action.models.provenance import ResourceDescriptor
from mtf_action.signing.keys import PublicKey
from mtf_action.signing.signers import Signer
from mtf_action.vulns.preflight import check_vuln_options

UNSEALED_ROLE: Final = "unsealed-bundle"
EPOCH_ORIGIN: Final = "prebuilt bundle (newest member time)"


def _now() -> datetime:
    return datetime.now(UTC)


def _executable(info: zipfile.ZipInfo) -> bool:
    # Only archives made on UNIX (create_system 3) carry a file mode.
    return info.create_system == 3 and bool((info.external_attr >> 16) & stat.S_IXUSR)


def _epoch(infos: Iterable[zipfile.ZipInfo]) -> int:
    """The newest member time, read back as the UTC time build's writer stores."""
    newest = max(info.date_time for info in infos)
    return calendar.timegm((*newest, 0, 0, 0))


def _component_count(sbom: bytes) -> int:
    try:
        components = json.loads(sbom).get("components", [])
    except (ValueError, AttributeError):
        raise InvalidInputError(f"the bundle's {SBOM_MEMBER} is not a JSON object") from None
    return len(components) if isinstance(components, list) else 0


def reseal_bundle(
    bundle: Path,
    output_dir: Path,
    sealer: Sealer,
    reporter: Reporter,
    *,
    limits: BundleLimits | None = None,
) -> tuple[BuildSummary, BuiltFile]:
    """Re-pack ``bundle`` into ``output_dir`` with the seal added (module docstring).

    Returns the sealed bundle's summary and the prebuilt file's digest.
    """
    if not bundle.name.endswith(BUNDLE_SUFFIX) or bundle.name == BUNDLE_SUFFIX:
        raise UsageError(f"a prebuilt bundle must be a .mcpb file: {bundle}")
    if not bundle.is_file():
        raise InvalidInputError("no such bundle", path=bundle)
    original = built_file(bundle)
    _, ident = checked_manifest(bundle, reporter)  # AI-01 before anything is extracted
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(
            f"cannot create output directory: {exc.strerror}", path=output_dir
        ) from None
    warnings: list[str] = []
    with (
        SafeBundle(bundle, limits) as safe,
        tempfile.TemporaryDirectory(prefix=".mtf-reseal-", dir=output_dir) as tmp,
    ):
        if not safe.has(SBOM_MEMBER):
            raise InvalidInputError(
                f"the bundle has no {SBOM_MEMBER}: build it with `mtf-attest build`, which "
                "records what it vendors",
                path=bundle,
            )
        root = Path(tmp)
        names = safe.extract_all(root)
        with zipfile.ZipFile(bundle) as archive:  # vetted by SafeBundle above
            infos = {info.filename: info for info in archive.infolist()}
        replaced = [n for n in names if n.startswith(EMBEDDED_DIR)]
        if replaced:
            warnings.append(f"replaced the bundle's earlier signature ({', '.join(replaced)})")
        entries = [
            BundleEntry(
                arcname=name,
                path=root / name,
                size=infos[name].file_size,
                executable=_executable(infos[name]),
            )
            for name in names
            if not name.startswith(EMBEDDED_DIR)
        ]
        sbom = (root / SBOM_MEMBER).read_bytes()
        item = SealInput(ident.name, ident.version, (root / MANIFEST_MEMBER).read_bytes(), sbom)
        entries += sealer(item)
        epoch = _epoch(infos[n] for n in names)
        total = sum(e.size for e in entries)
        with reporter.step(f"sealed {bundle.name} ({len(entries)} files)", total=total) as step:
            result = write_archive(entries, output_dir / bundle.name, epoch=epoch, progress=step)
    stem = bundle.name.removesuffix(BUNDLE_SUFFIX)
    sbom_path = output_dir / f"{stem}.sbom.cdx.json"
    atomic_write_bytes(sbom_path, sbom)
    hashes_path = output_dir / f"{stem}.hashes.json"
    write_hashes(result, hashes_path)
    for message in warnings:
        reporter.warn(message)
    platform = platform_of_file(bundle.name)
    summary = BuildSummary(
        name=ident.name,
        version=ident.version,
        server_type=ident.server_type,
        bundle=BuiltFile(path=str(result.path), sha256=result.sha256, size=result.size),
        sbom=built_file(sbom_path),
        hashes=built_file(hashes_path),
        file_count=len(result.files),
        component_count=_component_count(sbom),
        source_date_epoch=epoch,
        source_date_epoch_origin=EPOCH_ORIGIN,
        vendored_with=None,
        lockfile=None,
        warnings=warnings,
        platform_os=platform.os if platform else None,
        platform_arch=platform.arch if platform else None,
    )
    return summary, original


def attest_prebuilt(
    bundles: Sequence[Path],
    opts: AttestOptions,
    signer: Signer,
    reporter: Reporter,
    *,
    public_key: PublicKey | None = None,
    limits: BundleLimits | None = None,
) -> list[AttestResult]:
    """Seal, scan and attest each prebuilt bundle into ``opts.output_dir``.

    ``opts.source_dir`` is the checkout the bundles were built from (the
    provenance's source); ``opts.output_name``/``platform`` do not apply: each
    bundle keeps its file name, which build gave it.
    """
    if not bundles:
        raise UsageError("no prebuilt bundles given")
    check_vuln_options(opts.vulns)  # before any bundle is sealed
    seen: dict[str, Path] = {}
    for path in bundles:
        other = seen.setdefault(path.name, path)
        if other != path:
            raise UsageError(
                f"two prebuilt bundles are named {path.name} ({other} and {path}): build each "
                "platform with --platform-os/--platform-arch so their names differ"
            )
    results = []
    for path in bundles:
        started = _now()
        sealer = Sealer(signer)
        summary, original = reseal_bundle(
            path, opts.output_dir.resolve(), sealer, reporter, limits=limits
        )
        unsealed = ResourceDescriptor(
            name=path.name,
            digest={"sha256": original.sha256},
            annotations={"mtf.role": UNSEALED_ROLE, "size": original.size},
        )
        built = SealedBundle(summary, sealer, started, _now(), inputs=(unsealed,))
        results.append(attest_built(built, opts, signer, reporter, public_key=public_key))
    return results
