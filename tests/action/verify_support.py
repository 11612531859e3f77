"""Releases made by the action's own release flow on the local GitHub, for the verify tests.

A uniquely named module (test directories have no ``__init__.py``). The release is
what a publisher's tag-push job leaves on GitHub: ``run_action`` in release mode with
``upload: true`` against :class:`FakeGitHub`; the consumer side then runs the action
in verify mode (or ``mtf-attest verify --repository``) against the same server.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from action_support import REPO, SHA, TAG_PUSH, ActionRun, every_file_text, run_action

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "github"))
from fake_github import FakeGitHub, Fault, Release

__all__ = ["FakeGitHub", "Fault", "Release"]  # re-exported: the path is set up here

TAG = "v1.0.0"
WORKFLOW = ".github/workflows/release.yml"
# The publisher's github-token (a secret: it must appear nowhere but in masks).
PUBLISHER_TOKEN = "ghs_Publ1sherT0kenValue0123456789abcdefQ"
CONSUMER_EVENT = {"ref": "refs/heads/main", "after": SHA, "repository": {"full_name": "c/app"}}


def server_tree(root: Path) -> Path:
    """A tiny Python MCP server without dependencies whose manifest claims no level,
    so its release verifies at whatever level it reaches."""
    root.mkdir(parents=True)
    (root / "server.py").write_text("def echo(text: str) -> str:\n    return text\n")
    manifest = {
        "manifest_version": "0.4",
        "name": "@acme/units",
        "version": "1.0.0",
        "description": "A tiny MCP server for the verify tests",
        "author": {"name": "Acme", "email": "dev@acme.example"},
        "server": {
            "type": "python",
            "entry_point": "server.py",
            "mcp_config": {"command": "python", "args": ["${__dirname}/server.py"]},
        },
        "tools": [{"name": "echo", "description": "Echo the input back"}],
    }
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return root


@dataclass
class Published:
    """A release on the fake server and how it was made."""

    fake: FakeGitHub
    run: ActionRun  # the release-mode run that published it
    workspace: Path  # the publisher's workspace (dist/ holds the assets)
    runner: Path

    @property
    def release(self) -> Release:
        return self.fake.release(TAG)

    def asset(self, suffix: str) -> bytes:
        return next(a.data for a in self.release.assets if a.name.endswith(suffix))

    @property
    def bundle_sha256(self) -> str:
        return hashlib.sha256(self.asset(".mcpb")).hexdigest()

    @property
    def verified_level(self) -> int:
        claim = json.loads(self.asset(".mcpb.mtf-claim.json"))
        return int(claim["predicate"]["level"]["verified"])

    @contextmanager
    def tampered(self, suffix: str) -> Iterator[None]:
        """Flip one byte of the asset ending in ``suffix`` (the listed digest follows,
        as when an attacker replaces the file), restored afterwards."""
        asset = next(a for a in self.release.assets if a.name.endswith(suffix))
        original = asset.data
        data = bytearray(original)
        data[len(data) // 2] ^= 0x01
        asset.data = bytes(data)
        try:
            yield
        finally:
            asset.data = original


def publish(
    fake: FakeGitHub,
    root: Path,
    inputs: dict[str, str],
    *,
    extra_env: dict[str, str] | None = None,
) -> Published:
    """Run the release flow (tag push -> draft -> assets -> published) of
    :func:`server_tree` into ``fake``."""
    workspace = root / "publisher"
    server_tree(workspace / "server")
    runner = root / "publisher-runner"
    run = run_action(
        workspace,
        runner,
        "push",
        TAG_PUSH,
        {"directory": "server", "vendor": "false", "github-token": PUBLISHER_TOKEN, **inputs},
        extra_env={"GITHUB_API_URL": fake.api_url, **(extra_env or {})},
    )
    return Published(fake, run, workspace, runner)


def verify_step(
    published: Published, consumer: Path, inputs: dict[str, str], **extra_env: str
) -> ActionRun:
    """A consumer's ``mode: verify`` step on ``REPO``'s release ``TAG``."""
    consumer.mkdir(parents=True, exist_ok=True)
    return run_action(
        consumer,
        consumer.parent / f"{consumer.name}-runner",
        "push",
        CONSUMER_EVENT,
        {"mode": "verify", "repository": REPO, "tag": TAG, "output-dir": "deps", **inputs},
        ref="refs/heads/main",
        extra_env={"GITHUB_API_URL": published.fake.api_url, "GITHUB_REPOSITORY": "c/app",
                   "GITHUB_WORKFLOW_REF": "c/app/.github/workflows/ci.yml@refs/heads/main",
                   **extra_env},
    )  # fmt: skip


def errors(run: ActionRun) -> list[str]:
    return [line for line in run.stdout.splitlines() if line.startswith("::error")]


def assert_secrets_only_masked(run: ActionRun, secrets: list[str], *roots: Path) -> None:
    """Each secret (and each piece of it: JWT segments) appears only inside the
    ``::add-mask::`` line of its secret: in nothing else printed or written."""
    seen = "\n".join([run.stdout, run.stderr, every_file_text(*roots)])
    for secret in secrets:
        masks = run.stdout.count(f"::add-mask::{secret}")
        for piece in {secret, *secret.split(".")}:
            assert len(piece) >= 16, "a short piece proves nothing"
            assert seen.count(piece) == masks, f"{piece[:12]}... leaked"
