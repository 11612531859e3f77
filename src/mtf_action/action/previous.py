"""The ``previous-release`` input: which earlier release UP-02/UP-04 compare with.

- ``auto`` (default): the repository's latest release earlier than this one
  (release mode: earlier than the event's tag; pull-request mode: the latest
  release) that has an ``.mcpb`` asset, see :mod:`mtf_action.github.previous`;
- a path that exists in the workspace (manifest, server directory or .mcpb);
- any other value: a release tag of this repository;
- ``none``: no comparison.

The bundle is downloaded (size- and digest-checked) into a private directory
under ``$RUNNER_TEMP``. When no earlier release exists, or the API cannot be
reached in ``auto`` mode, the UP checks are skipped with that reason instead of
failing the run; an explicitly named tag that cannot be fetched is an error.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mtf_action.action import github_calls
from mtf_action.action.event import Event
from mtf_action.errors import MtfError, UsageError

if TYPE_CHECKING:
    from mtf_action.action.main import Run


@dataclass(frozen=True)
class PreviousRelease:
    """A local copy of the previous release, or why there is none."""

    path: Path | None
    note: str  # what was compared with, or why nothing was (UP-02/UP-04's skip reason)
    tag: str | None = None


def _none(note: str) -> PreviousRelease:
    return PreviousRelease(None, note)


_RESOLVED: weakref.WeakKeyDictionary[Run, PreviousRelease] = weakref.WeakKeyDictionary()


def previous_release(run: Run, event: Event) -> PreviousRelease:
    """Resolve ``previous-release`` once per run (see the module docstring)."""
    if run not in _RESOLVED:
        _RESOLVED[run] = _resolve(run, event)
    return _RESOLVED[run]


def _resolve(run: Run, event: Event) -> PreviousRelease:
    from mtf_action.github.previous import tag_version

    value = run.inputs.previous_release
    if value == "none":
        return _none("not compared (previous-release: none)")
    tag: str | None = None
    if value not in ("", "auto"):
        local = run.path(value)
        if local.exists():
            return PreviousRelease(local, run.shown(local))
        tag = value
    current = event.tag
    before = tag_version(current) if current else None
    if tag is None and current and before is None:
        return _none(
            f"previous-release auto: tag {current!r} is not SemVer, so no earlier release "
            "can be told apart; name one with previous-release"
        )
    release = event.payload.release
    prereleases = (
        bool(release.prerelease) if release is not None else bool(before and before.prerelease)
    )
    where = run.api.repository or "this repository"
    try:
        found = github_calls.previous_bundle(
            run.api,
            run.temp_dir("mtf-attest-previous-"),
            tag=tag,
            before=before,
            prereleases=prereleases,
        )
    except MtfError as exc:
        if tag is not None:
            raise
        run.workflow.annotate("warning", f"previous-release auto: {exc.one_line()}")
        return _none(f"previous-release auto: the previous release of {where} could not be fetched")
    if found is None:
        if tag is not None:
            raise UsageError(f"previous-release: {where} has no release {tag} with an .mcpb asset")
        earlier = f"earlier than {current} " if current else ""
        return _none(f"no release of {where} {earlier}has an .mcpb asset to compare with")
    extra = f", first of {found.bundles_on_release} bundles" if found.bundles_on_release > 1 else ""
    note = f"{found.tag} ({found.bundle.name}{extra})"
    run.reporter.info(f"previous release: {note}")
    return PreviousRelease(found.bundle.path, note, found.tag)
