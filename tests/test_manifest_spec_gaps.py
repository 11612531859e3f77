"""Every spec/schema disagreement has its own code, message and fix (see docs/spec-decisions.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from manifest_samples import check, codes, extension, l1_manifest, l2_manifest
from mtf_action.manifest import spec_gaps
from mtf_action.models.manifest_report import Severity

_DOCS = Path(__file__).resolve().parents[1] / "docs" / "spec-decisions.md"


def test_mcp_config_at_top_level_is_one_precise_issue() -> None:
    raw = l1_manifest()
    raw["mcp_config"] = raw["server"].pop("mcp_config")
    report = check(raw)
    assert not report.mcpb_valid
    (issue,) = report.issues  # not also "server: 'mcp_config' is a required property"
    assert issue.code == spec_gaps.MCP_CONFIG_AT_TOP_LEVEL
    assert issue.pointer == "/mcp_config"
    assert issue.remediation == "move the object to server.mcp_config"
    assert "additional" not in issue.message.lower()


def test_mcp_config_in_both_places() -> None:
    raw = l1_manifest()
    raw["mcp_config"] = dict(raw["server"]["mcp_config"])
    (issue,) = check(raw).issues
    assert issue.code == spec_gaps.MCP_CONFIG_AT_TOP_LEVEL
    assert "which is also present" in issue.message


@pytest.mark.parametrize("field", ["inputSchema", "outputSchema"])
def test_tool_schema_not_allowed_by_mcpb(field: str) -> None:
    raw = l1_manifest()
    raw["tools"][0][field] = {"type": "object"}
    report = check(raw)
    assert not report.mcpb_valid
    (issue,) = report.issues
    assert issue.code == spec_gaps.TOOL_SCHEMA_NOT_ALLOWED
    assert issue.pointer == f"/tools/0/{field}"
    assert issue.line is not None


def test_other_unknown_tool_property_stays_generic() -> None:
    raw = l1_manifest()
    raw["tools"][0]["parameters"] = {}
    assert codes(check(raw)) == {"mcpb-unknown-property"}


@pytest.mark.parametrize("version", ["0.1", "0.2"])
def test_mtf_extension_needs_manifest_03(version: str) -> None:
    raw = l2_manifest()
    raw["manifest_version"] = version
    report = check(raw)
    assert not report.mcpb_valid
    (issue,) = report.issues
    assert issue.code == spec_gaps.EXTENSION_NEEDS_V03
    assert issue.pointer == "/_meta"
    assert issue.remediation == 'declare "manifest_version": "0.3" or later'


def test_meta_without_mtf_in_old_version_is_generic() -> None:
    raw = l1_manifest()
    raw["manifest_version"] = "0.2"
    raw["_meta"] = {"com.example": {"x": 1}}
    assert codes(check(raw)) == {"mcpb-unknown-property"}


@pytest.mark.parametrize(
    ("code", "path", "value"),
    [
        ("spec-field-source-tag", ("source", "tag"), "v1.0.0"),
        ("spec-field-build-instructions", ("build", "instructions"), "https://x.example/BUILD"),
        ("spec-field-signature-bundle", ("signature", "bundle"), ".sigstore/manifest.sig.json"),
    ],
)
def test_prose_fields_accepted_with_warning(code: str, path: tuple[str, str], value: str) -> None:
    raw = l2_manifest()
    ext = extension(raw)
    ext["source"] = {"commit": "a" * 40}
    ext["build"] = {"builder": "github-actions"}
    ext["signature"] = {"type": "sigstore"}
    ext[path[0]][path[1]] = value
    report = check(raw)
    assert report.mcpb_valid and report.mtf_valid
    (issue,) = report.issues
    assert (issue.code, issue.severity) == (code, Severity.WARN)
    assert issue.pointer == f"/_meta/org.mpaktrust/{path[0]}/{path[1]}"
    assert "MTF-0.1 section" in issue.message


def test_prose_field_set_aside_but_rest_still_validated() -> None:
    raw = l2_manifest()
    extension(raw)["source"] = {"commit": "abc", "tag": "v1"}  # short commit
    report = check(raw)
    assert codes(report, "warn") == {"spec-field-source-tag"}
    assert codes(report, "block") == {"mtf-pattern-mismatch"}


def test_token_storage_file_accepted_with_warning() -> None:
    raw = l2_manifest()
    extension(raw)["credentials"] = [
        {
            "provider": "google",
            "scopes": ["calendar.readonly"],
            "justification": "read events",
            "token_handling": {"storage": "file", "max_lifetime_seconds": 3600},
        },
        {
            "provider": "github",
            "scopes": ["repo"],
            "justification": "read code",
            "token_handling": {"storage": "vault"},
        },
    ]
    report = check(raw)
    warned = [i for i in report.issues if i.severity is Severity.WARN]
    assert [(i.code, i.pointer) for i in warned] == [
        (
            "spec-value-token-storage-file",
            "/_meta/org.mpaktrust/credentials/0/token_handling/storage",
        )
    ]
    # an unknown value is still an enum failure
    assert codes(report, "block") == {"mtf-not-in-enum"}
    assert report.manifest is not None and report.manifest.mtf is not None
    token = report.manifest.mtf.credentials[0].token_handling
    assert token is not None and token.storage == "file"


def test_author_required_by_mcpb_at_l1() -> None:
    raw = l1_manifest()
    del raw["author"]
    report = check(raw)
    assert not report.mcpb_valid
    (issue,) = report.issues
    assert issue.code == spec_gaps.AUTHOR_REQUIRED_BY_MCPB
    assert "only from L2" in issue.message


def test_mcp_config_missing_for_uv() -> None:
    raw = l1_manifest()
    raw["server"] = {"type": "uv", "entry_point": "src/server.py"}
    (issue,) = check(raw).issues
    assert issue.code == spec_gaps.MCP_CONFIG_MISSING_FOR_UV
    assert issue.pointer == "/server/mcp_config"


def test_spec_examples_of_section_44_fail_as_documented(shared_dir: Path) -> None:
    """The L1 example of MTF-0.1 section 4.4, read from the spec itself."""
    spec = (shared_dir / "spec" / "mtf" / "MTF-0.1.md").read_text(encoding="utf-8")
    section = spec[spec.index("#### L1 Basic") : spec.index("#### L2 Standard")]
    body = re.search(r"```json\n(.*?)```", section, re.DOTALL)
    assert body is not None
    report = check(json.loads(body.group(1)))
    assert report.blocking_codes() == [
        "author-required-by-mcpb",
        "entry-point-mismatch",
        "mcp-config-at-top-level",
    ]


def test_every_spec_gap_code_is_documented() -> None:
    docs = _DOCS.read_text(encoding="utf-8")
    module_codes = [
        spec_gaps.MCP_CONFIG_AT_TOP_LEVEL,
        spec_gaps.TOOL_SCHEMA_NOT_ALLOWED,
        spec_gaps.EXTENSION_NEEDS_V03,
        spec_gaps.AUTHOR_REQUIRED_BY_MCPB,
        spec_gaps.MCP_CONFIG_MISSING_FOR_UV,
        spec_gaps.DXT_VERSION_DEPRECATED,
        *(rule.code for rule in spec_gaps.PROSE_FIELDS),
    ]
    for code in module_codes:
        assert f"`{code}`" in docs, code
        assert code in (spec_gaps.__doc__ or "") or any(
            rule.code == code for rule in spec_gaps.PROSE_FIELDS
        )


def test_spec_gaps_reported_even_without_a_known_version() -> None:
    raw = l1_manifest()
    del raw["manifest_version"]
    raw["mcp_config"] = raw["server"].pop("mcp_config")
    raw["tools"][0]["inputSchema"] = {"type": "object"}
    raw["scripts"] = {}  # version-dependent: not judged without a version
    report = check(raw)
    assert report.schema_id is None and not report.mcpb_valid
    assert report.blocking_codes() == [
        "manifest-version-missing",
        spec_gaps.MCP_CONFIG_AT_TOP_LEVEL,
        spec_gaps.TOOL_SCHEMA_NOT_ALLOWED,
    ]
