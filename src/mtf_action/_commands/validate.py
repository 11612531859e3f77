"""``mtf-attest validate PATH``: AI-01 / CD-01 manifest validation.

Exit codes: 0 valid at the checked level (warnings allowed); 1 a valid MCPB
manifest with a blocking MTF issue at that level; 3 not a valid MCPB manifest,
or unreadable / malformed input.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtf_action.console import Reporter
from mtf_action.errors import ExitCode

if TYPE_CHECKING:  # the validator (pydantic models, jsonschema) loads when this command runs
    from mtf_action.models.manifest_report import ManifestIssue, ManifestReport


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "validate",
        parents=[common],
        help="validate manifest.json of a server directory or .mcpb bundle (AI-01, CD-01)",
    )
    parser.add_argument("path", help="server directory, manifest.json or .mcpb bundle")
    parser.add_argument(
        "--level",
        type=int,
        choices=(1, 2, 3, 4),
        help="check against this MTF level (default: the level the manifest claims, else 1)",
    )
    parser.set_defaults(run=run)


def issue_line(source: str, issue: ManifestIssue) -> str:
    """``file:line: severity control pointer: message`` (the line when known)."""
    from mtf_action.models.manifest_report import Severity

    where = f"{source}:{issue.line}" if issue.line else source
    text = f"{where}: {issue.severity.value} {issue.control} {issue.pointer or '(root)'}: "
    text += issue.message
    if issue.remediation and issue.severity is not Severity.INFO:
        text += f" (fix: {issue.remediation})"
    return text


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def verdict_line(report: ManifestReport) -> str:
    from mtf_action.models.manifest_report import Severity

    blocking = len(report.blocking)
    warnings = len(report.with_severity(Severity.WARN))
    schema = report.schema_id or "no known MCPB schema"
    level = f"MTF L{report.level_checked}"
    if not report.mcpb_valid:
        head = f"INVALID: not a valid MCPB manifest ({schema})"
    elif not report.mtf_valid:
        head = f"FAIL: valid MCPB ({schema}) but not {level}"
    else:
        head = f"OK: valid MCPB ({schema}) and {level}"
    return f"{report.source}: {head}; {_count(blocking, 'blocking issue')}, {_count(warnings, 'warning')}"


def exit_code(report: ManifestReport) -> int:
    if not report.mcpb_valid:
        return int(ExitCode.INVALID_INPUT)
    if not report.mtf_valid:
        return int(ExitCode.POLICY_FAILURE)
    return int(ExitCode.OK)


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from mtf_action.manifest.loader import read_manifest
    from mtf_action.manifest.validation import validate_manifest

    loaded = read_manifest(Path(args.path))  # ManifestError/BundleError -> exit 3 in _cli
    report = validate_manifest(loaded, level=args.level)
    human = [issue_line(report.source, issue) for issue in report.issues]
    human.append(verdict_line(report))
    reporter.summary(report.model_dump(mode="json"), human)
    return exit_code(report)
