"""Read-only git queries on a checkout (provenance source, PR-04 commit linkage).

git runs without prompts, hooks or fsmonitor, in the C locale and without
taking optional locks, so a query never changes the repository or waits on a
user; any failure, including git being absent, is ``None``.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT_TIMEOUT_SECONDS = 10.0


def run_git(directory: Path, *args: str) -> str | None:
    """stdout of ``git ARGS`` in ``directory``, or None when git fails or is missing."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}
    command = ["git", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", *args]
    try:
        done = subprocess.run(
            command,
            cwd=directory,
            env=env,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    return done.stdout if done.returncode == 0 else None
