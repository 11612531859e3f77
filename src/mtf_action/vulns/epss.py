"""EPSS scores (FIRST Exploit Prediction Scoring System), from a file or FIRST's API.

Files (``--epss FILE``), optionally gzip-compressed (detected by content):

* FIRST's daily ``epss_scores-YYYY-MM-DD.csv(.gz)``: a comment line
  ``#model_version:v2025.03.14,score_date:2025-...`` then the header
  ``cve,epss,percentile``;
* the same columns without the comment line (e.g. an API crawl re-written in
  FIRST's layout).

Online: ``GET https://api.first.org/data/v1/epss?cve=CVE-a,CVE-b,...`` (JSON
``data: [{cve, epss, percentile, date}]``), at most 100 CVEs per request,
with each score cached per CVE.

Only the CVEs a scan needs are kept, so the full 300,000-row file loads in
well under a second and little memory.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mtf_action.errors import InvalidInputError
from mtf_action.vulns.cache import VulnCache
from mtf_action.vulns.http import JsonHttp, SourceUnavailable
from mtf_action.vulns.options import DEFAULT_EPSS_URL

API_BATCH = 100
_COLUMNS = ("cve", "epss", "percentile")


@dataclass(frozen=True)
class EpssScore:
    probability: float  # 0..1: chance of exploitation activity in the next 30 days
    percentile: float


@dataclass
class EpssData:
    scores: dict[str, EpssScore] = field(default_factory=dict)
    origin: str = ""
    model_version: str | None = None
    score_date: str | None = None

    def get(self, cve: str) -> EpssScore | None:
        return self.scores.get(cve.upper())


def _lines(path: Path) -> io.TextIOBase:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"cannot read EPSS file: {exc.strerror}", path=path) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise InvalidInputError(f"not a readable gzip file: {exc}", path=path) from None
    try:
        return io.StringIO(raw.decode("utf-8-sig"), newline="")
    except UnicodeDecodeError:
        raise InvalidInputError("not UTF-8 text", path=path) from None


def _comment(line: str, data: EpssData) -> None:
    """``#model_version:v2023.03.01,score_date:2023-03-07T00:00:00+0000``."""
    for part in line.lstrip("#").split(","):
        key, _, value = part.strip().partition(":")
        if key == "model_version":
            data.model_version = value
        elif key == "score_date":
            data.score_date = value


def load_epss_file(path: Path, wanted: Iterable[str] | None = None) -> EpssData:
    """Scores from a FIRST-format CSV; only ``wanted`` CVEs (all when None)."""
    keep = {c.upper() for c in wanted} if wanted is not None else None
    data = EpssData(origin=str(path))
    stream = _lines(path)
    header: list[str] | None = None
    number = 0
    for number, line in enumerate(stream, 1):  # noqa: B007 - number is used after the loop
        if line.startswith("#"):
            _comment(line.strip(), data)
            continue
        if line.strip():
            header = [c.strip().lower() for c in next(csv.reader([line]))]
            break
    if header is None or not set(_COLUMNS) <= set(header):
        raise InvalidInputError(
            "not an EPSS CSV: expected the header cve,epss,percentile "
            "(FIRST's daily file, optionally after a #model_version line)",
            path=path,
        )
    at = [header.index(c) for c in _COLUMNS]
    for row in csv.reader(stream):
        number += 1
        if not row:
            continue
        try:
            cve = row[at[0]].strip().upper()
            if keep is not None and cve not in keep:
                continue
            score = EpssScore(float(row[at[1]]), float(row[at[2]]))
        except (IndexError, ValueError):
            raise InvalidInputError(f"line {number}: not cve,epss,percentile", path=path) from None
        if not (0.0 <= score.probability <= 1.0):
            raise InvalidInputError(f"line {number}: EPSS outside 0..1", path=path)
        data.scores[cve] = score
    return data


def check_epss_file(path: Path) -> None:
    """Fail early (exit 3) on a file that is not an EPSS CSV; reads the header only."""
    load_epss_file(path, wanted=())


class _ApiScore(BaseModel):
    model_config = ConfigDict(extra="ignore")
    cve: str
    epss: float
    percentile: float
    date: str | None = None


class _ApiAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    data: list[_ApiScore] = Field(default_factory=list)


def fetch_epss(
    cves: Iterable[str], http: JsonHttp, url: str = DEFAULT_EPSS_URL, cache: VulnCache | None = None
) -> EpssData:
    """Scores from FIRST's API (cached per CVE). A CVE FIRST does not score is absent."""
    wanted = sorted({c.upper() for c in cves})
    namespace = f"epss {url}"
    data = EpssData(origin=url)
    cached: dict[str, Any] = cache.get_many(namespace, wanted) if cache else {}
    for cve, value in cached.items():
        if value is not None:
            data.scores[cve] = EpssScore(float(value[0]), float(value[1]))
            data.score_date = data.score_date or value[2]
    missing = [c for c in wanted if c not in cached]
    fresh: dict[str, Any] = {}
    for start in range(0, len(missing), API_BATCH):
        chunk = missing[start : start + API_BATCH]
        try:
            answer = _ApiAnswer.model_validate(http.get_json(url, {"cve": ",".join(chunk)}))
        except ValidationError as exc:
            raise SourceUnavailable(
                f"FIRST EPSS API sent an invalid answer: {exc.errors()[0]['msg']}", path=url
            ) from None
        got = {item.cve.upper(): item for item in answer.data}
        for cve in chunk:
            item = got.get(cve)
            fresh[cve] = None if item is None else [item.epss, item.percentile, item.date]
            if item is not None:
                data.scores[cve] = EpssScore(item.epss, item.percentile)
                data.score_date = data.score_date or item.date
    if cache is not None:
        cache.put_many(namespace, fresh)
    return data
