"""AI-01 step 2: validation against the MCPB manifest schema of the declared version.

Errors are reported through :mod:`~mtf_action.manifest.schema_issues`, except
the known spec/schema disagreements (:mod:`~mtf_action.manifest.spec_gaps`),
which get their own codes. When no schema applies (version missing or
unknown), the latest schema is still run, but only for those disagreements:
they hold in every MCPB version, and an author who followed the MTF examples
should learn about them in the same run.
"""

from __future__ import annotations

import re
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from mtf_action.manifest import spec_gaps
from mtf_action.manifest.findings import Findings
from mtf_action.manifest.positions import pointer
from mtf_action.manifest.schema_issues import extra_keys, generic_issue, ordered
from mtf_action.manifest.versions import SchemaChoice
from mtf_action.models.manifest_report import Severity
from mtf_action.schemas import MCPB_MANIFEST_VERSIONS, mcpb_schema

_TOOL_ITEM = re.compile(r"^/tools/\d+$")
LATEST = MCPB_MANIFEST_VERSIONS[-1]


def _defined_from(key: str, current: str) -> str | None:
    """The first MCPB version after ``current`` whose schema defines top-level ``key``."""
    for version in MCPB_MANIFEST_VERSIONS:
        if version > current and key in mcpb_schema(version).get("properties", {}):
            return version
    return None


def _special(
    error: ValidationError, raw: dict[str, Any], choice: SchemaChoice, f: Findings
) -> bool:
    """Handle the spec/schema disagreements; True when the error is fully reported."""
    here = pointer(*error.absolute_path)
    version = choice.schema_version or LATEST
    guidance_only = choice.schema_version is None
    instance: Any = error.instance
    if error.validator == "const" and here == "/dxt_version" and not choice.consistent:
        return True  # already reported as manifest-version-conflict
    if error.validator == "required" and here == "" and "author" not in raw:
        f.add_missing(
            "/author",
            "author is missing: every MCPB schema requires author.name, although MTF "
            "lists author only from L2 (sections 3.2 and 4.2)",
            'add "author": {"name": "...", "email": "..."}',
            code=spec_gaps.AUTHOR_REQUIRED_BY_MCPB,
        )
        return False  # other required fields may be missing too
    if error.validator == "required" and here == "/server" and "mcp_config" not in instance:
        if isinstance(raw.get("mcp_config"), dict):
            f.missing.add("/server/mcp_config")  # reported once, as mcp-config-at-top-level
        elif instance.get("type") == "uv":
            f.add_missing(
                "/server/mcp_config",
                "server.mcp_config is missing: MCPB's MANIFEST.md calls it optional for uv "
                f"servers, but the manifest v{version} schema requires it",
                'add "mcp_config": {"command": "uv", "args": ["run", "<entry_point>"]}',
                code=spec_gaps.MCP_CONFIG_MISSING_FOR_UV,
            )
        return False
    if error.validator != "additionalProperties":
        return False
    leftovers = []
    for key in extra_keys(error):
        at = pointer(*error.absolute_path, key)
        if here == "" and key == "mcp_config":
            nested = isinstance(raw.get("server"), dict) and "mcp_config" in raw["server"]
            f.add(
                spec_gaps.MCP_CONFIG_AT_TOP_LEVEL,
                Severity.BLOCK,
                at,
                "mcp_config is at the top level, as in the MTF section 4.4 examples, but MCPB "
                + (
                    "only reads server.mcp_config (which is also present)"
                    if nested
                    else "requires it inside server"
                ),
                "move the object to server.mcp_config",
            )
        elif here == "" and key == "_meta" and version in ("0.1", "0.2"):
            meta = raw.get("_meta")
            has_mtf = isinstance(meta, dict) and "org.mpaktrust" in meta
            f.add(
                spec_gaps.EXTENSION_NEEDS_V03 if has_mtf else "mcpb-unknown-property",
                Severity.BLOCK,
                at,
                f"MCPB manifest v{version} has no _meta"
                + (
                    ', so the MTF extension _meta["org.mpaktrust"] needs manifest_version 0.3+'
                    if has_mtf
                    else ""
                ),
                'declare "manifest_version": "0.3" or later',
            )
        elif _TOOL_ITEM.match(here) and key in spec_gaps.TOOL_SCHEMA_FIELDS:
            f.add(
                spec_gaps.TOOL_SCHEMA_NOT_ALLOWED,
                Severity.BLOCK,
                at,
                f"MTF CD-01 recommends declaring {key}, but MCPB tools[] items allow only "
                "name and description",
                f"remove {key}; clients get tool schemas from the server at run time",
            )
        else:
            leftovers.append(key)
    if guidance_only:
        return True
    for key in leftovers:
        later = _defined_from(key, version) if here == "" else None
        if later:
            hint = f'{key} exists from manifest_version {later} on; declare "{later}" or later'
        elif here == "":
            hint = "remove it; vendor data belongs under _meta (manifest_version 0.3 or later)"
        else:
            hint = "remove it or correct its spelling"
        f.add(
            "mcpb-unknown-property",
            Severity.BLOCK,
            pointer(*error.absolute_path, key),
            f'"{key}" is not a property that MCPB manifest v{version} allows here',
            hint,
        )
    return True


def check_mcpb(raw: dict[str, Any], choice: SchemaChoice, findings: Findings) -> bool:
    """Validate against the chosen MCPB schema (draft-07, formats checked); True if it passes.

    Without a chosen schema, only the spec/schema disagreements are reported
    (against the latest schema) and the result is False.
    """
    version = choice.schema_version or LATEST
    validator = Draft7Validator(mcpb_schema(version), format_checker=Draft7Validator.FORMAT_CHECKER)
    label = f"MCPB manifest v{version} schema"
    passed = choice.schema_version is not None
    for error in ordered(validator.iter_errors(raw)):
        passed = False
        if _special(error, raw, choice, findings) or choice.schema_version is None:
            continue
        if (
            error.validator == "enum"
            and error.instance == "uv"
            and here_is(error, "server", "type")
        ):
            findings.add(
                "mcpb-not-in-enum",
                Severity.BLOCK,
                "/server/type",
                f'server type "uv" does not exist in MCPB manifest v{version}',
                'declare "manifest_version": "0.4" for uv servers',
            )
            continue
        generic_issue(error, findings, prefix="mcpb", label=label, base="")
    return passed


def here_is(error: ValidationError, *path: str) -> bool:
    return tuple(error.absolute_path) == path
