"""The MTF extension ``_meta["org.mpaktrust"]`` (MTF-0.1 sections 4.1 step 2, 4.3, 4.5)."""

from __future__ import annotations

from typing import Any

from mtf_action.manifest.findings import Findings
from mtf_action.manifest.positions import pointer
from mtf_action.manifest.schema_issues import check_mtf_schema, json_type
from mtf_action.manifest.spec_gaps import set_aside_prose_fields
from mtf_action.models.manifest import MTF_NAMESPACE
from mtf_action.models.manifest_report import Severity

EXTENSION_POINTER = pointer("_meta", MTF_NAMESPACE)
_PERMISSIONS_EXAMPLE = (
    '"permissions": {"filesystem": "none", "network": "outbound", "environment": "read", '
    '"subprocess": "none", "native": "none"}'
)
_L2_EXAMPLE = (
    f'"_meta": {{"org.mpaktrust": {{"mtf_version": "0.1", "level": 2, {_PERMISSIONS_EXAMPLE}}}}}'
)


def extension_of(raw: dict[str, Any]) -> Any:
    """The raw extension value (any JSON type), or None when absent."""
    meta = raw.get("_meta")
    return meta.get(MTF_NAMESPACE) if isinstance(meta, dict) else None


def claimed_level(raw: dict[str, Any]) -> int | None:
    """``level`` declared in the extension, when it is an integer from 1 to 4."""
    extension = extension_of(raw)
    level = extension.get("level") if isinstance(extension, dict) else None
    if isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 4:
        return level
    return None


def check_extension(raw: dict[str, Any], level: int, findings: Findings) -> None:
    """Presence at L2+, prose-only fields set aside, then the MTF extension schema."""
    extension = extension_of(raw)
    if extension is None:
        if level >= 2:
            findings.add_missing(
                EXTENSION_POINTER,
                f'the MTF extension _meta["{MTF_NAMESPACE}"] is required at L2 and above '
                "(AI-01 additional required fields)",
                f"add {_L2_EXAMPLE}",
                code="mtf-extension-missing",
            )
        return
    if not isinstance(extension, dict):
        findings.add(
            "mtf-extension-invalid",
            Severity.BLOCK,
            EXTENSION_POINTER,
            f"the MTF extension must be an object, not {json_type(extension)}",
        )
        return

    cleaned, removed = set_aside_prose_fields(extension)
    for item in removed:
        findings.add(
            item.rule.code,
            Severity.WARN,
            EXTENSION_POINTER + pointer(*item.parts),
            f"{item.rule.message} ({item.rule.sections})",
            item.rule.remediation,
        )
    check_mtf_schema(cleaned, EXTENSION_POINTER, findings)

    if level >= 2:
        # Section 4.3.1: level and permissions are required from L2.
        fixes = {
            "level": f'add "level": {level}',
            "permissions": f"add {_PERMISSIONS_EXAMPLE}",
        }
        for key, what in (("level", "the declared level"), ("permissions", "CD-02 permissions")):
            if key not in extension:
                findings.add_missing(
                    f"{EXTENSION_POINTER}/{key}",
                    f"{key} ({what}) is required at L2 and above (MTF-0.1 section 4.3.1)",
                    fixes[key],
                )
