"""The triggering event (``$GITHUB_EVENT_PATH``) and the mode it implies.

``mode: auto`` picks **release** on a ``release`` event and on a push of a tag,
**pull-request** on ``pull_request``, and refuses everything else, in
particular ``pull_request_target``: it runs with the base repository's secrets
on code from a fork, which is exactly what the pull-request mode must never be
given (it builds and scans untrusted code).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from mtf_action.errors import InvalidInputError, UsageError

RunMode = Literal["release", "pull-request", "verify"]
TAG_PREFIX = "refs/tags/"


class _Loose(BaseModel):
    # GitHub's payloads are large and grow; only the fields used here are typed.
    model_config = ConfigDict(extra="ignore", frozen=True)


class EventRelease(_Loose):
    id: int | None = None
    tag_name: str
    draft: bool = False
    prerelease: bool = False
    html_url: str | None = None


class EventRef(_Loose):
    ref: str
    sha: str


class EventPullRequest(_Loose):
    number: int
    head: EventRef
    base: EventRef
    html_url: str | None = None


class EventPayload(_Loose):
    action: str | None = None
    ref: str | None = None  # push
    release: EventRelease | None = None
    pull_request: EventPullRequest | None = None
    number: int | None = None


@dataclass(frozen=True)
class Event:
    name: str
    payload: EventPayload

    @property
    def tag(self) -> str | None:
        """The release tag: the release's, or the pushed tag's."""
        if self.payload.release is not None:
            return self.payload.release.tag_name
        ref = self.payload.ref or ""
        return ref.removeprefix(TAG_PREFIX) if ref.startswith(TAG_PREFIX) else None


def load_event(env: Mapping[str, str]) -> Event:
    """The event of this run; an unreadable payload file is invalid input (exit 3)."""
    name = env.get("GITHUB_EVENT_NAME", "")
    path_text = env.get("GITHUB_EVENT_PATH", "")
    if not path_text:
        return Event(name, EventPayload())
    path = Path(path_text)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read the event payload: {exc.strerror}", path=path
        ) from None
    except ValueError as exc:
        raise InvalidInputError(f"the event payload is not JSON: {exc}", path=path) from None
    try:
        return Event(name, EventPayload.model_validate(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInputError(
            f"unexpected event payload at {where}: {first['msg']}", path=path
        ) from None


def decide_mode(requested: str, event: Event) -> RunMode:
    """The mode to run (see the module docstring); a mismatch is a usage error."""
    if event.name == "pull_request_target" and requested != "verify":
        raise UsageError(
            "refusing to run on pull_request_target: it hands the base repository's "
            "secrets to a fork's code; trigger the pull-request mode with pull_request"
        )
    if requested in ("release", "pull-request", "verify"):
        if requested == "pull-request" and event.payload.pull_request is None:
            raise UsageError(f"mode pull-request needs a pull_request event, not {event.name!r}")
        return requested  # type: ignore[return-value]
    if event.name == "release" or (event.name == "push" and event.tag is not None):
        return "release"
    if event.name == "pull_request":
        return "pull-request"
    raise UsageError(
        f"mode auto cannot tell what to do on a {event.name or 'missing'!r} event: it runs "
        "release on release events and tag pushes, pull-request on pull_request; "
        "set mode explicitly"
    )
