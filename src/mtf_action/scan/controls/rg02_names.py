"""RG-02 Name Pattern Review (MTF-0.1 section 3.7, L2): the publisher-side pre-check.

RG-02 is enforced by the registry (account age, identity tier and operator
approval decide whether a high-risk name may proceed), so its outcome never
counts toward the verified level; the report shows it as an advisory pre-check
of what the registry will look at in the manifest's ``name``:

| Finding                                      | rule                       | action           |
| -------------------------------------------- | -------------------------- | ---------------- |
| Homoglyph / invisible character in the name  | homoglyph                  | BLOCK            |
| Scope mimicry (CRITICAL)                     | scope-mimicry              | BLOCK            |
| Service name without affiliation disclaimer  | service-name-undisclaimed  | BLOCK            |
| Levenshtein <= 2 from a popular name         | similar-name               | enhanced review  |
| Version-like suffix on a known name          | version-suffix             | enhanced review  |
| Generic / framework-plugin compound          | generic-compound           | enhanced review  |
| Mixed scripts without look-alikes            | mixed-scripts              | WARN             |

"Enhanced review" blocks at the registry only for a new, unverified account
(data a scan does not have): WARN here, with the registry's rule in the text.
Every similarity finding names the known name it resembles and the list it
comes from (``popular_mcp_names.json`` states each list's source).
"""

from __future__ import annotations

from typing import Any, ClassVar

from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import line_of, raw_manifest
from mtf_action.scan.names import patterns
from mtf_action.scan.names.catalog import popular_names
from mtf_action.scan.names.forms import NameForms
from mtf_action.scan.names.lookalike import analyse
from mtf_action.scan.names.similarity import neighbours, scope_lookalikes
from mtf_action.scan.result import ControlOutcome, Finding, Severity

LEVEL = 2
MANIFEST = "manifest.json"
_REVIEW = (
    "the registry holds it for enhanced review: it proceeds if the publisher account is "
    "older than 30 days, the organisation identity is verified (Tier 1/2) or an operator "
    "approves it (MTF RG-02)"
)


class NamePatternReview(Control):
    """RG-02 (advisory): typosquatting and slopsquatting patterns in the package name."""

    id: ClassVar[str] = "RG-02"

    def _at(self, ctx: ScanContext, rule: str, severity: Severity, title: str, text: str,
            *, blocks: bool, pointer: str = "/name", remediation: str | None = None) -> Finding:  # fmt: skip
        return self.finding(
            rule,
            severity,
            title,
            text,
            blocks_at=LEVEL if blocks else None,
            file=MANIFEST,
            line=line_of(ctx, pointer),
            remediation=remediation,
        )

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        raw = raw_manifest(ctx)
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            return ControlOutcome(skipped="the manifest has no name to review (AI-01 reports it)")
        forms = NameForms.parse(name)
        findings = self._unicode(ctx, name, raw.get("display_name"))
        findings.extend(self._scope(ctx, forms))
        findings.extend(self._similar(ctx, forms))
        findings.extend(self._patterns(ctx, forms))
        findings.extend(self._services(ctx, forms, raw))
        details: dict[str, Any] = {
            "enforced_by": "registry",
            "name": name,
            "compared_as": forms.full,
            "popular_names": len(popular_names().all_names()),
            "not_checked": "publisher account age, identity tier (PK-01) and operator "
            "approval: registry account data",
        }
        return ControlOutcome(findings=findings, details=details)

    def _unicode(self, ctx: ScanContext, name: str, display: object) -> list[Finding]:
        findings: list[Finding] = []
        found = analyse(name)
        if found.deceptive:
            findings.append(
                self._at(
                    ctx,
                    "homoglyph",
                    Severity.CRITICAL,
                    "Homoglyph in name",
                    f"{name!r} reads as {found.skeleton!r}: {found.explain()} (MTF RG-02: BLOCK)",
                    blocks=True,
                    remediation="use plain ASCII letters, digits and hyphens in the name",
                )
            )
        elif found.mixed_scripts:
            findings.append(
                self._at(
                    ctx,
                    "mixed-scripts",
                    Severity.MEDIUM,
                    "Mixed scripts in name",
                    f"{name!r} mixes {' + '.join(found.scripts)} letters (no look-alikes found)",
                    blocks=False,
                )
            )
        if isinstance(display, str) and analyse(display).deceptive:
            shown = analyse(display)
            findings.append(
                self._at(
                    ctx,
                    "homoglyph-display-name",
                    Severity.HIGH,
                    "Homoglyph in display name",
                    f"display_name {display!r} reads as {shown.skeleton!r}: {shown.explain()}",
                    blocks=False,
                    pointer="/display_name",
                )
            )
        return findings

    def _scope(self, ctx: ScanContext, forms: NameForms) -> list[Finding]:
        if forms.scope is None:
            return []
        imitated = scope_lookalikes(forms.scope)
        if not imitated:
            return []
        what = "; ".join(f"@{known} ({how})" for known, how in imitated[:3])
        return [
            self._at(
                ctx,
                "scope-mimicry",
                Severity.CRITICAL,
                "Scope mimics a known organisation",
                f"scope @{forms.scope} resembles {what} (MTF RG-02 scope mimicry: CRITICAL, BLOCK)",
                blocks=True,
                remediation="publish under your own organisation's scope",
            )
        ]

    def _similar(self, ctx: ScanContext, forms: NameForms) -> list[Finding]:
        close = neighbours(forms)
        if not close:
            return []
        listed = ", ".join(
            f"{n.known} (distance {n.distance} on the {n.form} name; list: {n.group})"
            for n in close[:3]
        )
        return [
            self._at(
                ctx,
                "similar-name",
                Severity.HIGH,
                "Name similar to a popular MCP package",
                f"{forms.full!r} is within Levenshtein distance 2 of {listed}; {_REVIEW}",
                blocks=False,
                remediation="choose a distinct name, or state the relation in the description",
            )
        ]

    def _patterns(self, ctx: ScanContext, forms: NameForms) -> list[Finding]:
        findings: list[Finding] = []
        suffixed = patterns.version_suffix(forms)
        if suffixed is not None:
            suffix, base = suffixed
            findings.append(
                self._at(
                    ctx,
                    "version-suffix",
                    Severity.HIGH,
                    "Version-like suffix on a known name",
                    f"{forms.full!r} is {base!r} with the suffix {suffix!r}; {_REVIEW}",
                    blocks=False,
                )
            )
        generic = patterns.generic_pattern(forms)
        if generic is not None:
            findings.append(
                self._at(
                    ctx,
                    "generic-compound",
                    Severity.HIGH,
                    "Generic compound name",
                    f"{forms.bare!r} is a {generic}, a low-effort squatting shape; {_REVIEW}",
                    blocks=False,
                )
            )
        return findings

    def _services(self, ctx: ScanContext, forms: NameForms, raw: dict[str, Any]) -> list[Finding]:
        findings: list[Finding] = []
        for service in patterns.named_services(forms):
            if patterns.is_own(service, forms, raw) is not None:
                continue
            said = patterns.disclaimer(raw)
            if said is not None:
                findings.append(
                    self._at(
                        ctx,
                        "service-name-disclaimed",
                        Severity.INFO,
                        f"Service name with affiliation disclaimer: {service.name}",
                        f"{forms.full!r} names {service.name}; the description says {said!r}",
                        blocks=False,
                    )
                )
                continue
            findings.append(
                self._at(
                    ctx,
                    "service-name-undisclaimed",
                    Severity.HIGH,
                    f"Service name without affiliation disclaimer: {service.name}",
                    f"{forms.full!r} names {service.name}, but neither the author, scope or "
                    f"repository is {service.name}'s nor does the description disclaim an "
                    "affiliation (MTF RG-02: BLOCK)",
                    blocks=True,
                    remediation=f'say "unofficial, not affiliated with {service.name}" in the '
                    "description, or publish under the service's own scope",
                )
            )
        return findings
