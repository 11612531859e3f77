"""AI-01 and CD-01 rules: schema choice, required fields per level, semver, scoped names, tools."""

from __future__ import annotations

from typing import Any

import pytest

from manifest_samples import check, codes, extension, l1_manifest, l2_manifest
from mtf_action.manifest.rules import npm_scoped_name_problem
from mtf_action.models.manifest_report import Severity


def _for_version(version: str) -> dict[str, Any]:
    raw = l1_manifest()
    raw["manifest_version"] = version
    return raw


# -- schema choice: manifest_version 0.1-0.4 and legacy dxt_version ------------------


@pytest.mark.parametrize("version", ["0.1", "0.2", "0.3", "0.4"])
def test_ai01_each_manifest_version_selects_its_schema(version: str) -> None:
    report = check(_for_version(version))
    assert report.schema_id == f"mcpb-manifest-v{version}"
    assert report.manifest_version == version
    assert report.mcpb_valid and report.mtf_valid, report.issues
    assert report.issues == []


def test_ai01_legacy_dxt_version_accepted_with_warning() -> None:
    raw = l1_manifest()
    del raw["manifest_version"]
    raw["dxt_version"] = "0.1"
    report = check(raw)
    assert report.schema_id == "mcpb-manifest-v0.1"
    assert report.mcpb_valid and report.mtf_valid
    assert codes(report) == {"dxt-version-deprecated"}
    assert report.issues[0].severity is Severity.WARN


def test_ai01_same_dxt_and_manifest_version_is_fine() -> None:
    raw = _for_version("0.2")
    raw["dxt_version"] = "0.2"
    assert check(raw).issues == []


def test_ai01_conflicting_dxt_and_manifest_version_blocks() -> None:
    raw = _for_version("0.3")
    raw["dxt_version"] = "0.2"
    report = check(raw)
    assert not report.mcpb_valid
    assert report.schema_id == "mcpb-manifest-v0.3"
    assert codes(report) == {"manifest-version-conflict"}  # not also the schema's const error
    assert report.issues[0].pointer == "/dxt_version"


def test_ai01_missing_version_blocks_precisely() -> None:
    raw = l1_manifest()
    del raw["manifest_version"]
    report = check(raw)
    assert not report.mcpb_valid and report.schema_id is None
    (issue,) = report.blocking
    assert issue.code == "manifest-version-missing"
    assert "known versions: 0.1, 0.2, 0.3, 0.4" in issue.message


def test_ai01_unknown_version_blocks_precisely() -> None:
    report = check(_for_version("1.0"))
    assert not report.mcpb_valid and report.schema_id is None
    assert report.manifest_version == "1.0"
    (issue,) = report.blocking
    assert issue.code == "manifest-version-unknown"
    assert 'manifest_version "1.0" is not a known MCPB manifest version' in issue.message


def test_ai01_non_string_version_blocks() -> None:
    raw = l1_manifest()
    raw["manifest_version"] = 0.4
    report = check(raw)
    assert not report.mcpb_valid
    assert codes(report, "block") == {"manifest-version-invalid"}


def test_ai01_uv_server_needs_manifest_04() -> None:
    raw = _for_version("0.3")
    raw["server"] = {
        "type": "uv",
        "entry_point": "src/server.py",
        "mcp_config": {"command": "uv", "args": ["run", "src/server.py"]},
    }
    report = check(raw)
    (issue,) = report.blocking
    assert (issue.code, issue.pointer) == ("mcpb-not-in-enum", "/server/type")
    assert issue.remediation == 'declare "manifest_version": "0.4" for uv servers'


# -- schema failures become precise issues -------------------------------------------


def test_ai01_unknown_property_one_issue_per_key_with_line() -> None:
    raw = l1_manifest()
    raw["scripts"] = {"build": "tsc"}
    raw["author"]["twitter"] = "@acme"
    report = check(raw)
    assert not report.mcpb_valid
    found = {(i.code, i.pointer) for i in report.issues}
    assert found == {
        ("mcpb-unknown-property", "/scripts"),
        ("mcpb-unknown-property", "/author/twitter"),
    }
    assert all(i.line for i in report.issues)
    assert all("Additional properties" not in i.message for i in report.issues)


def test_ai01_property_from_a_later_version_says_which() -> None:
    raw = _for_version("0.1")
    raw["privacy_policies"] = ["https://acme.example/privacy"]
    (issue,) = check(raw).issues
    assert issue.pointer == "/privacy_policies"
    assert issue.remediation == (
        'privacy_policies exists from manifest_version 0.2 on; declare "0.2" or later'
    )


def test_ai01_uri_format_is_really_checked() -> None:
    raw = l1_manifest()
    raw["privacy_policies"] = ["TODO: link to the privacy policy"]
    report = check(raw)
    assert not report.mcpb_valid
    (issue,) = report.issues
    assert (issue.code, issue.pointer) == ("mcpb-invalid-format", "/privacy_policies/0")
    assert "is not a valid uri" in issue.message


def test_ai01_email_format_is_checked() -> None:
    raw = l1_manifest()
    raw["author"]["email"] = "not an address"
    assert codes(check(raw)) == {"mcpb-invalid-format"}


def test_ai01_wrong_type_reported_with_expected_type() -> None:
    raw = l1_manifest()
    raw["description"] = 42
    (issue,) = check(raw).issues
    assert issue.code == "mcpb-wrong-type"
    assert issue.message == "must be of type string, not integer"


# -- required fields by level ---------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "version", "description", "server"])
def test_ai01_l1_required_fields_reported_once(field: str) -> None:
    raw = l1_manifest()
    del raw[field]
    report = check(raw)
    missing = [i for i in report.issues if i.code == "required-field-missing"]
    assert [i.pointer for i in missing] == [f"/{field}"]


def test_ai01_required_fields_checked_even_without_a_schema() -> None:
    raw = l1_manifest()
    del raw["manifest_version"], raw["description"]
    report = check(raw)
    assert {i.pointer for i in report.blocking} == {"/manifest_version", "/description"}


def test_ai01_l2_requires_author_email_repository_and_extension() -> None:
    raw = l1_manifest()
    raw["name"] = "@acme/weather"
    del raw["author"]["email"]
    report = check(raw, level=2)
    assert report.mcpb_valid and not report.mtf_valid
    missing = {i.pointer for i in report.blocking if i.code == "required-field-missing"}
    assert missing == {"/author/email", "/repository"}
    assert "mtf-extension-missing" in codes(report, "block")


def test_ai01_missing_author_email_is_fine_at_l1() -> None:
    raw = l1_manifest()
    del raw["author"]["email"]
    assert check(raw).mtf_valid


def test_ai01_l2_requires_level_and_permissions_in_extension() -> None:
    raw = l2_manifest()
    del extension(raw)["permissions"]
    report = check(raw)
    assert report.level_checked == 2
    assert {i.pointer for i in report.blocking} == {"/_meta/org.mpaktrust/permissions"}


def test_ai01_l2_sample_is_valid_and_claimed_level_is_used() -> None:
    report = check(l2_manifest())
    assert (report.level_claimed, report.level_checked) == (2, 2)
    assert report.mtf_valid and report.issues == []


def test_ai01_explicit_level_overrides_claim_with_note() -> None:
    report = check(l2_manifest(), level=1)
    assert report.level_checked == 1 and report.level_claimed == 2
    assert codes(report) == {"level-override"}


def test_level_defaults_to_1_without_claim() -> None:
    report = check(l1_manifest())
    assert (report.level_claimed, report.level_checked) == (None, 1)


def test_invalid_level_argument_rejected() -> None:
    with pytest.raises(ValueError, match="1 to 4"):
        check(l1_manifest(), level=5)


# -- semver and scoped names -------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "hint"),
    [
        ("1.0", 'use three numbers: "1.0.0"'),
        ("v2.1.0", 'drop the prefix: "2.1.0"'),
        ("01.2.3", "MAJOR.MINOR.PATCH"),
        ("{{VERSION}}", "MAJOR.MINOR.PATCH"),
    ],
)
def test_ai01_version_must_be_semver(version: str, hint: str) -> None:
    raw = l1_manifest()
    raw["version"] = version
    report = check(raw)
    assert report.mcpb_valid and not report.mtf_valid
    (issue,) = report.issues
    assert issue.code == "version-not-semver" and issue.pointer == "/version"
    assert issue.message.startswith(f'"{version}" is not valid semver')
    assert issue.remediation is not None and hint in issue.remediation


@pytest.mark.parametrize("version", ["1.0.0", "0.1.0-beta.1+build.5", "10.20.30"])
def test_ai01_semver_accepted(version: str) -> None:
    raw = l1_manifest()
    raw["version"] = version
    assert check(raw).issues == []


def test_ai01_unscoped_name_blocks_at_l2_only() -> None:
    raw = l2_manifest()
    raw["name"] = "weather"
    report = check(raw)
    (issue,) = report.issues
    assert (issue.code, issue.severity) == ("name-not-scoped", Severity.BLOCK)
    assert issue.remediation == 'rename to "@<publisher>/weather"'
    assert check(raw, level=1).mtf_valid


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("@acme/weather", None),
        ("@acme-corp/weather.server_2", None),
        ("weather", "is not scoped"),
        ("@acme/", "empty name"),
        ("@nimblebraininc/YOUR_SERVER_NAME", "uppercase"),
        ("@_acme/weather", "starts with '_'"),
        ("@acme/.weather", "starts with '.'"),
        ("@acme/wea ther", "contains ' '"),
        ("@acme/" + "a" * 220, "longer than 214"),
        ("@acme/a/b", "is not scoped"),
    ],
)
def test_ai01_npm_scope_rules(name: str, problem: str | None) -> None:
    found = npm_scoped_name_problem(name)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


# -- CD-01 tool declaration ---------------------------------------------------------


def test_cd01_missing_tools_blocks_at_every_level() -> None:
    raw = l1_manifest()
    del raw["tools"]
    report = check(raw)
    assert report.mcpb_valid and not report.mtf_valid  # MCPB does not require tools
    (issue,) = report.issues
    assert (issue.code, issue.control, issue.severity) == ("tools-missing", "CD-01", Severity.BLOCK)


def test_cd01_tool_without_name_blocks_once() -> None:
    raw = l1_manifest()
    raw["tools"] = [{"description": "nameless"}]
    report = check(raw)
    assert not report.mcpb_valid  # the MCPB schema requires the name too
    (issue,) = report.issues
    assert (issue.code, issue.control, issue.pointer) == (
        "tool-name-missing",
        "CD-01",
        "/tools/0/name",
    )


def test_cd01_missing_description_warns_at_l1_blocks_at_l2() -> None:
    raw = l2_manifest()
    raw["tools"].append({"name": "forecast"})
    at_l1 = check(raw, level=1)
    at_l2 = check(raw)
    (warned,) = [i for i in at_l1.issues if i.code == "tool-description-missing"]
    (blocked,) = [i for i in at_l2.issues if i.code == "tool-description-missing"]
    assert warned.severity is Severity.WARN and at_l1.mtf_valid
    assert blocked.severity is Severity.BLOCK and not at_l2.mtf_valid
    assert blocked.pointer == "/tools/1/description"
    assert blocked.message.startswith('tool "forecast" has no description')


def test_cd01_blank_description_counts_as_missing() -> None:
    raw = l1_manifest()
    raw["tools"][0]["description"] = "   "
    assert codes(check(raw)) == {"tool-description-missing"}


def test_cd01_tools_generated_is_noted() -> None:
    raw = l1_manifest()
    raw["tools_generated"] = True
    raw["tools"] = []
    report = check(raw)
    assert report.mtf_valid
    (issue,) = report.issues
    assert (issue.code, issue.severity) == ("tools-generated", Severity.INFO)


def test_cd01_empty_tools_noted() -> None:
    raw = l1_manifest()
    raw["tools"] = []
    assert codes(check(raw), "info") == {"tools-empty"}


def test_cd01_tools_not_an_array() -> None:
    raw = l1_manifest()
    raw["tools"] = {"name": "x"}
    assert {"tools-invalid", "mcpb-wrong-type"} <= codes(check(raw), "block")


# -- MTF extension -----------------------------------------------------------------


def test_ai01_extension_schema_violations_block_at_l1() -> None:
    raw = l2_manifest()
    extension(raw)["permissions"]["filesystem"] = "read-write"
    del extension(raw)["level"]
    report = check(raw)
    assert report.mcpb_valid and not report.mtf_valid
    (issue,) = report.issues
    assert issue.code == "mtf-not-in-enum"
    assert issue.pointer == "/_meta/org.mpaktrust/permissions/filesystem"


def test_ai01_extension_requires_mtf_version() -> None:
    raw = l2_manifest()
    del extension(raw)["mtf_version"]
    (issue,) = check(raw).issues
    assert (issue.code, issue.pointer) == (
        "required-field-missing",
        "/_meta/org.mpaktrust/mtf_version",
    )


def test_ai01_extension_formats_checked() -> None:
    raw = l2_manifest()
    extension(raw)["scorecard"] = {"score": 7.5, "scan_date": "yesterday"}
    (issue,) = check(raw).issues
    assert issue.code == "mtf-invalid-format" and "date" in issue.message


def test_ai01_extension_level_type_checked() -> None:
    raw = l2_manifest()
    extension(raw)["level"] = "two"
    report = check(raw)
    assert report.level_claimed is None and report.level_checked == 1
    assert codes(report) == {"mtf-wrong-type"}


def test_ai01_extension_must_be_object() -> None:
    raw = l2_manifest()
    raw["_meta"]["org.mpaktrust"] = "level 2"
    report = check(raw, level=1)
    assert not report.mcpb_valid  # MCPB 0.4: every _meta entry is an object
    assert "mtf-extension-invalid" in codes(report, "block")


def test_report_manifest_typed_view_and_json_shape() -> None:
    report = check(l2_manifest())
    assert report.manifest is not None
    assert report.manifest.mtf is not None and report.manifest.mtf.level == 2
    dumped = report.model_dump(mode="json")
    assert "manifest" not in dumped
    assert set(dumped) == {
        "source",
        "manifest_version",
        "schema_id",
        "level_claimed",
        "level_checked",
        "mcpb_valid",
        "mtf_valid",
        "issues",
    }
