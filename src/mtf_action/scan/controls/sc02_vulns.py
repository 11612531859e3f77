"""SC-02 Vulnerability Scanning (MTF-0.1 section 3.3; VEX format in section 5.4).

Every PyPI and npm component of the target's SBOM(s) (the one ``build``
generates, for a source directory) is checked against OSV advisories by
:mod:`mtf_action.vulns`; each vulnerability is one finding that names the
component, installed version, advisory ids (aliases merged), fixed versions,
CVSS, EPSS, KEV and the rule that decided:

* BLOCK from L2 (``blocks_at=2``): in CISA KEV; CVSS >= 9.0; CVSS >= 7.0 with
  EPSS > 0.10;
* WARN: CVSS 7.0-8.9 with EPSS <= 0.10 or unknown; CVSS 4.0-6.9; no CVSS;
  VEX ``under_investigation``; VEX ``not_affected`` without justification;
* INFO: CVSS < 4.0; every VEX suppression; a missing EPSS/KEV feed (the
  prioritisation then uses what is left); notes from matching.

Never a silent pass: an advisory source that is offline, unreachable or
rate-limited gives ``error``; components that could not be checked (other
ecosystems, no version, unknown to PyPI) are LOW findings. Locked and
installed packages the SBOM does not list are checked too; a target with no
SBOM, lockfile or installed package at all is skipped (SC-01 blocks it).
Findings point at the component's lockfile entry where there is one (SARIF).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import ChildProcessControl
from mtf_action.scan.controls._sc02_inputs import (
    TargetComponents,
    target_components,
    vex_documents,
)
from mtf_action.scan.result import ControlOutcome, Finding, Severity
from mtf_action.scan.supply.capping import capped
from mtf_action.scan.supply.locks import lock_view
from mtf_action.scan.supply.vendored import vendored_packages

if TYPE_CHECKING:
    from mtf_action.vulns.audit import AuditResult, VulnFinding
    from mtf_action.vulns.session import Feed

CAP = 100  # findings per rule before one summary finding (details keep them all)


class VulnerabilityScanning(ChildProcessControl):
    """SC-02: known vulnerabilities of the shipped components, prioritised by CVSS, EPSS, KEV."""

    id: ClassVar[str] = "SC-02"

    def prepare(self, ctx: ScanContext) -> bool:
        """The lookup runs in a child (network waits and the HTTP stack's imports
        stay off the scan's core); the lockfile and installed-package views, which
        other controls use too, are built here first."""
        lock_view(ctx)
        vendored_packages(ctx)
        return True

    def evaluate_here(self, ctx: ScanContext) -> ControlOutcome:
        from mtf_action.vulns.audit import run_audit
        from mtf_action.vulns.http import SourceUnavailable
        from mtf_action.vulns.session import VulnSession
        from mtf_action.vulns.vex import VexIndex

        found = target_components(ctx)
        if found.skipped is not None:
            return ControlOutcome(skipped=found.skipped)
        documents, problems = vex_documents(ctx)
        session = VulnSession(ctx.options.vulns)
        try:
            result = run_audit(found.components, session, VexIndex(documents))
        except SourceUnavailable as exc:
            return ControlOutcome(
                error=f"vulnerability source unavailable: {exc.one_line()}",
                details={
                    "source": session.source.description,
                    "unreachable": True,
                    "components": len(found.components),
                },
            )
        finally:
            session.close()
        kev_known = result.kev is not None and result.kev.data is not None
        findings = [self._vulnerability(v, kev_known) for v in result.findings]
        findings += [f for v in result.findings for f in self._vex_note(v)]
        findings += [self._suppressed(v) for v in result.suppressed]
        findings += [
            self.finding(
                "vex-invalid",
                Severity.MEDIUM,
                "VEX document not usable",
                p.reason,
                blocks_at=None,
                file=p.origin,
            )
            for p in problems
        ]
        findings += self._coverage(found, result)
        return ControlOutcome(findings=capped(findings, CAP), details=_details(found, result))

    def _vulnerability(self, v: VulnFinding, kev_known: bool) -> Finding:
        c, g, d = v.component, v.group, v.decision
        fixed = ", ".join(g.fixed) if g.fixed else "no fixed version published"
        if not g.fixed and g.last_affected:
            fixed += f" (last affected: {', '.join(g.last_affected)})"
        summary = f" {g.summary}" if g.summary else ""
        if summary and not summary.endswith("."):
            summary += "."
        text = (
            f"{c.name} {c.version} is affected by {', '.join(g.ids)}.{summary} "
            f"Fixed in: {fixed}. CVSS: {_cvss(v)}. EPSS: {_epss(v)}. KEV: {_kev(v, kev_known)}. "
            f"Rule: {d.rule} ({d.reason})."
        )
        if v.vex is not None:
            text += f" VEX ({v.vex.origin}): {v.vex.note}."
        remedy = (
            f"upgrade {c.name} to {g.fixed[0]} or later"
            if g.fixed
            else f"no fix is published: replace {c.name}, or publish an OpenVEX not_affected "
            "statement with a justification if the bundle is not affected"
        )
        return self.finding(
            d.rule,
            d.severity,
            f"{c.name} {c.version}: {g.primary}",
            text,
            blocks_at=d.blocks_at,
            file=c.file,
            line=c.line,
            remediation=remedy,
        )

    def _vex_note(self, v: VulnFinding) -> list[Finding]:
        if v.vex is None or v.vex.effect not in ("unjustified", "fixed-elsewhere"):
            return []
        unjustified = v.vex.effect == "unjustified"
        return [
            self.finding(
                "vex-not-affected-unjustified" if unjustified else "vex-fixed-other-version",
                Severity.MEDIUM if unjustified else Severity.INFO,
                f"VEX statement for {v.group.primary} not honoured",
                f"{v.vex.origin}: {v.vex.note} ({v.component.name} {v.component.version})",
                blocks_at=None,
                file=v.vex.origin,
                remediation="add one of the OpenVEX justifications (MTF 5.4)"
                if unjustified
                else "state fixed only for the version that carries the fix",
            )
        ]

    def _suppressed(self, v: VulnFinding) -> Finding:
        assert v.vex is not None
        return self.finding(
            "vex-suppressed",
            Severity.INFO,
            f"{v.component.name} {v.component.version}: {v.group.primary} suppressed by VEX",
            f"{', '.join(v.group.ids)} would be {v.decision.rule} ({_cvss(v)}); "
            f"{v.vex.origin} says {v.vex.note}",
            blocks_at=None,
            file=v.vex.origin,
        )

    def _coverage(self, found: TargetComponents, result: AuditResult) -> list[Finding]:
        out = [
            self.finding(
                "component-not-scanned", Severity.LOW, f"{what} not checked", why, blocks_at=None
            )
            for what, why in (*found.unscanned, *result.unscanned.items())
        ]
        for name, feed in (("EPSS", result.epss), ("KEV", result.kev)):
            if feed is not None and feed.missing is not None:
                out.append(
                    self.finding(
                        f"{name.lower()}-unavailable",
                        Severity.INFO,
                        f"No {name} data: prioritised without it",
                        f"{feed.missing}; the {name} blocking rule could not be applied "
                        f"(pass --{name.lower()} FILE with an official copy)",
                        blocks_at=None,
                    )
                )
        out += [
            self.finding(
                "scan-note", Severity.INFO, "Vulnerability scan note", note, blocks_at=None
            )
            for note in (*found.notes, *result.notes)
        ]
        return out


def _cvss(v: VulnFinding) -> str:
    if v.cvss.score is None:
        return "unknown"
    return f"{v.cvss.score} {v.cvss.score.vector}"


def _epss(v: VulnFinding) -> str:
    if v.epss is None:
        return "unknown"
    return f"{v.epss.probability:.4f} (percentile {v.epss.percentile:.3f}, {v.epss_cve})"


def _kev(v: VulnFinding, known: bool) -> str:
    if v.kev is not None:
        return f"yes (added {v.kev.date_added})"
    if not known:
        return "unknown (no KEV data)"
    return "no" if v.group.cves else "no (no CVE id)"


def _feed(feed: Feed | None) -> dict[str, Any] | None:
    if feed is None:
        return None
    info: dict[str, Any] = {"origin": feed.origin, "missing": feed.missing}
    data = feed.data
    for attr in ("model_version", "score_date", "catalog_version", "released"):
        if hasattr(data, attr):
            info[attr] = getattr(data, attr)
    return info


def _row(v: VulnFinding) -> dict[str, Any]:
    return {
        "component": v.component.name,
        "version": v.component.version,
        "purl": v.component.purl,
        "ids": list(v.group.ids),
        "fixed": list(v.group.fixed),
        "cvss": v.cvss.score.base_score if v.cvss.score else None,
        "cvss_vector": v.cvss.score.vector if v.cvss.score else None,
        "epss": v.epss.probability if v.epss else None,
        "kev": v.kev is not None,
        "rule": v.decision.rule,
        "blocks_at": v.decision.blocks_at,
        "vex": v.vex.note if v.vex else None,
        "file": v.component.file,
        "line": v.component.line,
    }


def _details(found: TargetComponents, result: AuditResult) -> dict[str, Any]:
    return {
        "source": result.source,
        "sboms": list(found.sboms),
        "components": result.components,
        "vulnerabilities": [_row(v) for v in result.findings],
        "suppressed": [
            _row(v) | {"vex_file": v.vex.origin if v.vex else None} for v in result.suppressed
        ],
        "unscanned": dict(found.unscanned) | result.unscanned,
        "epss": _feed(result.epss),
        "kev": _feed(result.kev),
        "cache": result.cache,
        "duration_ms": result.duration_ms,
    }
