"""UP-02 Breaking Change Policy and UP-04 Version Monotonicity (MTF-0.1 section 3.10, L2).

Both are enforced by the registry against its version history; a publisher-side
scan compares the release with the one given as ``--previous PATH`` (manifest,
server directory or .mcpb) and reports what the registry will refuse, as an
advisory pre-check (never counted toward the verified level). Without
``--previous`` both are skipped.

UP-02: every change of the spec's "MCP-Specific Breaking Changes" table (tool
removed or renamed, parameter removed, required parameter added, permission
expanded, OAuth scope added) without a major version bump is a finding -- HIGH
in a patch or pre-release step ("Breaking change in patch version: WARN"),
MEDIUM in a minor step; the registry warns, so these never block. The same
version with a different manifest (or, for two bundles, a different digest) is
a modified republication: BLOCK. The full diff is in ``details``: it is what a
consumer must consent to before an automatic update (UP-01).

UP-04: the new version must be greater than the previous one by SemVer
precedence; equal ("version already exists") or lower: BLOCK. The registry
compares with every published version; a scan knows the previous one only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from mtf_action.digests import sha256_file
from mtf_action.manifest.loader import LoadedManifest
from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import line_of
from mtf_action.scan.result import ControlOutcome, Finding, Severity
from mtf_action.scan.updates import versions
from mtf_action.scan.updates.diff import release_diff
from mtf_action.scan.updates.previous import previous_manifest

LEVEL = 2
MANIFEST = "manifest.json"
NO_PREVIOUS = "no previous release to compare with (give one with --previous PATH)"


def _release(loaded: LoadedManifest) -> dict[str, Any]:
    return {
        "name": loaded.raw.get("name"),
        "version": loaded.raw.get("version"),
        "source": loaded.source,
    }


class BreakingChangePolicy(Control):
    """UP-02 (advisory): breaking changes need a major version bump; versions are immutable."""

    id: ClassVar[str] = "UP-02"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        previous = previous_manifest(ctx)
        if previous is None:
            return ControlOutcome(skipped=ctx.options.previous_missing or NO_PREVIOUS)
        current = ctx.loaded_manifest()
        old_raw, new_raw = previous.raw, current.raw
        old_v, new_v = (
            versions.parse(old_raw.get("version")),
            versions.parse(new_raw.get("version")),
        )
        bump = versions.bump(old_v, new_v) if old_v and new_v else None
        allowed = old_v is not None and new_v is not None and versions.allows_breaking(old_v, new_v)
        diff = release_diff(old_raw, new_raw)
        findings: list[Finding] = []
        if old_raw.get("name") != new_raw.get("name"):
            findings.append(
                self.finding(
                    "previous-name-differs",
                    Severity.MEDIUM,
                    "Previous release has another name",
                    f"--previous is {old_raw.get('name')!r}, this release is "
                    f"{new_raw.get('name')!r}: the comparison may be with the wrong package",
                    blocks_at=None,
                    file=MANIFEST,
                    line=line_of(ctx, "/name"),
                )
            )
        if not allowed:
            severity = Severity.MEDIUM if bump == "minor" else Severity.HIGH
            step = bump or "unknown (a version is not SemVer)"
            for rule, text in diff.breaking():
                findings.append(
                    self.finding(
                        rule,
                        severity,
                        f"Breaking change without a major version bump: {text}",
                        f"{text}; version step {old_raw.get('version')} -> "
                        f"{new_raw.get('version')} is {step}. MTF UP-02: breaking changes MUST "
                        "increment the major version (registry: WARN publisher)",
                        blocks_at=None,
                        file=MANIFEST,
                        line=line_of(ctx, "/version"),
                        remediation="release this as a new major version, or keep the old "
                        "behaviour",
                    )
                )
        if bump == "same":
            findings.extend(self._republished(ctx, previous, current))
        details: dict[str, Any] = {
            "enforced_by": "registry",
            "previous": _release(previous),
            "current": _release(current),
            "version_bump": bump,
            "breaking_changes_allowed": allowed,
            "breaking_changes": [text for _, text in diff.breaking()],
            **diff.as_dict(),
        }
        return ControlOutcome(findings=findings, details=details)

    def _republished(
        self, ctx: ScanContext, previous: LoadedManifest, current: LoadedManifest
    ) -> list[Finding]:
        changed: list[str] = []
        if previous.data != current.data:
            changed.append("manifest.json differs")
        before = ctx.options.previous
        if (
            ctx.bundle_sha256 is not None
            and before is not None
            and before.is_file()
            and before.suffix.lower() == ".mcpb"
            and sha256_file(before) != ctx.bundle_sha256
        ):
            changed.append("bundle digest differs")
        if not changed:
            return []
        return [
            self.finding(
                "republished-version-modified",
                Severity.CRITICAL,
                "Version re-published with different content",
                f"version {current.raw.get('version')} is the previous release's version but "
                f"{' and '.join(changed)}; MTF UP-02: published versions MUST NOT be modified "
                "(BLOCK)",
                blocks_at=LEVEL,
                file=MANIFEST,
                line=line_of(ctx, "/version"),
                remediation="publish the change under a new version",
            )
        ]


class VersionMonotonicity(Control):
    """UP-04 (advisory): the new version is greater than the previous one (SemVer)."""

    id: ClassVar[str] = "UP-04"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        previous = previous_manifest(ctx)
        if previous is None:
            return ControlOutcome(skipped=ctx.options.previous_missing or NO_PREVIOUS)
        old_text = previous.raw.get("version")
        new_text = ctx.loaded_manifest().raw.get("version")
        details: dict[str, Any] = {
            "enforced_by": "registry",
            "previous": old_text,
            "current": new_text,
            "compared_with": "the previous release only; the registry compares with every "
            "published version",
        }
        old_v = versions.parse(old_text)
        if old_v is None:
            return ControlOutcome(
                error=f"{previous.source}: previous version {old_text!r} is not SemVer 2.0.0; "
                "monotonicity cannot be checked",
                details=details,
            )
        new_v = versions.parse(new_text)
        line = line_of(ctx, "/version")
        if new_v is None:
            return ControlOutcome(
                findings=[
                    self.finding(
                        "version-invalid",
                        Severity.HIGH,
                        "Version is not SemVer",
                        f"version {new_text!r} cannot be ordered after {old_text!r} "
                        "(MTF UP-04: BLOCK publication)",
                        blocks_at=LEVEL,
                        file=MANIFEST,
                        line=line,
                        remediation="use a SemVer 2.0.0 version greater than the previous one",
                    )
                ],
                details=details,
            )
        order = new_v.compare(old_v)
        details["bump"] = versions.bump(old_v, new_v)
        if order > 0:
            return ControlOutcome(details=details)
        exists = order == 0
        return ControlOutcome(
            findings=[
                self.finding(
                    "version-exists" if exists else "version-not-monotonic",
                    Severity.HIGH,
                    "Version already exists" if exists else "Non-monotonic version",
                    f"version {new_text} is "
                    f"{'equal in precedence to' if exists else 'lower than'} the previous "
                    f"release {old_text} (SemVer ignores build metadata); MTF UP-04: "
                    "V_new > V_existing, BLOCK publication",
                    blocks_at=LEVEL,
                    file=MANIFEST,
                    line=line,
                    remediation=f"use a version greater than {old_text}",
                )
            ],
            details=details,
        )
