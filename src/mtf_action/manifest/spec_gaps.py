"""Where MTF-0.1's prose, its extension schema and the MCPB schemas disagree, and what we do.

Every decision has a stable issue code. ``docs/spec-decisions.md`` states the
same decisions for users; keep the two in step.

1. ``mcp-config-at-top-level`` (block, MCPB-invalid). The MTF examples of
   section 4.4 put ``mcp_config`` beside ``server``; every MCPB schema (0.1-0.4)
   only allows it as ``server.mcp_config`` and requires it there. AI-01 says the
   manifest MUST validate against the MCPB schema, so the MCPB rule wins; we
   report one precise issue (instead of "additional property" plus "required
   property") telling the author to move the object. The entry-point
   consistency check of AI-01 step 4 still reads the misplaced object, so its
   own findings are not lost.
2. ``tool-schema-not-allowed-by-mcpb`` (block, MCPB-invalid). CD-01 says tools
   SHOULD declare ``inputSchema``/``outputSchema``, but MCPB ``tools[]`` items
   allow only ``name`` and ``description``. A MUST (schema validity) outranks a
   SHOULD, so declaring them fails; for the same reason we never warn that
   they are absent. Servers publish their schemas at run time (``tools/list``).
3. ``mtf-extension-needs-manifest-0.3`` (block, MCPB-invalid). MCPB 0.1 and
   0.2 have no ``_meta``, so an MTF extension is only valid from manifest
   version 0.3. We still validate the extension itself, so the author sees
   every problem at once.
4. Fields of the MTF prose that the MTF extension schema rejects. Authors who
   follow the spec text should not be failed for it: each is accepted with a
   warning naming the section, set aside, and the rest of the extension is
   validated against the schema. See :data:`PROSE_FIELDS`.
5. ``author-required-by-mcpb`` (block, MCPB-invalid). MTF lists ``author`` as
   required from L2 only (sections 3.2 and 4.2, and the L1 example has none),
   but every MCPB schema requires ``author.name``. Schema validity is an L1
   MUST, so a missing author blocks at every level; the message says why.
6. ``mcp-config-missing-for-uv`` (block, MCPB-invalid). MCPB's MANIFEST.md says
   ``mcp_config`` is optional for ``uv`` servers, but the v0.4 schema requires
   ``server.mcp_config`` for every type. We follow the schema (as AI-01 asks).
7. ``dxt-version-deprecated`` (warn). The AI-01 L1 table requires
   ``manifest_version``; older manifests declare the same value as
   ``dxt_version``, its deprecated MCPB name. We accept it as the declared
   version (it selects the schema) and warn, rather than failing every DXT-era
   manifest for a field rename.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

MCP_CONFIG_AT_TOP_LEVEL = "mcp-config-at-top-level"
TOOL_SCHEMA_NOT_ALLOWED = "tool-schema-not-allowed-by-mcpb"
EXTENSION_NEEDS_V03 = "mtf-extension-needs-manifest-0.3"
AUTHOR_REQUIRED_BY_MCPB = "author-required-by-mcpb"
MCP_CONFIG_MISSING_FOR_UV = "mcp-config-missing-for-uv"
DXT_VERSION_DEPRECATED = "dxt-version-deprecated"

TOOL_SCHEMA_FIELDS = frozenset({"inputSchema", "outputSchema"})


@dataclass(frozen=True)
class ProseField:
    """A field (or value) the MTF prose documents but the MTF extension schema rejects."""

    code: str
    path: tuple[str, ...]  # inside _meta["org.mpaktrust"]; "*" matches every array item
    sections: str
    message: str
    remediation: str
    value: str | None = None  # only this value is set aside (None: the whole field)


PROSE_FIELDS: tuple[ProseField, ...] = (
    ProseField(
        code="spec-field-source-tag",
        path=("source", "tag"),
        sections="MTF-0.1 section 3.6 PR-04 and section 4.3.4",
        message="source.tag is documented by the spec text but not allowed by the "
        "MTF extension schema; accepted and not validated",
        remediation="keep it if a registry reads it; schema-strict tools will reject it",
    ),
    ProseField(
        code="spec-field-build-instructions",
        path=("build", "instructions"),
        sections="MTF-0.1 section 3.2 AI-04 and section 4.3.4",
        message="build.instructions is documented by the spec text but not allowed by "
        "the MTF extension schema; accepted and not validated",
        remediation="keep it if a registry reads it; schema-strict tools will reject it",
    ),
    ProseField(
        code="spec-field-signature-bundle",
        path=("signature", "bundle"),
        sections="MTF-0.1 section 4.4 (L3 example)",
        message="signature.bundle follows the L3 example; the MTF extension schema "
        "names this field bundle_path",
        remediation="rename signature.bundle to signature.bundle_path",
    ),
    ProseField(
        code="spec-value-token-storage-file",
        path=("credentials", "*", "token_handling", "storage"),
        value="file",
        sections="MTF-0.1 section 3.5 CD-05",
        message='token_handling.storage "file" follows the CD-05 table; the MTF '
        'extension schema spells this value "disk"',
        remediation='use "disk" (same meaning: persistent storage, HIGH risk under CD-05)',
    ),
)


@dataclass(frozen=True)
class SetAside:
    """One prose field found in a manifest: which rule, and its pointer parts."""

    rule: ProseField
    parts: tuple[str | int, ...]  # relative to _meta["org.mpaktrust"]


def _walk(
    node: Any, path: tuple[str, ...], done: tuple[str | int, ...]
) -> list[tuple[dict[str, Any], str, tuple[str | int, ...]]]:
    """(parent object, key, parts) for every match of ``path`` below ``node``."""
    head, rest = path[0], path[1:]
    if head == "*":
        if not isinstance(node, list):
            return []
        found = []
        for i, item in enumerate(node):
            found += _walk(item, rest, (*done, i))
        return found
    if not isinstance(node, dict) or head not in node:
        return []
    if not rest:
        return [(node, head, (*done, head))]
    return _walk(node[head], rest, (*done, head))


def set_aside_prose_fields(extension: dict[str, Any]) -> tuple[dict[str, Any], list[SetAside]]:
    """A copy of the extension without the prose-only fields, and what was removed."""
    cleaned = copy.deepcopy(extension)
    removed: list[SetAside] = []
    for rule in PROSE_FIELDS:
        for parent, key, parts in _walk(cleaned, rule.path, ()):
            if rule.value is None or parent[key] == rule.value:
                del parent[key]
                removed.append(SetAside(rule, parts))
    return cleaned, removed
