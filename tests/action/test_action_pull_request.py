"""Pull-request mode against the base branch, and ``previous-release: auto`` in both modes.

The workspace is a real git checkout (base commit, then the PR's commit); the
entrypoint runs as the runner starts the container, against the local GitHub
(tests/github/fake_github.py) holding earlier releases with bundles.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from action_support import REPO, TAG_PUSH, every_file_text, pull_request, run_action

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "github"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scan"))
from fake_github import Asset, FakeGitHub
from helpers import BASE_SERVER, HEAD_SERVER, manifest, mtf_block

pytestmark = pytest.mark.slow
TOKEN = "ghs_PullRequestT0ken0123456789abcdefUVW"
MARKER = "<!-- mtf-attest:sticky -->"
RUN_LINK = "https://github.com/acme/units/actions/runs/13579246810"


def _manifest(version: str, subprocess_permission: str = "none") -> dict[str, Any]:
    raw = manifest(version=version)
    mtf_block(raw)["permissions"]["subprocess"] = subprocess_permission
    return raw


def _git(cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    ident = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    proc = subprocess.run(
        ["git", *ident, "-c", "init.defaultBranch=main", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return proc.stdout.strip()


def _write_server(root: Path, raw: dict[str, Any], code: str) -> None:
    (root / "server").mkdir(parents=True, exist_ok=True)
    (root / "server" / "manifest.json").write_text(json.dumps(raw, indent=2) + "\n")
    (root / "server" / "server.py").write_text(code)


@pytest.fixture
def checkout(tmp_path: Path) -> tuple[Path, str]:
    """A repository with the base commit and the PR's commit checked out; (path, base sha)."""
    ws = tmp_path / "workspace"
    ws.mkdir()
    _git(ws, "init", "-q")
    (ws / "README.md").write_text("units\n")
    _write_server(ws, _manifest("1.1.0"), BASE_SERVER)
    _git(ws, "add", "-A")
    _git(ws, "commit", "-q", "-m", "base")
    base = _git(ws, "rev-parse", "HEAD")
    _write_server(ws, _manifest("1.1.0", "full"), HEAD_SERVER)
    _git(ws, "commit", "-q", "-am", "the pull request")
    return ws, base


def _bundle_bytes(tmp_path: Path, raw: dict[str, Any]) -> bytes:
    path = tmp_path / f"bundle-{raw['version']}.mcpb"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", json.dumps(raw))
        zf.writestr("server.py", "x = 1\n")
    return path.read_bytes()


def _publish(fake: FakeGitHub, tmp_path: Path, tag: str, raw: dict[str, Any]) -> None:
    release = fake.add_release(REPO, tag)
    name = f"units-{raw['version']}.mcpb"
    data = _bundle_bytes(tmp_path, raw)
    release.assets.append(Asset(fake.next_id(), name, data, "application/octet-stream"))


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    server = FakeGitHub(token=TOKEN)
    yield server
    server.close()


def _pr_event(base_sha: str) -> dict[str, Any]:
    event = copy.deepcopy(pull_request("synchronize"))
    event["pull_request"]["base"]["sha"] = base_sha  # type: ignore[index]
    return event


def _snapshot(ws: Path) -> dict[str, bytes]:
    return {
        p.relative_to(ws).as_posix(): p.read_bytes()
        for p in ws.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(ws).parts
    }


def _no_token(*texts: str) -> None:
    seen = "\n".join(texts)
    assert seen.count(TOKEN) == seen.count(f"::add-mask::{TOKEN}")


def test_comment_lists_new_and_fixed_findings_against_the_base(
    fake: FakeGitHub, checkout: tuple[Path, str], tmp_path: Path
) -> None:
    ws, base_sha = checkout
    _publish(fake, tmp_path, "v1.0.0", _manifest("1.0.0"))
    _publish(fake, tmp_path, "v0.9.0", _manifest("0.9.0"))
    before = _snapshot(ws)
    head = _git(ws, "rev-parse", "HEAD")
    inputs = {"directory": "server", "github-token": TOKEN, "sarif-file": "reports/mtf.sarif"}
    env = {"GITHUB_API_URL": fake.api_url}
    runner = tmp_path / "runner"
    run = run_action(ws, runner, "pull_request", _pr_event(base_sha), inputs, extra_env=env)
    assert run.code in (0, 1), run.stdout + run.stderr
    thread = fake.comments[(REPO, 42)]
    assert len(thread) == 1
    body = thread[0]["body"]
    assert body.startswith(MARKER + "\n") and len(body) <= 65536
    assert run.summary.strip() == body.removeprefix(MARKER + "\n").strip()
    assert f"Base branch (`{base_sha[:12]}`): L" in body
    new = body.split("#### New in this PR: ", 1)[1].split("####", 1)[0]
    fixed = body.split("#### Fixed by this PR: ", 1)[1].split("####", 1)[0]
    # Only the added call (line 13) is new; the one that moved to line 9 is not.
    assert "`server/server.py:13`" not in new  # paths are relative to the directory
    assert "CQ-05 `server.py:13`: subprocess.run() with shell=True" in new
    assert "server.py:9" not in new
    assert "eval() of a non-constant expression" in fixed
    assert "| control | name | level | base | this PR |" in body
    assert "| CD-02 | Permission Correlation | L2 |" in body
    # previous-release auto: v1.0.0 (the latest), anonymous-capable listing, consent diff.
    assert "Previous release for UP-02/UP-04: v1.0.0 (units-1.0.0.mcpb)." in body
    assert (
        "**Consent required before an automatic update (UP-01) since 1.0.0:** "
        "new permission subprocess: none -&gt; full" in body
    )
    assert f"[The run with the full report]({RUN_LINK})" in body
    sarif = json.loads((ws / "reports" / "mtf.sarif").read_text())
    assert all("mtfFingerprint/v1" in r["partialFingerprints"] for r in sarif["runs"][0]["results"])
    # The workspace is as it was (plus the SARIF file); git state untouched.
    after = _snapshot(ws)
    assert set(after) - set(before) == {"reports/mtf.sarif"}
    assert all(after[k] == v for k, v in before.items())
    assert _git(ws, "status", "--porcelain") == "?? reports/"
    assert _git(ws, "rev-parse", "HEAD") == head
    assert len(_git(ws, "worktree", "list").splitlines()) == 1
    assert not any((runner / "temp").iterdir())  # base tree and previous bundle removed

    again = run_action(ws, tmp_path / "runner2", "pull_request", _pr_event(base_sha), inputs,
                       extra_env=env)  # fmt: skip
    assert again.code == run.code
    assert len(fake.comments[(REPO, 42)]) == 1  # updated in place
    _no_token(run.stdout, run.stderr, again.stdout, again.stderr, every_file_text(ws, runner))


def test_shallow_checkout_without_base_commit_says_so(
    fake: FakeGitHub, checkout: tuple[Path, str], tmp_path: Path
) -> None:
    repo, base_sha = checkout
    shallow = tmp_path / "shallow"
    _git(tmp_path, "clone", "-q", "--depth", "1", repo.as_uri(), str(shallow))
    inputs = {"directory": "server", "github-token": TOKEN}
    env = {"GITHUB_API_URL": fake.api_url}  # no releases at all
    run = run_action(
        shallow, tmp_path / "runner", "pull_request", _pr_event(base_sha), inputs, extra_env=env
    )
    assert run.code in (0, 1), run.stdout + run.stderr
    body = fake.comments[(REPO, 42)][0]["body"]
    assert (
        f"> base commit {base_sha[:12]} is not in the checkout; check out with "
        "actions/checkout's fetch-depth: 0 to compare with it" in body
    )
    assert "New in this PR" not in body and "#### Findings: " in body
    assert "| control | name | level | status |" in body
    assert (
        "Previous release for UP-02/UP-04: no release of acme/units has an .mcpb asset "
        "to compare with." in body
    )
    assert "::error title=mtf-attest" not in run.stdout  # findings only, no failure


def test_base_without_the_directory_and_previous_release_none(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    _git(ws, "init", "-q")
    (ws / "README.md").write_text("units\n")
    _git(ws, "add", "-A")
    _git(ws, "commit", "-q", "-m", "base without a server")
    base = _git(ws, "rev-parse", "HEAD")
    _write_server(ws, _manifest("1.0.0"), BASE_SERVER)
    _git(ws, "add", "-A")
    _git(ws, "commit", "-q", "-m", "add the server")
    inputs = {"directory": "server", "github-token": TOKEN, "previous-release": "none"}
    run = run_action(ws, tmp_path / "runner", "pull_request", _pr_event(base),
                     inputs, extra_env={"GITHUB_API_URL": fake.api_url})  # fmt: skip
    assert run.code in (0, 1), run.stdout + run.stderr
    assert fake.count("GET", "/releases") == 0  # none: no lookup
    body = fake.comments[(REPO, 42)][0]["body"]
    assert f"the base commit {base[:12]} has no server: nothing to compare" in body
    assert "Previous release for UP-02/UP-04: not compared (previous-release: none)." in body


def test_release_mode_compares_with_the_latest_earlier_release(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    _write_server(ws, _manifest("1.0.0", "full"), "def echo(text):\n    return text\n")
    _publish(fake, tmp_path, "v0.9.0", _manifest("0.9.0"))
    _publish(fake, tmp_path, "v1.1.0", _manifest("1.1.0"))  # later than the tag: not previous
    inputs = {"directory": "server", "sign": "none", "upload": "false", "vendor": "false"}
    run = run_action(ws, tmp_path / "runner", "push", TAG_PUSH, inputs,
                     extra_env={"GITHUB_API_URL": fake.api_url})  # fmt: skip
    assert run.code in (0, 1), run.stdout + run.stderr
    assert all(a == "" for a in fake.authorizations)  # no github-token: anonymous
    assert "previous release: v0.9.0 (units-0.9.0.mcpb)" in run.stderr
    assert "| UP-04 | Version Monotonicity | L2 | ✅ pass (advisory) |" in run.summary
    assert "(UP-01) since 0.9.0:** new permission subprocess: none -&gt; full" in run.summary
    assert not any((tmp_path / "runner" / "temp").iterdir())


def test_release_mode_first_release_skips_the_up_checks_with_the_reason(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    _write_server(ws, _manifest("1.0.0"), "def echo(text):\n    return text\n")
    _publish(fake, tmp_path, "v1.0.0", _manifest("1.0.0"))  # the release itself (a re-run)
    inputs = {"directory": "server", "sign": "none", "upload": "false", "vendor": "false",
              "sarif-file": ""}  # fmt: skip
    run = run_action(ws, tmp_path / "runner", "push", TAG_PUSH, inputs,
                     extra_env={"GITHUB_API_URL": fake.api_url})  # fmt: skip
    assert run.code in (0, 1), run.stdout + run.stderr
    assert "| UP-04 | Version Monotonicity | L2 | ➖ skip (advisory) |" in run.summary
    reason = "no release of acme/units earlier than v1.0.0 has an .mcpb asset to compare with"
    assert f"Previous release for UP-02/UP-04: {reason}." in run.summary


def test_explicit_previous_tag_that_does_not_exist_is_an_error(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    _write_server(ws, _manifest("1.0.0"), "def echo(text):\n    return text\n")
    inputs = {"directory": "server", "sign": "none", "upload": "false", "vendor": "false",
              "previous-release": "v0.1.0"}  # fmt: skip
    run = run_action(ws, tmp_path / "runner", "push", TAG_PUSH, inputs,
                     extra_env={"GITHUB_API_URL": fake.api_url})  # fmt: skip
    assert run.code == 2, run.stdout + run.stderr
    assert "previous-release: acme/units has no release v0.1.0 with an .mcpb asset" in run.stdout
