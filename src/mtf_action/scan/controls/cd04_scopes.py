"""CD-04 Credential Scope Declaration (MTF-0.1 section 3.5, L3, scanner).

Severity table, as findings (``blocks_at=3`` is "BLOCK" for an L3 control):

| Finding                                      | rule                      | action |
| -------------------------------------------- | ------------------------- | ------ |
| OAuth used without ``credentials`` declaration | oauth-undeclared        | BLOCK  |
| CRITICAL scope without justification         | critical-scope-unjustified | BLOCK |
| HIGH scope without justification             | high-scope-unjustified    | WARN   |
| Over-broad scope with narrow alternative     | over-broad-scope          | WARN   |
| Scope not used by any declared tool          | scope-unused              | WARN   |

Scopes are classified by :mod:`mtf_action.scan.credentials.scopes` (data in
``oauth_scopes.json``, with the source of every rule). "OAuth used" is what the
server code shows (:mod:`mtf_action.scan.credentials.signals`); evidence that
names a provider (msal, a Google token endpoint...) needs a credential of that
provider. "Scope not used" is decided only where it can be: the scope belongs to
a service with a known vocabulary (calendar, mail, repositories...), the
manifest lists its tools (``tools_generated`` is not true) and no tool name or
description uses any of the service's words.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import line_of, raw_manifest
from mtf_action.scan.credentials.catalog import Risk
from mtf_action.scan.credentials.code import code_evidence
from mtf_action.scan.credentials.declared import DeclaredCredential, declared_credentials
from mtf_action.scan.credentials.justification import is_justified
from mtf_action.scan.credentials.scopes import ScopeClass, classify, provider_id
from mtf_action.scan.credentials.signals import OAuthEvidence
from mtf_action.scan.result import ControlOutcome, Finding, Severity

LEVEL = 3
MANIFEST = "manifest.json"
_EVIDENCE_SHOWN = 3
_DETAILS_LIMIT = 50
_SPLIT = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def tool_vocabulary(raw: dict[str, Any]) -> str | None:
    """Tool names (split into words) and descriptions, lower-cased; None when undecidable."""
    tools = raw.get("tools")
    if raw.get("tools_generated") is True or not isinstance(tools, list) or not tools:
        return None
    parts: list[str] = []
    for tool in tools:
        if isinstance(tool, dict):
            for key in ("name", "description"):
                value = tool.get(key)
                if isinstance(value, str):
                    parts.append(" ".join(_SPLIT.findall(value)) if key == "name" else value)
    return " ".join(parts).casefold() if parts else None


def uses_any(vocabulary: str, keywords: tuple[str, ...]) -> bool:
    """Keywords match at word starts (whole words when three letters or fewer)."""
    for word in keywords:
        tail = r"\b" if len(word) <= 3 else ""
        if re.search(rf"\b{re.escape(word.casefold())}{tail}", vocabulary):
            return True
    return False


class CredentialScopes(Control):
    """CD-04: declared OAuth scopes, their risk and justification; undeclared OAuth in code."""

    id: ClassVar[str] = "CD-04"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        raw = raw_manifest(ctx)
        credentials = declared_credentials(raw)
        code = code_evidence(ctx)
        if not credentials and code.scope.empty:
            return ControlOutcome(
                skipped="no credentials declared and no Python or JavaScript server code "
                "to look for OAuth flows in",
                details={"credentials": 0, "code": code.details()},
            )
        findings = self._undeclared(credentials, code.oauth)
        vocabulary = tool_vocabulary(raw)
        classes: list[dict[str, object]] = []
        for credential in credentials:
            findings.extend(self._credential(ctx, credential, vocabulary, classes))
        findings.extend(
            self.finding(
                "not-analysed",
                Severity.LOW,
                "Server file not analysed for OAuth flows",
                "the file does not parse (syntax error or not UTF-8), so OAuth use in it "
                "could not be ruled out",
                blocks_at=None,
                file=path,
            )
            for path in code.not_analysed
        )
        details: dict[str, Any] = {
            "credentials": len(credentials),
            "scopes": classes[:_DETAILS_LIMIT],
            "oauth_evidence": [e.as_dict() for e in code.oauth[:_DETAILS_LIMIT]],
            "tool_usage_decidable": vocabulary is not None,
            "code": code.details(),
        }
        return ControlOutcome(findings=findings, details=details)

    # -- OAuth in code ------------------------------------------------------------------
    def _undeclared(
        self, credentials: list[DeclaredCredential], evidence: list[OAuthEvidence]
    ) -> list[Finding]:
        declared = {provider_id(c.provider) or (c.provider or "").casefold() for c in credentials}
        missing = [
            e
            for e in evidence
            if not credentials or (e.provider is not None and e.provider not in declared)
        ]
        by_file: dict[str, list[OAuthEvidence]] = {}
        for item in missing:
            by_file.setdefault(item.file, []).append(item)
        findings: list[Finding] = []
        for path, items in by_file.items():
            providers = sorted({e.provider for e in items if e.provider})
            what = ", ".join(f"{e.detail} (line {e.line})" for e in items[:_EVIDENCE_SHOWN])
            more = (
                f" and {len(items) - _EVIDENCE_SHOWN} more" if len(items) > _EVIDENCE_SHOWN else ""
            )
            target = (
                f"a credentials entry for {', '.join(providers)}"
                if credentials
                else "a credentials declaration"
            )
            findings.append(
                self.finding(
                    "oauth-undeclared",
                    Severity.HIGH,
                    "OAuth used without credentials declaration",
                    f"the code runs an OAuth flow ({what}{more}) but the manifest has no "
                    f"{target.removeprefix('a ')}; MTF CD-04: bundles requiring OAuth MUST "
                    "declare all scopes (BLOCK at L3)",
                    blocks_at=LEVEL,
                    file=path,
                    line=items[0].line,
                    remediation=f'add {target} under _meta["org.mpaktrust"].credentials '
                    "with provider, scopes and justification",
                )
            )
        return findings

    # -- declared scopes -------------------------------------------------------------------
    def _credential(
        self,
        ctx: ScanContext,
        credential: DeclaredCredential,
        vocabulary: str | None,
        classes: list[dict[str, object]],
    ) -> list[Finding]:
        findings: list[Finding] = []
        if not credential.scopes:
            findings.append(
                self.finding(
                    "scopes-missing",
                    Severity.MEDIUM,
                    "Credential without scopes",
                    f"{credential.label} lists no scopes; MTF CD-04: all scopes MUST be declared",
                    blocks_at=None,
                    file=MANIFEST,
                    line=line_of(ctx, credential.pointer),
                    remediation="list every OAuth scope the server requests",
                )
            )
        justified = is_justified(credential.justification)
        for index, scope in enumerate(credential.scopes):
            klass = classify(scope, credential.provider)
            classes.append({**klass.as_dict(), "credential": credential.index})
            line = line_of(ctx, f"{credential.pointer}/scopes/{index}")
            findings.extend(self._scope(credential, klass, justified, vocabulary, line))
        return findings

    def _scope(
        self,
        credential: DeclaredCredential,
        klass: ScopeClass,
        justified: bool,
        vocabulary: str | None,
        line: int | None,
    ) -> list[Finding]:
        findings: list[Finding] = []
        name = f"{klass.scope!r} ({credential.label})"
        if klass.risk in (Risk.CRITICAL, Risk.HIGH) and not justified:
            critical = klass.risk is Risk.CRITICAL
            findings.append(
                self.finding(
                    "critical-scope-unjustified" if critical else "high-scope-unjustified",
                    Severity.CRITICAL if critical else Severity.HIGH,
                    f"{klass.risk.value.upper()} scope without justification: {klass.scope}",
                    f"{name} is {klass.risk.value.upper()} risk ({klass.why}) and the credential "
                    f"has no justification; MTF CD-04: {'BLOCK' if critical else 'WARN'}",
                    blocks_at=LEVEL if critical else None,
                    file=MANIFEST,
                    line=line,
                    remediation="explain in the credential's justification why the server "
                    "needs this scope, or request a narrower one",
                )
            )
        if klass.narrower:
            findings.append(
                self.finding(
                    "over-broad-scope",
                    Severity.MEDIUM,
                    f"Over-broad scope with a narrower alternative: {klass.scope}",
                    f"{name} grants more than a narrower scope would "
                    f"({', '.join(klass.narrower)}); MTF CD-04 requires least privilege",
                    blocks_at=None,
                    file=MANIFEST,
                    line=line,
                    remediation=f"request {' or '.join(klass.narrower)} if the tools allow",
                )
            )
        if klass.method == "unclassified":
            findings.append(
                self.finding(
                    "scope-unclassified",
                    Severity.INFO,
                    f"Scope not classified: {klass.scope}",
                    f"{name}: {klass.why}",
                    blocks_at=None,
                    file=MANIFEST,
                    line=line,
                )
            )
        if vocabulary is not None and klass.keywords and not uses_any(vocabulary, klass.keywords):
            findings.append(
                self.finding(
                    "scope-unused",
                    Severity.LOW,
                    f"Scope not used by any declared tool: {klass.scope}",
                    f"{name}: no declared tool mentions what it grants access to "
                    f"(looked for: {', '.join(klass.keywords[:6])})",
                    blocks_at=None,
                    file=MANIFEST,
                    line=line,
                    remediation="remove the scope, or declare the tool that needs it",
                )
            )
        return findings
