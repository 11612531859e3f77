"""Which MCPB schema applies: ``manifest_version``, or the legacy ``dxt_version``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mtf_action.manifest.findings import Findings
from mtf_action.manifest.spec_gaps import DXT_VERSION_DEPRECATED
from mtf_action.models.manifest_report import Severity
from mtf_action.schemas import MCPB_MANIFEST_VERSIONS

_KNOWN = ", ".join(MCPB_MANIFEST_VERSIONS)


@dataclass(frozen=True)
class SchemaChoice:
    version: str | None  # the declared version string, when it is a string
    schema_version: str | None  # set only when the version is one we have a schema for
    consistent: bool  # False when manifest_version and dxt_version disagree

    @property
    def schema_id(self) -> str | None:
        return f"mcpb-manifest-v{self.schema_version}" if self.schema_version else None


def choose_schema(raw: dict[str, Any], findings: Findings) -> SchemaChoice:
    """Pick the schema from the declared version; report a missing, odd or unknown one."""
    current = raw.get("manifest_version")
    legacy = raw.get("dxt_version")
    field = "manifest_version" if "manifest_version" in raw else "dxt_version"
    declared = current if "manifest_version" in raw else legacy

    if "manifest_version" not in raw and "dxt_version" not in raw:
        findings.add_missing(
            "/manifest_version",
            "manifest_version is missing, so no MCPB schema applies "
            f"(AI-01 requires it at L1; known versions: {_KNOWN})",
            'add "manifest_version": "0.4" (or the version the manifest was written for)',
            code="manifest-version-missing",
        )
        return SchemaChoice(None, None, True)
    if not isinstance(declared, str):
        findings.add(
            "manifest-version-invalid",
            Severity.BLOCK,
            f"/{field}",
            f'{field} must be a string such as "0.4", not {declared!r}',
            f'write it as a string: "{field}": "{declared}"',
        )
        return SchemaChoice(None, None, True)

    consistent = True
    if "manifest_version" in raw and "dxt_version" in raw and current != legacy:
        consistent = False
        findings.add(
            "manifest-version-conflict",
            Severity.BLOCK,
            "/dxt_version",
            f'dxt_version "{legacy}" contradicts manifest_version "{current}"; '
            "the schema of manifest_version applies and requires them to match",
            "remove the deprecated dxt_version",
        )
    elif field == "dxt_version":
        findings.add(
            DXT_VERSION_DEPRECATED,
            Severity.WARN,
            "/dxt_version",
            "dxt_version is the deprecated name of manifest_version; "
            "accepted as the declared MCPB version",
            f'rename it: "manifest_version": "{declared}"',
        )

    if declared not in MCPB_MANIFEST_VERSIONS:
        findings.add(
            "manifest-version-unknown",
            Severity.BLOCK,
            f"/{field}",
            f'{field} "{declared}" is not a known MCPB manifest version (known: {_KNOWN})',
            "declare one of the published versions, e.g. 0.4",
        )
        return SchemaChoice(declared, None, consistent)
    return SchemaChoice(declared, declared, consistent)
