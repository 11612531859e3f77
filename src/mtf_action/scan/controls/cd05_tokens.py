"""CD-05 Token Lifetime Limits (MTF-0.1 section 3.5, L3, scanner).

Per declared credential, from ``token_handling`` (``storage``, ``max_lifetime_seconds``,
``refresh``):

| Finding                                     | rule                         | action |
| ------------------------------------------- | ---------------------------- | ------ |
| Token persisted to file without declaration | token-file-undeclared        | WARN   |
| ``storage: file`` without justification     | persistent-storage-unjustified | WARN |
| Token lifetime > 24h without justification  | long-lifetime-unjustified    | WARN   |
| Indefinite token without justification      | indefinite-token-unjustified | BLOCK  |

Definitions (the spec leaves them open):

- ``file`` (spec prose) and ``disk`` (extension schema enum) both mean persistent
  storage. ``token_handling`` missing, or ``storage`` missing or not one of the
  known values, is the spec's "Unspecified: HIGH, assume worst case" -- a WARN,
  although the schema's default for ``storage`` is ``memory``.
- *Indefinite*: ``max_lifetime_seconds: 0`` (no limit), or no
  ``max_lifetime_seconds`` together with ``refresh: false`` -- a token that is
  never refreshed and declares no expiry is a long-lived static credential.
  Without ``max_lifetime_seconds`` but with refresh (the schema default), the
  lifetime is unknown: a LOW warning.
- *Justification*: the credential's ``justification`` when it talks about token
  handling (:func:`~mtf_action.scan.credentials.justification.justifies_token_handling`).
- *Token persisted to file* in code: :mod:`mtf_action.scan.credentials.token_store`;
  it is undeclared unless some credential declares ``disk``/``file`` storage
  (keychain writes need ``keychain`` or persistent storage declared, LOW).
"""

from __future__ import annotations

from typing import Any, ClassVar

from mtf_action.scan.context import ScanContext
from mtf_action.scan.control import Control
from mtf_action.scan.controls._manifest_source import line_of, raw_manifest
from mtf_action.scan.credentials.code import code_evidence
from mtf_action.scan.credentials.declared import DeclaredCredential, declared_credentials
from mtf_action.scan.credentials.justification import justifies_token_handling
from mtf_action.scan.credentials.token_store import TokenStore
from mtf_action.scan.result import ControlOutcome, Finding, Severity

LEVEL = 3
MANIFEST = "manifest.json"
DAY_SECONDS = 24 * 60 * 60
PERSISTENT = frozenset({"disk", "file"})
STORAGE_RISK = {"memory": "low", "keychain": "medium", "disk": "high", "file": "high"}
_HOW = (
    "say in the credential's justification how tokens are kept and why "
    "(e.g. 'refresh token stored on disk so scheduled syncs survive restarts')"
)


def _lifetime(handling: dict[str, Any]) -> int | None:
    value = handling.get("max_lifetime_seconds")
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


class TokenLifetime(Control):
    """CD-05: declared token storage and lifetime; tokens written to files by the code."""

    id: ClassVar[str] = "CD-05"

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        credentials = declared_credentials(raw_manifest(ctx))
        code = code_evidence(ctx)
        if not credentials and code.scope.empty:
            return ControlOutcome(
                skipped="no credentials declared and no Python or JavaScript server code "
                "to look for token storage in",
                details={"credentials": 0, "code": code.details()},
            )
        findings: list[Finding] = []
        summary: list[dict[str, object]] = []
        for credential in credentials:
            findings.extend(self._credential(ctx, credential, summary))
        findings.extend(self._stores(credentials, code.stores))
        details: dict[str, Any] = {
            "credentials": summary,
            "token_stores_in_code": [s.as_dict() for s in code.stores[:50]],
            "code": code.details(),
        }
        return ControlOutcome(findings=findings, details=details)

    def _warn(
        self, ctx: ScanContext, credential: DeclaredCredential, rule: str, severity: Severity,
        title: str, text: str, *, blocks_at: int | None = None, field: str = "token_handling",
    ) -> Finding:  # fmt: skip
        pointer = f"{credential.pointer}/{field}"
        return self.finding(
            rule,
            severity,
            f"{title}: credentials[{credential.index}]",
            f"{credential.label}: {text}",
            blocks_at=blocks_at,
            file=MANIFEST,
            line=line_of(ctx, pointer) or line_of(ctx, credential.pointer),
            remediation=_HOW if rule.endswith("unjustified") else None,
        )

    def _credential(
        self, ctx: ScanContext, credential: DeclaredCredential, summary: list[dict[str, object]]
    ) -> list[Finding]:
        handling = credential.token_handling
        justified = justifies_token_handling(credential.justification)
        if handling is None:
            summary.append({"credential": credential.index, "token_handling": None})
            return [
                self._warn(
                    ctx,
                    credential,
                    "token-handling-missing",
                    Severity.HIGH,
                    "Token handling not declared",
                    "no token_handling object; MTF CD-05: bundles MUST declare token handling, "
                    "and unspecified storage is HIGH risk (assume persistent storage)",
                )
            ]
        storage = handling.get("storage")
        lifetime, refresh = _lifetime(handling), handling.get("refresh")
        indefinite = lifetime == 0 or (lifetime is None and refresh is False)
        summary.append(
            {
                "credential": credential.index,
                "storage": storage,
                "storage_risk": STORAGE_RISK.get(storage, "high")
                if isinstance(storage, str)
                else "high",
                "max_lifetime_seconds": lifetime,
                "refresh": refresh,
                "indefinite": indefinite,
                "justified": justified,
            }
        )
        findings: list[Finding] = []
        if not isinstance(storage, str) or storage not in STORAGE_RISK:
            findings.append(
                self._warn(
                    ctx,
                    credential,
                    "storage-unspecified",
                    Severity.HIGH,
                    "Token storage unspecified",
                    f"storage is {storage!r}, not memory, keychain or disk; MTF CD-05 rates "
                    "unspecified storage HIGH (assume persistent)",
                )
            )
        elif storage in PERSISTENT and not justified:
            findings.append(
                self._warn(
                    ctx,
                    credential,
                    "persistent-storage-unjustified",
                    Severity.HIGH,
                    f"storage: {storage} without justification",
                    f"tokens are persisted ({storage}: HIGH risk, potentially exposed) and the "
                    "justification does not explain why (MTF CD-05: WARN)",
                    field="token_handling/storage",
                )
            )
        if indefinite and not justified:
            why = (
                "max_lifetime_seconds is 0 (no limit)"
                if lifetime == 0
                else "no max_lifetime_seconds and refresh: false (a static, non-expiring token)"
            )
            findings.append(
                self._warn(
                    ctx,
                    credential,
                    "indefinite-token-unjustified",
                    Severity.HIGH,
                    "Indefinite token without justification",
                    f"{why}; MTF CD-05: BLOCK without justification",
                    blocks_at=LEVEL,
                )
            )
        elif lifetime is not None and lifetime > DAY_SECONDS and not justified:
            findings.append(
                self._warn(
                    ctx,
                    credential,
                    "long-lifetime-unjustified",
                    Severity.MEDIUM,
                    "Token lifetime over 24 hours without justification",
                    f"max_lifetime_seconds is {lifetime} ({lifetime / 3600:.0f} h), over 24 h "
                    "(MTF CD-05: WARN)",
                    field="token_handling/max_lifetime_seconds",
                )
            )
        elif lifetime is None and not indefinite:
            findings.append(
                self._warn(
                    ctx,
                    credential,
                    "lifetime-undeclared",
                    Severity.LOW,
                    "Token lifetime not declared",
                    "no max_lifetime_seconds: how long a token stays valid is unknown",
                )
            )
        if "refresh" not in handling:
            findings.append(
                self._warn(
                    ctx,
                    credential,
                    "refresh-undeclared",
                    Severity.INFO,
                    "Refresh behaviour not declared",
                    "refresh is not stated; the schema default (true) is assumed. MTF CD-05: "
                    "refresh token handling MUST be documented",
                )
            )
        return findings

    def _stores(
        self, credentials: list[DeclaredCredential], stores: list[TokenStore]
    ) -> list[Finding]:
        declared = {
            (c.token_handling or {}).get("storage")
            for c in credentials
            if c.token_handling is not None
        }
        persistent = bool(declared & PERSISTENT)
        findings: list[Finding] = []
        reported: set[tuple[str, str]] = set()
        for store in stores:
            allowed = persistent or (store.storage == "keychain" and "keychain" in declared)
            if allowed or (store.file, store.storage) in reported:
                continue
            reported.add((store.file, store.storage))
            keychain = store.storage == "keychain"
            findings.append(
                self.finding(
                    "token-keychain-undeclared" if keychain else "token-file-undeclared",
                    Severity.LOW if keychain else Severity.HIGH,
                    "Token stored in the OS keychain without declaration"
                    if keychain
                    else "Token persisted to file without declaration",
                    f"the code writes a token or credential ({store.detail}) to "
                    f"{'the OS keychain' if keychain else 'a file'}, but no credential "
                    f"declares {'keychain or persistent' if keychain else 'disk/file'} storage "
                    "(MTF CD-05: WARN)",
                    blocks_at=None,
                    file=store.file,
                    line=store.line,
                    remediation='declare token_handling.storage ("keychain" or "disk") with a '
                    "justification, or keep tokens in memory",
                )
            )
        return findings
