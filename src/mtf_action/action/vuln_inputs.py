"""The ``vuln-db`` and ``vex`` inputs: the SC-02 options of every scan the action runs.

Release mode's attest and its report, pull-request mode's head and base scans
and verify mode's rescan use the same :class:`~mtf_action.vulns.options.VulnOptions`.
With ``vuln-db`` the scans read offline OSV databases instead of the OSV API
(air-gapped and GHES runners, CI that must give the same answer tomorrow).
Each input holds one path per line, relative to the workspace: the container
sees nothing else. A missing or unusable file fails the step before anything
is built (exit 3), the same checks as the CLI's ``--vuln-db``/``--vex``.
"""

from __future__ import annotations

from pathlib import Path

from mtf_action.action.inputs import ActionInputs
from mtf_action.errors import InvalidInputError, UsageError
from mtf_action.vulns.options import VulnOptions
from mtf_action.vulns.preflight import check_vuln_options


def workspace_paths(workspace: Path, name: str, value: str) -> tuple[Path, ...]:
    """The input ``name``'s lines as existing paths inside ``workspace`` (resolved)."""
    paths: list[Path] = []
    for line in (raw.strip() for raw in value.splitlines()):
        if not line:
            continue
        if Path(line).is_absolute():
            raise UsageError(f"{name}: {line!r} must be relative to the workspace")
        path = (workspace / line).resolve()
        if not path.is_relative_to(workspace):
            raise UsageError(f"{name}: {line!r} leaves the workspace")
        if not path.exists():
            raise InvalidInputError(f"{name}: nothing at {line!r} in the workspace")
        if path not in paths:
            paths.append(path)
    return tuple(paths)


def vuln_options(workspace: Path, inputs: ActionInputs) -> VulnOptions:
    """The inputs' SC-02 options, checked (module docstring)."""
    options = VulnOptions(
        db=workspace_paths(workspace, "vuln-db", inputs.vuln_db),
        vex=workspace_paths(workspace, "vex", inputs.vex),
    )
    check_vuln_options(options)
    return options
