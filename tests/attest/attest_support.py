"""Constants and helpers of the attest tests (a uniquely named module: see conftest.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EPOCH = 1_700_000_000
REPO = "acme/tiny-server"
SHA = "0123456789abcdef0123456789abcdef01234567"
TAG = "refs/tags/v1.0.0"

# Every variable a GitHub Actions run sets that attest reads (values like a real run).
GITHUB_ENV: dict[str, str] = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_REPOSITORY": REPO,
    "GITHUB_REPOSITORY_ID": "812345678",
    "GITHUB_REPOSITORY_OWNER_ID": "91234567",
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_WORKFLOW_REF": f"{REPO}/.github/workflows/release.yml@{TAG}",
    "GITHUB_REF": TAG,
    "GITHUB_SHA": SHA,
    "GITHUB_RUN_ID": "13579246810",
    "GITHUB_RUN_ATTEMPT": "2",
    "GITHUB_EVENT_NAME": "push",
    "RUNNER_ENVIRONMENT": "github-hosted",
}
CLEARED_VARIABLES = (
    *GITHUB_ENV,
    "MTF_IDENTITY_TOKEN",
    "SOURCE_DATE_EPOCH",
    "ACTIONS_ID_TOKEN_REQUEST_URL",
)


def manifest(**override: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "manifest_version": "0.4",
        "name": "@acme/tiny",
        "version": "1.0.0",
        "description": "A tiny MCP server for the attest tests",
        "author": {"name": "Acme", "email": "dev@acme.example"},
        "server": {
            "type": "python",
            "entry_point": "server.py",
            "mcp_config": {"command": "python", "args": ["${__dirname}/server.py"]},
        },
        "tools": [{"name": "echo", "description": "Echo the input back"}],
    }
    data.update(override)
    return data


def make_tree(root: Path, **override: Any) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "server.py").write_text("def echo(text: str) -> str:\n    return text\n")
    (root / "manifest.json").write_text(json.dumps(manifest(**override), indent=2))
    return root


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def summary(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.out)
        return data
