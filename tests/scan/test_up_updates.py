"""UP-02 Breaking Change Policy and UP-04 Version Monotonicity against ``--previous``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import bundle_ctx, make_bundle, make_ctx, manifest, mtf_block, write_files
from issue6_fixtures import (
    ALERTS_TOOL,
    CALENDAR_CREDENTIAL,
    FORECAST_RENAMED,
    TOOLS,
    UP02_MAJOR_BUMPS,
    UP04_GREATER,
    UP04_NOT_GREATER,
    release,
    with_schema,
)

from mtf_action._cli import main
from mtf_action.errors import ManifestError
from mtf_action.scan.controls.up_updates import BreakingChangePolicy, VersionMonotonicity
from mtf_action.scan.report import finding_id
from mtf_action.scan.result import ControlOutcome, Severity, Status
from mtf_action.scan.updates.diff import release_diff
from mtf_action.scan.updates.versions import allows_breaking, bump, parse

UP02, UP04 = BreakingChangePolicy(), VersionMonotonicity()


def previous_file(tmp_path: Path, raw: dict[str, Any]) -> Path:
    path = tmp_path / "previous" / "manifest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw, indent=2), encoding="utf-8")
    return path


def run(
    control: BreakingChangePolicy | VersionMonotonicity,
    tmp_path: Path,
    old: dict[str, Any],
    new: dict[str, Any],
) -> ControlOutcome:
    previous = previous_file(tmp_path, old)
    ctx = make_ctx(tmp_path / "current", {"server.py": "x = 1\n"}, new, previous=previous)
    return control.evaluate(ctx)


def rules(outcome: ControlOutcome) -> dict[str, int | None]:
    return {f.rule: f.blocks_at for f in outcome.findings}


# --- versions ---------------------------------------------------------------------------------


def test_up_version_helpers() -> None:
    v = parse
    assert parse("1.0") is None and parse(1) is None
    assert bump(v("1.0.0"), v("2.0.0")) == "major"  # type: ignore[arg-type]
    assert bump(v("1.0.0"), v("1.1.0")) == "minor"  # type: ignore[arg-type]
    assert bump(v("1.0.0"), v("1.0.1")) == "patch"  # type: ignore[arg-type]
    assert bump(v("1.0.0-rc.1"), v("1.0.0")) == "prerelease"  # type: ignore[arg-type]
    assert bump(v("1.0.0+b1"), v("1.0.0+b2")) == "same"  # type: ignore[arg-type]
    assert bump(v("1.1.0"), v("1.0.1")) == "downgrade"  # type: ignore[arg-type]
    assert allows_breaking(v("0.3.1"), v("0.4.0"))  # type: ignore[arg-type]
    assert not allows_breaking(v("1.3.1"), v("1.4.0"))  # type: ignore[arg-type]


# --- UP-04 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("control", [UP02, UP04], ids=["UP-02", "UP-04"])
def test_up_skipped_without_previous(
    tmp_path: Path, control: BreakingChangePolicy | VersionMonotonicity
) -> None:
    outcome = control.evaluate(make_ctx(tmp_path, {}, manifest()))
    assert outcome.skipped is not None and "--previous" in outcome.skipped


@pytest.mark.parametrize(("old", "new"), UP04_GREATER)
def test_up04_greater_version_passes(tmp_path: Path, old: str, new: str) -> None:
    outcome = run(UP04, tmp_path, release(old), release(new))
    assert outcome.findings == [] and outcome.status_at(2) is Status.PASS


@pytest.mark.parametrize(("old", "new", "rule"), UP04_NOT_GREATER)
def test_up04_not_greater_blocks(tmp_path: Path, old: str, new: str, rule: str) -> None:
    outcome = run(UP04, tmp_path, release(old), release(new))
    assert rules(outcome) == {rule: 2}
    assert outcome.status_at(2) is Status.FAIL


def test_up04_previous_not_semver_is_an_error(tmp_path: Path) -> None:
    outcome = run(UP04, tmp_path, release("v1"), release("1.0.0"))
    assert outcome.error is not None and "not SemVer" in outcome.error


# --- UP-02 --------------------------------------------------------------------------------------


def test_up02_no_change_passes(tmp_path: Path) -> None:
    outcome = run(UP02, tmp_path, release("1.0.0"), release("1.0.1"))
    assert outcome.findings == []
    assert outcome.details["tools"] == {"added": [], "removed": [], "renamed": []}
    assert outcome.details["consent_required"] == []


def test_up02_tool_removed_in_patch_is_high(tmp_path: Path) -> None:
    outcome = run(UP02, tmp_path, release("1.0.0"), release("1.0.1", tools=TOOLS[:1]))
    assert rules(outcome) == {"tool-removed": None}
    assert outcome.findings[0].severity is Severity.HIGH
    assert outcome.details["tools"]["removed"] == ["get_forecast"]


def test_up02_each_breaking_change_has_its_own_finding_id(tmp_path: Path) -> None:
    outcome = run(UP02, tmp_path, release("1.0.0"), release("1.0.1", tools=[]))
    ids = {finding_id(f) for f in outcome.findings}
    assert len(outcome.findings) == 2 and len(ids) == 2


def test_up02_tool_removed_in_minor_is_medium(tmp_path: Path) -> None:
    outcome = run(UP02, tmp_path, release("1.0.0"), release("1.1.0", tools=TOOLS[:1]))
    assert outcome.findings[0].severity is Severity.MEDIUM


@pytest.mark.parametrize(("old", "new"), UP02_MAJOR_BUMPS)
def test_up02_breaking_change_with_major_bump_is_fine(tmp_path: Path, old: str, new: str) -> None:
    outcome = run(UP02, tmp_path, release(old), release(new, tools=TOOLS[:1]))
    assert outcome.findings == []
    assert outcome.details["breaking_changes_allowed"] is True
    assert outcome.details["breaking_changes"] == ["tool 'get_forecast' removed"]


def test_up02_tool_renamed(tmp_path: Path) -> None:
    outcome = run(UP02, tmp_path, release("1.0.0"), release("1.0.1", tools=FORECAST_RENAMED))
    assert rules(outcome) == {"tool-renamed": None}
    assert outcome.details["tools"]["renamed"] == [{"from": "get_forecast", "to": "forecast"}]


def test_up02_tool_added_is_not_breaking(tmp_path: Path) -> None:
    more = [*TOOLS, ALERTS_TOOL]
    outcome = run(UP02, tmp_path, release("1.0.0"), release("1.1.0", tools=more))
    assert outcome.findings == []
    assert outcome.details["tools"]["added"] == ["alerts"]


def test_up02_required_parameter_added_when_schemas_exist(tmp_path: Path) -> None:
    old = release("1.0.0", tools=with_schema(["city"], ["city", "units"]))
    new = release("1.0.1", tools=with_schema(["city", "units", "day"], ["city", "units", "day"]))
    outcome = run(UP02, tmp_path, old, new)
    assert rules(outcome) == {"required-parameter-added": None}
    texts = [f.description for f in outcome.findings]
    assert any("'day'" in t for t in texts) and any("'units'" in t for t in texts)
    assert outcome.details["parameters"]["not_compared"] == ["get_forecast"]


def test_up02_optional_parameter_added_and_parameter_removed(tmp_path: Path) -> None:
    old = release("1.0.0", tools=with_schema(["city"], ["city", "units"]))
    new = release("1.1.0", tools=with_schema(["city"], ["city", "lang"]))
    outcome = run(UP02, tmp_path, old, new)
    assert rules(outcome) == {"parameter-removed": None}
    change = outcome.details["parameters"]["changes"][0]
    assert change["optional_added"] == ["lang"] and change["removed"] == ["units"]


def test_up02_parameters_not_compared_without_schemas(tmp_path: Path) -> None:
    outcome = run(UP02, tmp_path, release("1.0.0"), release("1.0.1"))
    assert outcome.details["parameters"]["not_compared"] == ["get_weather", "get_forecast"]
    assert "no tool input schemas" in outcome.details["parameters"]["note"]


def test_up02_permission_expanded_and_consent(tmp_path: Path) -> None:
    new = release("1.0.1")
    mtf_block(new)["permissions"].update({"network": "outbound", "subprocess": "full"})
    old = release("1.0.0")
    mtf_block(old)["permissions"]["filesystem"] = "read"  # reduced in the new one: fine
    outcome = run(UP02, tmp_path, old, new)
    assert rules(outcome) == {"permission-expanded": None}
    assert len(outcome.findings) == 2
    permissions = outcome.details["permissions"]
    assert {e["category"] for e in permissions["expanded"]} == {"network", "subprocess"}
    assert permissions["reduced"] == [{"category": "filesystem", "from": "read", "to": "none"}]
    assert "subprocess added" in outcome.details["consent_required"]


def test_up02_network_sideways_counts_as_expansion() -> None:
    old, new = manifest(), manifest()
    mtf_block(old)["permissions"]["network"] = "outbound"
    mtf_block(new)["permissions"]["network"] = "inbound"
    assert release_diff(old, new).permissions_expanded == [("network", "outbound", "inbound")]


def test_up02_oauth_scope_added(tmp_path: Path) -> None:
    cred = CALENDAR_CREDENTIAL
    old, new = release("1.0.0"), release("1.0.1")
    mtf_block(old)["credentials"] = [cred]
    mtf_block(new)["credentials"] = [{**cred, "scopes": ["calendar.readonly", "gmail.send"]}]
    outcome = run(UP02, tmp_path, old, new)
    assert rules(outcome) == {"scope-added": None}
    assert outcome.details["scopes"]["added"] == [{"provider": "google", "scope": "gmail.send"}]
    assert "expanded OAuth scope gmail.send (google)" in outcome.details["consent_required"]


def test_up02_launch_command_change_is_reported(tmp_path: Path) -> None:
    new = release("1.0.1")
    new["server"]["mcp_config"]["args"] = ["${__dirname}/other.py"]
    outcome = run(UP02, tmp_path, release("1.0.0"), new)
    assert outcome.details["launch_command_changed"] == ["args"]


def test_up02_republished_version_with_other_content_blocks(tmp_path: Path) -> None:
    outcome = run(UP02, tmp_path, release("1.0.0"), release("1.0.0", description="Changed"))
    assert rules(outcome) == {"republished-version-modified": 2}


def test_up02_republished_bundle_digest_differs(tmp_path: Path) -> None:
    raw = release("1.0.0")
    old = make_bundle(tmp_path / "old.mcpb", {"server.py": "x = 1\n"}, raw)
    with bundle_ctx(tmp_path / "new", {"server.py": "x = 2\n"}, raw, previous=old) as ctx:
        outcome = UP02.evaluate(ctx)
    assert rules(outcome) == {"republished-version-modified": 2}
    assert "bundle digest differs" in outcome.findings[0].description


def test_up02_previous_from_directory_and_bundle(tmp_path: Path) -> None:
    old = release("1.0.0", tools=TOOLS[:1])
    directory = tmp_path / "prev-dir"
    write_files(directory, {"server.py": ""}, old)
    bundle = make_bundle(tmp_path / "prev.mcpb", {"server.py": ""}, old)
    for previous in (directory, bundle):
        ctx = make_ctx(tmp_path / f"cur-{previous.name}", {}, release("2.0.0"), previous=previous)
        outcome = UP02.evaluate(ctx)
        assert outcome.details["tools"]["added"] == ["get_forecast"]
        assert outcome.details["previous"]["version"] == "1.0.0"


def test_up02_previous_with_another_name_warns(tmp_path: Path) -> None:
    outcome = run(UP02, tmp_path, release("1.0.0", name="@acme/other"), release("1.0.1"))
    assert rules(outcome) == {"previous-name-differs": None}


def test_up_unreadable_previous_raises_for_the_engine(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    ctx = make_ctx(tmp_path / "cur", {}, release("1.0.0"), previous=bad)
    with pytest.raises(ManifestError):
        UP04.evaluate(ctx)


# --- CLI ------------------------------------------------------------------------------------------


def test_up_cli_previous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = tmp_path / "server"
    write_files(server, {"server.py": "print('hi')\n"}, release("1.0.0", tools=TOOLS[:1]))
    previous = previous_file(tmp_path, release("1.1.0"))
    code = main(["scan", str(server), "--previous", str(previous), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    controls = report["domains"]["update_lifecycle"]["controls"]
    assert controls["UP-04"]["mtf_status"] == "fail"
    assert controls["UP-04"]["counts_toward_level"] is False
    assert controls["UP-02"]["details"]["tools"]["removed"] == ["get_forecast"]
    assert code in (0, 1)  # advisory controls never decide the exit code on their own


def test_up_cli_unreadable_previous_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = tmp_path / "server"
    write_files(server, {"server.py": "print('hi')\n"}, release("1.0.0"))
    code = main(["scan", str(server), "--previous", str(tmp_path / "missing.mcpb")])
    assert code == 3
    assert "missing.mcpb" in capsys.readouterr().err
