"""One exception hierarchy for the whole library, mapped to documented exit codes.

Library code raises these; only the CLI and the Action adapter turn them into an
exit status. Each error renders as a single line ``<file>: <problem>`` so a user
can act on it without reading a traceback.
"""

from __future__ import annotations

import enum
from pathlib import Path


class ExitCode(enum.IntEnum):
    """Exit codes shared by every subcommand (documented in the README)."""

    OK = 0
    POLICY_FAILURE = 1  # blocking findings, failed verification
    USAGE = 2  # bad command line
    INVALID_INPUT = 3  # unreadable, malformed or hostile input
    ENVIRONMENT = 4  # missing tool, remote service unreachable, vendoring failed


class MtfError(Exception):
    """Base class: a message, an optional file it concerns, and an exit code."""

    exit_code: ExitCode = ExitCode.ENVIRONMENT

    def __init__(self, message: str, *, path: str | Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None

    def one_line(self) -> str:
        """The error as one line: ``file: problem`` (newlines folded)."""
        text = " ".join(self.message.split())
        return f"{self.path}: {text}" if self.path else text

    def __str__(self) -> str:
        return self.one_line()


class UsageError(MtfError):
    """The command line asks for something impossible or contradictory."""

    exit_code = ExitCode.USAGE


class InvalidInputError(MtfError):
    """Input that cannot be used: missing, unreadable, malformed or hostile."""

    exit_code = ExitCode.INVALID_INPUT


class ManifestError(InvalidInputError):
    """manifest.json is missing, not JSON, or violates its schema (AI-01)."""


class BundleError(InvalidInputError):
    """A .mcpb archive is unreadable or hostile (zip slip, bomb, symlink, duplicates)."""


class EnvironmentProblem(MtfError):
    """Something outside the input failed: a tool is missing or a step crashed."""

    exit_code = ExitCode.ENVIRONMENT


class VendorError(EnvironmentProblem):
    """Runtime dependencies could not be vendored (pip/uv/npm failed or is missing)."""


class RemoteServiceError(EnvironmentProblem):
    """A remote service (GitHub, Sigstore, OSV, feeds) failed or was unreachable."""


class PolicyFailure(MtfError):
    """The input was read fine but does not meet the requested policy."""

    exit_code = ExitCode.POLICY_FAILURE
