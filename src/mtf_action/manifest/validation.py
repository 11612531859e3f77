"""AI-01 Manifest Validation and CD-01 Tool Declaration (MTF-0.1 sections 3.2 and 3.5).

One entry point, :func:`validate_manifest`, runs the AI-01 validation steps on
an already parsed manifest (step 1, parsing, is the loader's job):

1. choose the MCPB schema from ``manifest_version`` (or legacy ``dxt_version``);
2. validate against it with format checking, reporting known spec/schema
   disagreements under their own codes (:mod:`~mtf_action.manifest.spec_gaps`);
3. validate ``_meta["org.mpaktrust"]`` against the MTF extension schema;
4. required fields of the checked level, ``entry_point``/``mcp_config``
   consistency, semver, and (L2+) the scoped name;

plus the static part of CD-01. The level checked is the one asked for, else
the one the manifest claims, else L1.
"""

from __future__ import annotations

from mtf_action.errors import ManifestError
from mtf_action.manifest.entrypoint import check_entry_point
from mtf_action.manifest.extension import check_extension, claimed_level
from mtf_action.manifest.findings import Findings
from mtf_action.manifest.loader import LoadedManifest
from mtf_action.manifest.mcpb_check import check_mcpb
from mtf_action.manifest.rules import check_required_fields, check_scoped_name, check_semver
from mtf_action.manifest.tools import check_tools
from mtf_action.manifest.versions import choose_schema
from mtf_action.models.manifest import Manifest
from mtf_action.models.manifest_report import ManifestReport, Severity

MTF_LEVELS = (1, 2, 3, 4)


def validate_manifest(loaded: LoadedManifest, level: int | None = None) -> ManifestReport:
    """Validate one loaded manifest at ``level`` (default: claimed level, else 1)."""
    if level is not None and level not in MTF_LEVELS:
        raise ValueError(f"MTF level must be 1 to 4, not {level}")
    raw = loaded.raw
    findings = Findings(loaded)
    claimed = claimed_level(raw)
    checked = level or claimed or 1

    choice = choose_schema(raw, findings)
    # CD-01 runs before the schema so that "tool without name" is reported under
    # CD-01 rather than as the schema's generic missing property.
    check_tools(raw, checked, findings)
    mcpb_valid = check_mcpb(raw, choice, findings) and choice.consistent
    check_extension(raw, checked, findings)
    check_required_fields(raw, checked, findings)
    check_entry_point(raw, findings)
    check_semver(raw, findings)
    check_scoped_name(raw, checked, findings)

    if level is not None and claimed is not None and claimed != level:
        findings.add(
            "level-override",
            Severity.INFO,
            "/_meta/org.mpaktrust/level",
            f"the manifest claims L{claimed}; checked at L{level} as requested",
        )

    try:
        manifest: Manifest | None = Manifest.from_raw(raw, loaded.source)
    except ManifestError:
        manifest = None
    issues = sorted(findings.issues, key=lambda issue: issue.line or 0)
    return ManifestReport(
        source=loaded.source,
        manifest_version=choice.version,
        schema_id=choice.schema_id,
        level_claimed=claimed,
        level_checked=checked,
        mcpb_valid=mcpb_valid,
        mtf_valid=not findings.has_blocking(),
        issues=issues,
        manifest=manifest,
    )
