"""What ``git`` says about the source tree of a local build (for its SLSA provenance).

git runs with hooks and fsmonitor disabled, no prompts and a timeout: the tree
being attested does not get to configure what runs. Remote URLs lose any
``user:password@`` part before they are recorded: a token in a clone URL must
not end up in a signed, public attestation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from mtf_action.gitcli import run_git

_SHA1 = re.compile(r"^[0-9a-f]{40}$")
_SCP_LIKE = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?P<path>[^/].*)$")


@dataclass(frozen=True)
class GitSource:
    """The checkout a directory belongs to."""

    commit: str
    ref: str | None  # refs/heads/<branch>; None when HEAD is detached
    remote_url: str | None  # origin, credentials removed, as an https/ssh URL
    path: str  # the directory relative to the work tree root ("" at the root)
    dirty: bool  # uncommitted changes or untracked files under the directory


def _git(directory: Path, *args: str) -> str | None:
    out = run_git(directory, *args)
    return out.strip() if out is not None else None


def public_url(remote: str) -> str | None:
    """``remote`` as a URL without credentials; scp-like ``git@host:o/r`` becomes ssh://."""
    remote = remote.strip()
    if not remote:
        return None
    if "://" not in remote:
        match = _SCP_LIKE.match(remote)
        if not match or remote.startswith(("/", ".")):
            return None  # a local path: nothing a consumer could fetch, and it names the host
        return f"ssh://{match['host']}/{match['path']}"
    parts = urlsplit(remote)
    if parts.scheme == "file" or not parts.hostname:
        return None
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def git_source(directory: Path) -> GitSource | None:
    """The checkout of ``directory``; None when it is not in a git work tree (or no git)."""
    commit = _git(directory, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if not commit or not _SHA1.match(commit):
        return None
    ref = _git(directory, "symbolic-ref", "-q", "HEAD")
    remote = _git(directory, "config", "--get", "remote.origin.url")
    prefix = _git(directory, "rev-parse", "--show-prefix") or ""
    status = _git(directory, "status", "--porcelain", "--", ".")
    return GitSource(
        commit=commit,
        ref=ref or None,
        remote_url=public_url(remote) if remote else None,
        path=prefix.rstrip("/"),
        dirty=bool(status),
    )
