"""The container's contract: ``python -m mtf_action.action`` with a runner's environment.

No Docker engine here: the tests start the entrypoint the way the runner starts
the container (``INPUT_*`` with hyphens, event payload file, output and summary
files, ``RUNNER_TEMP``) on the example servers, then check outputs, summary,
annotations and that no token appears anywhere.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from action_support import (
    RELEASE_PUBLISHED,
    TAG_PUSH,
    TOKEN,
    ActionRun,
    every_file_text,
    pull_request,
    run_action,
)

from mtf_action.signing.keygen import write_key_pair

pytestmark = pytest.mark.slow


@pytest.fixture
def workspace(tmp_path: Path, python_example_tree: Path) -> Path:
    ws = tmp_path / "workspace"
    shutil.copytree(python_example_tree, ws / "server")
    return ws


def _assert_no_token(run: ActionRun, *roots: Path, secrets: tuple[str, ...] = (TOKEN,)) -> None:
    seen = "\n".join([run.stdout, run.stderr, every_file_text(*roots)])
    for secret in secrets:
        # The masks themselves are the only place a secret may be printed.
        assert seen.count(secret) == run.stdout.count(f"::add-mask::{secret}"), secret


@pytest.mark.parametrize(
    ("event_name", "event"), [("release", RELEASE_PUBLISHED), ("push", TAG_PUSH)]
)
def test_release_mode_with_a_key(
    workspace: Path, tmp_path: Path, event_name: str, event: dict[str, object]
) -> None:
    keys = write_key_pair(tmp_path / "keys")
    pem = Path(keys.private_key).read_text()
    run = run_action(
        workspace,
        tmp_path / "runner",
        event_name,
        event,
        {
            "directory": "server",
            "output-dir": "dist",
            "sign": "key",
            "signing-key": pem,
            "upload": "false",
            "vendor": "false",
            "github-token": TOKEN,
        },
    )
    assert run.code in (0, 1), run.stderr + run.stdout
    assert run.stdout.startswith("::add-mask::"), run.stdout[:200]
    outputs = run.outputs
    assert outputs["mode"] == "release"
    bundle = workspace / outputs["bundle-path"]
    assert outputs["bundle-path"].startswith("dist/") and bundle.is_file()
    assert outputs["bundle-size"] == str(bundle.stat().st_size)
    import hashlib

    assert outputs["bundle-sha256"] == hashlib.sha256(bundle.read_bytes()).hexdigest()
    for name in ("claim-path", "provenance-path", "sbom-path", "sarif-path"):
        assert (workspace / outputs[name]).is_file(), name
    assert outputs["uploaded"] == "false"
    claim = json.loads((workspace / outputs["claim-path"]).read_text())
    assert claim["predicate"]["level"]["verified"] == int(outputs["level"])
    assert claim["predicate"]["signing"]["mode"] == "key"
    assert "### MTF scan:" in run.summary and "| AI-03 |" in run.summary
    sarif = json.loads((workspace / outputs["sarif-path"]).read_text())
    assert sarif["version"] == "2.1.0"
    # The key file lived in RUNNER_TEMP only while signing.
    assert not any((tmp_path / "runner" / "temp").iterdir())
    key_line = next(line for line in pem.splitlines() if "-----" not in line)
    _assert_no_token(run, workspace, tmp_path / "runner", secrets=(TOKEN, key_line))


@pytest.mark.parametrize("action", ["opened", "synchronize"])
def test_pull_request_mode_scans_without_secrets(
    workspace: Path, tmp_path: Path, action: str
) -> None:
    run = run_action(
        workspace,
        tmp_path / "runner",
        "pull_request",
        pull_request(action),
        {"directory": "server", "sarif-file": "reports/mtf.sarif"},
        ref="refs/pull/42/merge",
    )
    assert run.code in (0, 1), run.stderr + run.stdout
    assert run.outputs["mode"] == "pull-request"
    assert run.outputs["sarif-path"] == "reports/mtf.sarif"
    assert run.outputs["level"].isdigit()
    assert "::notice::comment skipped: no github-token input" in run.stdout
    assert "### MTF scan:" in run.summary
    assert not (workspace / "dist").exists()  # nothing built, nothing signed
    # Findings are annotations on repository-relative files.
    for line in run.stdout.splitlines():
        if line.startswith(("::error file=", "::warning file=")):
            assert line.split("file=", 1)[1].startswith("server/"), line
    _assert_no_token(run, workspace, tmp_path / "runner")


def test_usage_errors_are_one_annotation_and_exit_2(workspace: Path, tmp_path: Path) -> None:
    run = run_action(
        workspace, tmp_path / "runner", "push", {"ref": "refs/heads/main"}, {"directory": "server"}
    )
    assert run.code == 2
    assert "::error title=mtf-attest::mode auto cannot tell" in run.stdout
    assert "Traceback" not in run.stderr
    run = run_action(
        workspace, tmp_path / "runner", "release", RELEASE_PUBLISHED,
        {"directory": "server", "sign": "key", "upload": "false"},
    )  # fmt: skip
    assert run.code == 2 and "sign: key needs the signing-key input" in run.stdout
