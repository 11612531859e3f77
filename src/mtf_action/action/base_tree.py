"""The base branch's copy of the scanned directory, exported from the checkout's git objects.

``git archive <base sha> -- <directory>`` is read from the object store and
unpacked into a private directory under ``$RUNNER_TEMP``: the workspace, its
index and its working tree are never touched. ``actions/checkout`` fetches one
commit by default, so the base commit is there only with ``fetch-depth: 0`` (or
an explicit fetch of it); without it the comparison is skipped and the comment
says why. git runs with a clean environment, without system config, prompts or
hooks; ``safe.directory`` names the workspace because the container's user does
not own it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final

if TYPE_CHECKING:
    from mtf_action.action.main import Run

_GIT_TIMEOUT: Final = 300
_OBJECT_ID: Final = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # SHA-1 or SHA-256 repositories
FETCH_HINT: Final = "check out with actions/checkout's fetch-depth: 0 to compare with it"


@dataclass(frozen=True)
class BaseTree:
    """The scanned directory as of the base commit, or why it is not available."""

    source: Path | None
    note: str | None = None


def _environment(run: Run) -> dict[str, str]:
    # No GIT_* from outside (GIT_DIR would redirect us), no system config, no prompts.
    keep = ("PATH", "HOME", "TMPDIR", "SYSTEMROOT")
    env = {k: v for k, v in run.env.items() if k in keep}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return env


def _safe_member(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """tarfile's ``data`` filter, skipping (not failing on) links that leave the tree."""
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


def _unpack(stream: IO[bytes], dest: Path) -> None:
    with tarfile.open(fileobj=stream, mode="r|") as archive:
        archive.extractall(dest, filter=_safe_member)


def export_base(run: Run, sha: str) -> BaseTree:
    """Export the ``directory`` input as of commit ``sha`` (see the module docstring)."""
    short = sha[:12]
    if not _OBJECT_ID.fullmatch(sha):
        return BaseTree(None, f"base not compared: {sha!r} is not a commit id")
    git = shutil.which("git", path=run.env.get("PATH", os.defpath))
    if git is None:
        return BaseTree(None, f"base commit {short} not compared: git is not installed here")
    workspace = run.workspace
    prefix = [git, "-c", f"safe.directory={workspace}"]
    env = _environment(run)

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, "-C", str(workspace), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )

    top = call("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        return BaseTree(
            None, f"base commit {short} not compared: the workspace is not a git checkout"
        )
    if call("cat-file", "-e", f"{sha}^{{commit}}").returncode != 0:
        return BaseTree(None, f"base commit {short} is not in the checkout; {FETCH_HINT}")
    toplevel = Path(top.stdout.strip()).resolve()
    directory = run.path(run.inputs.directory)
    try:
        relative = directory.relative_to(toplevel).as_posix()
    except ValueError:
        return BaseTree(None, f"base not compared: {run.inputs.directory} is outside the checkout")
    if call("cat-file", "-e", f"{sha}:{'' if relative == '.' else relative}").returncode != 0:
        return BaseTree(None, f"the base commit {short} has no {relative}: nothing to compare")
    dest = run.temp_dir("mtf-attest-base-")
    argv = [*prefix, "-C", str(toplevel), "archive", "--format=tar", sha]
    argv += [] if relative == "." else ["--", relative]
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=errors) as proc,
    ):
        assert proc.stdout is not None
        try:
            _unpack(proc.stdout, dest)
        except (tarfile.TarError, OSError) as exc:
            proc.kill()
            return BaseTree(None, f"base commit {short} could not be exported: {exc}")
        if proc.wait(timeout=_GIT_TIMEOUT) != 0:
            errors.seek(0)
            message = errors.read(400).decode("utf-8", "replace").strip()
            return BaseTree(None, f"base commit {short} could not be exported: {message}")
    return BaseTree(dest / relative)
