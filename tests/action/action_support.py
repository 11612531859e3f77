"""Run the action's entrypoint exactly as the runner starts the container."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = "acme/units"
SHA = "0123456789abcdef0123456789abcdef01234567"
TOKEN = "ghs_0123456789abcdefTOKENfedcba9876543210"

RELEASE_PUBLISHED = {
    "action": "published",
    "release": {"id": 101, "tag_name": "v1.0.0", "draft": False, "prerelease": False,
                "html_url": f"https://github.com/{REPO}/releases/tag/v1.0.0"},
    "repository": {"full_name": REPO, "id": 812345678},
    "sender": {"login": "octocat"},
}  # fmt: skip
TAG_PUSH = {"ref": "refs/tags/v1.0.0", "before": "0" * 40, "after": SHA, "created": True,
            "repository": {"full_name": REPO}}  # fmt: skip


def pull_request(action: str) -> dict[str, object]:
    return {
        "action": action,
        "number": 42,
        "pull_request": {
            "number": 42,
            "html_url": f"https://github.com/{REPO}/pull/42",
            "head": {"ref": "feature", "sha": SHA, "repo": {"full_name": "fork/units"}},
            "base": {"ref": "main", "sha": "f" * 40, "repo": {"full_name": REPO}},
        },
        "repository": {"full_name": REPO},
    }


@dataclass
class ActionRun:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


def parse_outputs(text: str) -> dict[str, str]:
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        name, _, delimiter = line.partition("<<")
        value: list[str] = []
        for inner in lines:
            if inner == delimiter:
                break
            value.append(inner)
        outputs[name] = "\n".join(value)
    return outputs


def run_action(
    workspace: Path,
    runner: Path,
    event_name: str,
    event: dict[str, object],
    inputs: dict[str, str],
    *,
    ref: str = "refs/tags/v1.0.0",
    extra_env: dict[str, str] | None = None,
) -> ActionRun:
    runner.mkdir(parents=True, exist_ok=True)
    event_path = runner / "event.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    output, summary = runner / "output", runner / "summary.md"
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "RUNNER_"))
    }
    env |= {
        "GITHUB_ACTIONS": "true",
        "CI": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_REPOSITORY_ID": "812345678",
        "GITHUB_REPOSITORY_OWNER_ID": "91234567",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_API_URL": "http://127.0.0.1:9",  # closed: nothing may reach a real API
        "GITHUB_WORKFLOW_REF": f"{REPO}/.github/workflows/release.yml@{ref}",
        "GITHUB_REF": ref,
        "GITHUB_SHA": SHA,
        "GITHUB_RUN_ID": "13579246810",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_TOKEN": TOKEN,
        "RUNNER_TEMP": str(runner / "temp"),
        "RUNNER_ENVIRONMENT": "github-hosted",
    }
    (runner / "temp").mkdir(exist_ok=True)
    env |= extra_env or {}
    env |= {f"INPUT_{name.upper()}": value for name, value in inputs.items()}
    proc = subprocess.run(
        [sys.executable, "-m", "mtf_action.action"],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return ActionRun(
        proc.returncode,
        proc.stdout,
        proc.stderr,
        parse_outputs(output.read_text() if output.exists() else ""),
        summary.read_text() if summary.exists() else "",
    )


def every_file_text(*roots: Path) -> str:
    """Everything written under ``roots`` (binary members decoded leniently)."""
    parts = [
        path.read_bytes().decode("utf-8", "replace")
        for root in roots
        for path in root.rglob("*")
        if path.is_file()
    ]
    return "\n".join(parts)
