"""OpenSSF Scorecard results, as PR-05 reads them.

Two sources, one normalised view (:class:`ScorecardData`):

* the JSON ``scorecard --format json`` prints (``date``, ``repo.name``,
  ``score``, ``checks[]`` with ``name`` and ``score``); a check scores 0-10, or
  -1 when Scorecard could not decide (inconclusive / not applicable);
* the MTF extension's ``_meta["org.mpaktrust"].scorecard`` (``score``,
  ``checks`` as a name -> score object, ``scan_date``, ``report_url``).

Unknown fields are ignored (``extra="ignore"``): Scorecard adds fields between
releases, and PR-05 needs only these.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mtf_action.errors import InvalidInputError

MAX_SCORECARD_BYTES = 16 * 1024 * 1024


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ScorecardCheck(_Lenient):
    name: str
    score: int = Field(ge=-1, le=10)
    reason: str | None = None


class ScorecardRepo(_Lenient):
    name: str | None = None
    commit: str | None = None


class ScorecardJson(_Lenient):
    """The output of ``scorecard --format json``."""

    date: str
    repo: ScorecardRepo | None = None
    score: float = Field(ge=-1, le=10)
    checks: list[ScorecardCheck] = Field(default_factory=list)


class MetaScorecard(_Lenient):
    """``_meta["org.mpaktrust"].scorecard`` (MTF extension schema)."""

    score: float = Field(ge=0, le=10)
    scan_date: str
    checks: dict[str, float] = Field(default_factory=dict)
    report_url: str | None = None


class ScorecardData(BaseModel):
    """What PR-05 evaluates, whichever source it came from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    origin: str  # "--scorecard FILE" or "manifest _meta"
    score: float
    checks: dict[str, float]
    date: str
    repo: str | None = None  # e.g. "github.com/org/repo"

    def scanned_at(self) -> datetime | None:
        """The scan time (UTC); a bare date means midnight UTC; None when unparseable."""
        try:
            when = datetime.fromisoformat(self.date.strip())  # also "2024-05-21"
        except ValueError:
            return None
        return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(document)"
    return f"{where}: {first['msg']}"


def from_scorecard_json(value: Any, origin: str) -> ScorecardData:
    """Normalise a parsed ``scorecard --format json`` document (ValueError when it is not one)."""
    try:
        doc = ScorecardJson.model_validate(value)
    except ValidationError as exc:
        raise ValueError(f"not OpenSSF Scorecard JSON ({_first_error(exc)})") from None
    return ScorecardData(
        origin=origin,
        score=doc.score,
        checks={c.name: float(c.score) for c in doc.checks},
        date=doc.date,
        repo=doc.repo.name if doc.repo else None,
    )


def from_meta(value: Any) -> ScorecardData:
    """Normalise the manifest's scorecard object (ValueError when it does not fit the schema)."""
    try:
        meta = MetaScorecard.model_validate(value)
    except ValidationError as exc:
        raise ValueError(
            f"scorecard does not fit the MTF extension ({_first_error(exc)})"
        ) from None
    return ScorecardData(
        origin="manifest _meta", score=meta.score, checks=meta.checks, date=meta.scan_date
    )


def load_scorecard_file(path: Path) -> ScorecardData:
    """Read a ``scorecard --format json`` file (InvalidInputError, one line, when unusable)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_SCORECARD_BYTES + 1)
    except OSError as exc:
        raise InvalidInputError(f"cannot read Scorecard file ({exc.strerror})", path=path) from None
    if len(data) > MAX_SCORECARD_BYTES:
        raise InvalidInputError(f"larger than {MAX_SCORECARD_BYTES} bytes", path=path)
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InvalidInputError(f"not JSON ({exc})", path=path) from None
    try:
        return from_scorecard_json(value, f"--scorecard {path}")
    except ValueError as exc:
        raise InvalidInputError(str(exc), path=path) from None
