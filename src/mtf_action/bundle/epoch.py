"""Which timestamp the archive entries get (SOURCE_DATE_EPOCH, MTF AI-04).

Order of precedence, first match wins:

1. an explicit value (``--source-date-epoch``);
2. the ``SOURCE_DATE_EPOCH`` environment variable, as defined by
   reproducible-builds.org: a non-negative integer count of seconds since
   1970-01-01T00:00:00Z; anything else is a usage error (an empty value counts
   as unset, as CI templates often export empty variables);
3. the committer time of ``HEAD`` when the source directory is in a git work
   tree (``git log -1 --format=%ct``), so two checkouts of one commit produce
   the same bundle; if git is missing, times out or the tree has no commits,
   this step is skipped;
4. ``DEFAULT_EPOCH`` = 315532800 = 1980-01-01T00:00:00Z, the earliest time a
   ZIP (DOS) timestamp can express.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

from mtf_action.errors import UsageError

DEFAULT_EPOCH = 315532800
ENV_VAR = "SOURCE_DATE_EPOCH"
GIT_TIMEOUT_SECONDS = 10.0

_DIGITS = re.compile(r"[0-9]+")


def _git_commit_time(source_dir: Path) -> int | None:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            # showSignature would print GPG output into the format we parse.
            ["git", "-c", "log.showSignature=false", "log", "-1", "--format=%ct"],
            cwd=source_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = done.stdout.strip()
    if done.returncode != 0 or not _DIGITS.fullmatch(value):
        return None
    return int(value)


def resolve_epoch(
    source_dir: Path, explicit: int | None, env: Mapping[str, str]
) -> tuple[int, str]:
    """The epoch for archive timestamps, and a short description of its origin."""
    if explicit is not None:
        if explicit < 0:
            raise UsageError(f"--source-date-epoch must be a non-negative integer, got {explicit}")
        return explicit, "--source-date-epoch"
    raw = env.get(ENV_VAR, "").strip()
    if raw:
        if not _DIGITS.fullmatch(raw):
            raise UsageError(
                f"{ENV_VAR} must be a non-negative integer (seconds since 1970-01-01 UTC), "
                f"got {raw!r}"
            )
        return int(raw), f"{ENV_VAR} environment variable"
    commit_time = _git_commit_time(source_dir)
    if commit_time is not None:
        return commit_time, "git HEAD commit time"
    return DEFAULT_EPOCH, "default (1980-01-01T00:00:00Z)"
