"""Check ``bundle-digest``: the archive, its members and the SBOM agree with ``S.hashes.json``.

``hashes.json`` is not signed; what makes this check worth running is that the
bundle digest it records is the one the signed statements name (checked by the
``provenance``/``claim`` checks), and that its member list says *which* file
differs when a bundle was rebuilt or re-zipped (MTF AI-04). The embedded SBOM
must also be byte-identical to the published ``S.sbom.cdx.json`` (SC-01), so a
consumer reading the loose SBOM reads what is inside the bundle.
"""

from __future__ import annotations

from mtf_action.attest.assets import SBOM_MEMBER
from mtf_action.bundle.hashes import read_hashes
from mtf_action.models.verification import CheckResult
from mtf_action.verify.release import Release
from mtf_action.verify.result import CheckFailed, passed

_SHOWN = 5  # member names listed in a reason; details carry all of them


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")


def check_bundle_digest(release: Release) -> CheckResult:
    names = release.names
    document = read_hashes(release.existing_asset("hashes"))
    recorded = document.bundle
    if recorded.sha256 != release.bundle_sha256:
        raise CheckFailed(
            "bundle-sha256",
            f"{release.bundle_path.name} has sha256 {release.bundle_sha256}, but {names.hashes} "
            f"records {recorded.sha256} for {recorded.name}",
            actual=release.bundle_sha256,
            recorded=recorded.sha256,
        )
    if recorded.size != release.bundle_size:
        raise CheckFailed(
            "bundle-size",
            f"{release.bundle_path.name} is {release.bundle_size} bytes, {names.hashes} "
            f"records {recorded.size}",
        )
    actual = release.member_digests()
    listed = {f.path: (f.sha256, f.size) for f in document.files}
    missing = sorted(set(listed) - set(actual))
    extra = sorted(set(actual) - set(listed))
    changed = sorted(p for p in set(listed) & set(actual) if listed[p] != actual[p])
    if missing or extra or changed:
        problems = []
        if changed:
            problems.append(f"content differs: {_listed(changed)}")
        if extra:
            problems.append(f"not listed in {names.hashes}: {_listed(extra)}")
        if missing:
            problems.append(f"listed but absent: {_listed(missing)}")
        raise CheckFailed(
            "members",
            "bundle members do not match " + names.hashes + ": " + "; ".join(problems),
            changed=changed,
            extra=extra,
            missing=missing,
        )
    embedded = release.required_member(SBOM_MEMBER)
    published = release.read_asset("sbom")
    if embedded != published:
        raise CheckFailed(
            "sbom",
            f"{names.sbom} differs from the bundle's {SBOM_MEMBER} "
            f"({len(published)} vs {len(embedded)} bytes)",
        )
    return passed(
        "bundle-digest",
        f"sha256 {release.bundle_sha256} and all {len(actual)} members match {names.hashes}; "
        f"{names.sbom} equals the bundle's {SBOM_MEMBER}",
        sha256=release.bundle_sha256,
        size=release.bundle_size,
        members=len(actual),
    )
