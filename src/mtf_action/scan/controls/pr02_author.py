"""PR-02 Author Identity (MTF-0.1 section 3.6): the publisher-side part.

PR-02 is enforced by the registry (identity tiers of PK-01, multi-owner
registration at L3+), so its outcome never counts toward the verified level;
the report shows it as an advisory pre-check. What a scan can check is what
the registry will look at in the manifest: ``author`` present, with a name
(the MCPB schema requires one) and a usable email (both BLOCK at L2+).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import line_of, raw_manifest
from mtf_action.scan.result import ControlOutcome, Finding, Severity

LEVEL = 2
MANIFEST = "manifest.json"
# One "@", no spaces, a dot in the domain: enough to catch placeholders and typos
# without pretending to validate deliverability.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


class AuthorIdentity(Control):
    """PR-02 (advisory): author name and contact email for accountability."""

    id: ClassVar[str] = "PR-02"

    def _block(self, ctx: ScanContext, rule: str, title: str, text: str, ptr: str) -> Finding:
        return self.finding(
            rule,
            Severity.MEDIUM,
            title,
            f"{text} (PR-02: BLOCK at L2 and above, enforced by the registry)",
            blocks_at=LEVEL,
            file=MANIFEST,
            line=line_of(ctx, ptr),
            remediation='add "author": {"name": "...", "email": "security contact address"}',
        )

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        raw = raw_manifest(ctx)
        details: dict[str, Any] = {
            "enforced_by": "registry",
            "not_checked": "identity tier (PK-01) and multi-owner registration at L3+: "
            "registry account data",
        }
        author = raw.get("author")
        if author is None:
            return ControlOutcome(
                findings=[
                    self._block(ctx, "author-missing", "No author", "no author field", "/author")
                ],
                details=details,
            )
        if not isinstance(author, dict):
            return ControlOutcome(
                findings=[
                    self._block(
                        ctx,
                        "author-invalid",
                        "Author is not an object",
                        "author must be an object with name and email",
                        "/author",
                    )
                ],
                details=details,
            )
        findings: list[Finding] = []
        name, email = author.get("name"), author.get("email")
        if not isinstance(name, str) or not name.strip():
            findings.append(
                self._block(
                    ctx,
                    "author-name-missing",
                    "No author name",
                    "author has no name",
                    "/author",
                )
            )
        if not isinstance(email, str) or not email.strip():
            findings.append(
                self._block(
                    ctx,
                    "author-email-missing",
                    "No author email",
                    "author has no email for security contact",
                    "/author",
                )
            )
        elif not _EMAIL.match(email.strip()):
            findings.append(
                self._block(
                    ctx,
                    "author-email-invalid",
                    "Author email is not an address",
                    f"author.email {email!r} is not an email address",
                    "/author/email",
                )
            )
        findings.append(
            self.finding(
                "identity-tier-not-verified",
                Severity.INFO,
                "Publisher identity not verified by this scan",
                "identity tier (PK-01) and multi-owner registration are registry account "
                "data; the registry enforces them at publication",
                blocks_at=None,
                file=MANIFEST,
            )
        )
        details["author"] = {"name": name if isinstance(name, str) else None}
        return ControlOutcome(findings=findings, details=details)
