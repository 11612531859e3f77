"""SC-01 SBOM Generation (MTF-0.1 section 3.3): present, valid, complete.

* present: ``sbom.cdx.json``, ``sbom.json`` or ``sbom.spdx.json`` at the bundle
  root; for a source directory, the SBOM ``build`` would generate (see
  :mod:`mtf_action.scan.supply.sbom_view`). Missing: BLOCK.
* valid: CycloneDX 1.4-1.6 / SPDX 2.3+ JSON per its schema. Invalid or an
  unsupported version: BLOCK.
* complete against the bundle: every installed distribution the target ships
  (``*.dist-info/METADATA``, ``node_modules/**/package.json``) must be a
  component with that exact version and a purl. The severity table has no row
  for this; "SBOM MUST enumerate all direct and transitive dependencies" is the
  control's core requirement and a package missing from the SBOM escapes SC-02,
  so it blocks like an invalid SBOM. Components the target does not ship: WARN.
* required component fields (name, version, purl) missing: WARN; SHOULD fields
  (license, hash) missing: info, counted in the details.
* "SBOM older than lockfile": inside a bundle every member carries the same
  normalised timestamp, so file ages say nothing; there, staleness shows as the
  completeness findings above and as SC-03's lockfile/SBOM version mismatches.
  In a source directory the modification times of committed SBOM files are
  compared with the lockfiles' (WARN when the SBOM is older).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar

from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.result import ControlOutcome, Finding, Severity
from mtf_action.scan.supply.capping import capped
from mtf_action.scan.supply.locks import lock_view, rel_path
from mtf_action.scan.supply.sbom_doc import SbomDocument, package_key, same_version
from mtf_action.scan.supply.sbom_view import SBOM_NAMES, SbomView, sbom_view, start_validation
from mtf_action.scan.supply.vendored import VendoredPackage, VendoredSet, vendored_packages

_REGENERATE = "regenerate the SBOM from the bundle's contents (mtf-attest build does this)"


class SbomGeneration(Control):
    """SC-01: the bundle carries a valid SBOM listing everything it ships."""

    id: ClassVar[str] = "SC-01"

    def start(self, ctx: ScanContext) -> None:
        start_validation(ctx)

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        view = sbom_view(ctx)
        findings: list[Finding] = []
        if not view.present:
            if view.generation_error is not None:
                return ControlOutcome(error=f"no SBOM could be generated: {view.generation_error}")
            return ControlOutcome(findings=[self._missing(view)])
        for rejected in view.rejected:
            if rejected.verdict == "unverifiable" and view.documents:
                findings.append(
                    self.finding(
                        "sbom-unverifiable",
                        Severity.INFO,
                        "SBOM not validated",
                        rejected.reason,
                        blocks_at=None,
                        file=rejected.path,
                    )
                )
            elif rejected.verdict == "unverifiable":
                return ControlOutcome(error=f"{rejected.path}: {rejected.reason}")
            else:
                findings.append(
                    self.finding(
                        f"sbom-{rejected.verdict}",
                        Severity.HIGH,
                        "SBOM is not a valid document of a supported format",
                        rejected.reason,
                        blocks_at=1,
                        file=rejected.path,
                        remediation="ship CycloneDX 1.4-1.6 or SPDX 2.3 JSON that validates "
                        "against its schema",
                    )
                )
        vendored = vendored_packages(ctx)
        for document in view.documents:
            findings += self._document(document, vendored.packages)
        findings += self._age(ctx, view)
        findings += [
            self.finding(
                "sbom-generation-note",
                Severity.INFO,
                "Note from SBOM generation",
                note,
                blocks_at=None,
            )
            for note in view.notes
        ]
        return ControlOutcome(findings=capped(findings), details=self._details(ctx, view, vendored))

    def _missing(self, view: SbomView) -> Finding:
        elsewhere = ""
        if view.elsewhere:
            elsewhere = f"; SBOM-like files elsewhere: {', '.join(view.elsewhere[:5])}"
        return self.finding(
            "sbom-missing",
            Severity.HIGH,
            "No SBOM in the bundle",
            f"none of {', '.join(SBOM_NAMES)} is at the bundle root{elsewhere}",
            blocks_at=1,
            remediation="build the bundle with mtf-attest build, which adds sbom.cdx.json",
        )

    def _document(self, doc: SbomDocument, shipped: tuple[VendoredPackage, ...]) -> list[Finding]:
        findings: list[Finding] = []
        if doc.newer_than_mtf:
            findings.append(
                self.finding(
                    "sbom-format-newer",
                    Severity.LOW,
                    f"CycloneDX {doc.spec_version} is newer than MTF v0.1 lists",
                    "MTF SC-01 lists CycloneDX 1.4, 1.5 and 1.6; consumers may not read it",
                    blocks_at=None,
                    file=doc.path,
                )
            )
        incomplete = [
            c for c in doc.components if not (c.name and c.version and c.purl is not None)
        ]
        for c in incomplete:
            lacking = [
                f for f, v in (("name", c.name), ("version", c.version), ("purl", c.purl)) if not v
            ]
            findings.append(
                self.finding(
                    "component-missing-fields",
                    Severity.MEDIUM,
                    f"Component {c.name or c.ref} lacks {', '.join(lacking)}",
                    "MTF SC-01 requires name, version and purl for every component",
                    blocks_at=None,
                    file=doc.path,
                )
            )
        listed: dict[tuple[str, str], list[str]] = defaultdict(list)
        for c in doc.components:
            if c.purl_type and c.key and c.version:
                listed[(c.purl_type, c.key)].append(c.version)
        for package in shipped:
            key = (package.ecosystem, package_key(package.ecosystem, None, package.name))
            versions = listed.get(key, [])
            if any(same_version(package.ecosystem, package.version, v) for v in versions):
                continue
            where = f"listed as {', '.join(sorted(versions))}" if versions else "not listed"
            findings.append(
                self.finding(
                    "package-not-in-sbom",
                    Severity.HIGH,
                    f"{package.name} {package.version} is shipped but {where} in the SBOM",
                    f"{package.metadata} installs {package.name} {package.version}; "
                    f"{doc.path} must list every shipped dependency with its exact version "
                    "and purl",
                    blocks_at=1,
                    file=package.metadata,
                    remediation=_REGENERATE,
                )
            )
        findings += self._not_shipped(doc, shipped)
        findings += self._should_fields(doc)
        return findings

    def _should_fields(self, doc: SbomDocument) -> list[Finding]:
        """SHOULD fields (license, hash): counted, never a warning."""
        out = []
        for field, missing in (
            ("license", [c for c in doc.components if not c.licensed]),
            ("hash", [c for c in doc.components if not c.hashed]),
        ):
            if missing:
                names = ", ".join(c.name or c.ref for c in missing[:10])
                more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
                out.append(
                    self.finding(
                        f"component-without-{field}",
                        Severity.INFO,
                        f"{len(missing)} components without a {field}",
                        f"MTF SC-01 says components SHOULD carry a {field}: {names}{more}",
                        blocks_at=None,
                        file=doc.path,
                    )
                )
        return out

    def _not_shipped(
        self, doc: SbomDocument, shipped: tuple[VendoredPackage, ...]
    ) -> list[Finding]:
        have: dict[tuple[str, str], list[str]] = defaultdict(list)
        for package in shipped:
            key = package_key(package.ecosystem, None, package.name)
            have[(package.ecosystem, key)].append(package.version)
        vendored_ecosystems = {p.ecosystem for p in shipped}
        out = []
        for c in doc.components:
            # Only where the target vendors that ecosystem: a ``uv`` server's SBOM
            # lists what the host will install, which is not in the bundle.
            if c.purl_type not in vendored_ecosystems or not c.key or not c.version:
                continue
            versions = have.get((c.purl_type, c.key), [])
            if any(same_version(c.purl_type, c.version, v) for v in versions):
                continue
            out.append(
                self.finding(
                    "sbom-component-not-shipped",
                    Severity.LOW,
                    f"SBOM lists {c.name} {c.version}, which the bundle does not ship",
                    f"no installed {c.purl_type} package {c.name} {c.version} was found; "
                    "the SBOM may be stale or list development dependencies",
                    blocks_at=None,
                    file=doc.path,
                    remediation=_REGENERATE,
                )
            )
        return out

    def _age(self, ctx: ScanContext, view: SbomView) -> list[Finding]:
        if ctx.kind != "directory":
            return []
        committed = [d for d in view.documents if not d.generated]
        locks = [rel_path(ctx, lock) for lock in lock_view(ctx).lockfiles]
        return [
            self.finding(
                "sbom-older-than-lockfile",
                Severity.MEDIUM,
                f"{doc.path} is older than {lock}",
                "the lockfile changed after the SBOM was written",
                blocks_at=None,
                file=doc.path,
                remediation=_REGENERATE,
            )
            for doc in committed
            for lock in locks
            if ctx.mtime(lock) > ctx.mtime(doc.path)
        ]

    def _details(self, ctx: ScanContext, view: SbomView, vendored: VendoredSet) -> dict[str, Any]:
        components = [c for d in view.documents for c in d.components]
        return {
            "sboms": [
                {
                    "file": d.path,
                    "format": d.format,
                    "spec_version": d.spec_version,
                    "components": len(d.components),
                    "generated": d.generated,
                }
                for d in view.documents
            ],
            "rejected": [{"file": r.path, "reason": r.reason} for r in view.rejected],
            "shipped_packages": {
                "pypi": len(vendored.of("pypi")),
                "npm": len(vendored.of("npm")),
            },
            "components_without_license": sum(not c.licensed for c in components),
            "components_without_hash": sum(not c.hashed for c in components),
            "sbom_age_check": (
                "committed SBOM file times compared with the lockfiles'"
                if ctx.kind == "directory"
                else "not possible in a bundle (all members carry one normalised timestamp); "
                "staleness shows as completeness findings and SC-03 version mismatches"
            ),
            "notes": list(view.notes),
        }
