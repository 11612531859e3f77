"""Shared helpers of the CD-02 tests: manifests with chosen permissions, rule summaries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import make_ctx, manifest, mtf_block

from mtf_action.scan.controls.cd02_permissions import PermissionCorrelation
from mtf_action.scan.result import ControlOutcome

CD02 = PermissionCorrelation()
NODE_SERVER = {
    "type": "node",
    "entry_point": "server/index.js",
    "mcp_config": {"command": "node", "args": ["${__dirname}/server/index.js"]},
}


def with_permissions(raw: dict[str, Any] | None = None, **values: str) -> dict[str, Any]:
    """The L2 test manifest (or ``raw``) with some permission categories changed."""
    data = raw if raw is not None else manifest()
    if values:
        mtf_block(data).setdefault("permissions", {}).update(values)
    return data


def evaluate(
    tmp_path: Path, files: dict[str, str | bytes], raw: dict[str, Any] | None = None, **values: str
) -> ControlOutcome:
    return CD02.evaluate(make_ctx(tmp_path, files, with_permissions(raw, **values)))


def rules(outcome: ControlOutcome) -> list[str]:
    return sorted(f.rule for f in outcome.findings)


def undeclared(outcome: ControlOutcome) -> list[tuple[str, str, int | None]]:
    """(rule, severity, blocks_at) of the undeclared-use findings."""
    return sorted(
        (f.rule, f.severity.value, f.blocks_at)
        for f in outcome.findings
        if f.rule.startswith("undeclared-")
    )


def uses(outcome: ControlOutcome, category: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [u for u in outcome.details["uses"] if u["category"] == category]
    return found
