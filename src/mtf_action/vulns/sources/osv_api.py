"""The OSV.dev API: ``POST /v1/querybatch`` for ids, ``GET /v1/vulns/{id}`` for records.

The batch endpoint answers, per query and in query order, only ids and
``modified`` times; a result with ``next_page_token`` has more, fetched by
repeating just those queries with ``page_token`` set (OSV API docs,
"Pagination"). The full record of each distinct id is then fetched once (a few
in parallel) for severities, aliases and fix versions.

The API has already matched versions, so its answer decides which advisories
apply; our own matcher is only used to pick the fix versions for the range the
component's version is in. Withdrawn records are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mtf_action.vulns.http import JsonHttp, SourceUnavailable
from mtf_action.vulns.matching import advisory_from
from mtf_action.vulns.model import Component, OsvRecord
from mtf_action.vulns.options import DEFAULT_OSV_URL
from mtf_action.vulns.sources.base import AdvisorySource, SourceAnswer

BATCH_SIZE = 1000  # the API's limit of queries per batch
MAX_PAGES = 100  # per query: a server that keeps paging forever is broken
FETCH_WORKERS = 8


class _VulnRef(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    modified: str | None = None


class _BatchResult(BaseModel):
    model_config = ConfigDict(extra="ignore")
    vulns: list[_VulnRef] = Field(default_factory=list)
    next_page_token: str | None = None


class _BatchResponse(BaseModel):
    model_config = ConfigDict(extra="ignore")
    results: list[_BatchResult] = Field(default_factory=list)


class OsvApiSource(AdvisorySource):
    name = "osv"
    online = True

    def __init__(self, http: JsonHttp, base_url: str = DEFAULT_OSV_URL) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.records_fetched = 0

    @property
    def identity(self) -> str:
        return f"osv-api {self.base_url}"

    @property
    def description(self) -> str:
        return f"OSV API at {self.base_url}"

    def query(self, components: Sequence[Component]) -> SourceAnswer:
        ids = self.ids_for(components)
        wanted = sorted({i for found in ids.values() for i in found})
        records = self.records(wanted)
        answer = SourceAnswer()
        for component in components:
            answer.advisories[component.purl] = [
                advisory_from(records[i], component, self.name)
                for i in ids.get(component.purl, [])
                if not records[i].withdrawn
            ]
        return answer

    def ids_for(self, components: Sequence[Component]) -> dict[str, list[str]]:
        """Advisory ids per component purl, all pages followed."""
        found: dict[str, list[str]] = {c.purl: [] for c in components}
        for start in range(0, len(components), BATCH_SIZE):
            self._batch(list(components[start : start + BATCH_SIZE]), found)
        return found

    def _batch(self, chunk: list[Component], found: dict[str, list[str]]) -> None:
        pending: list[tuple[Component, str | None]] = [(c, None) for c in chunk]
        pages = 0
        while pending:
            pages += 1
            if pages > MAX_PAGES:
                raise SourceUnavailable(
                    f"OSV API kept paginating after {MAX_PAGES} pages", path=self._url()
                )
            body = {"queries": [_query(c, token) for c, token in pending]}
            response = self._parse(self.http.post_json(self._url(), body))
            if len(response.results) != len(pending):
                raise SourceUnavailable(
                    f"OSV API answered {len(response.results)} results for {len(pending)} queries",
                    path=self._url(),
                )
            following: list[tuple[Component, str | None]] = []
            for (component, _), result in zip(pending, response.results, strict=True):
                seen = found[component.purl]
                seen += [v.id for v in result.vulns if v.id not in seen]
                if result.next_page_token:
                    following.append((component, result.next_page_token))
            pending = following

    def records(self, ids: Sequence[str]) -> dict[str, OsvRecord]:
        if not ids:
            return {}
        with ThreadPoolExecutor(max_workers=min(FETCH_WORKERS, len(ids))) as pool:
            fetched = list(pool.map(self._record, ids))
        self.records_fetched += len(fetched)
        return dict(zip(ids, fetched, strict=True))

    def _record(self, vuln_id: str) -> OsvRecord:
        url = f"{self.base_url}/v1/vulns/{quote(vuln_id, safe='')}"
        data = self.http.get_json(url)
        try:
            record = OsvRecord.model_validate(data)
        except ValidationError as exc:
            raise SourceUnavailable(
                f"OSV API sent an invalid record: {exc.errors()[0]['msg']}", path=url
            ) from None
        if record.id != vuln_id:
            raise SourceUnavailable(f"OSV API answered record {record.id!r}", path=url)
        return record

    def _url(self) -> str:
        return f"{self.base_url}/v1/querybatch"

    def _parse(self, data: Any) -> _BatchResponse:
        try:
            return _BatchResponse.model_validate(data)
        except ValidationError as exc:
            raise SourceUnavailable(
                f"OSV API sent an invalid batch answer: {exc.errors()[0]['msg']}",
                path=self._url(),
            ) from None


def _query(component: Component, page_token: str | None) -> dict[str, Any]:
    # name + ecosystem + version rather than a purl: no purl-encoding ambiguity
    # for npm scopes (``%40scope``) or PEP 440 local versions (``+``).
    query: dict[str, Any] = {
        "package": {"name": component.name, "ecosystem": component.ecosystem},
        "version": component.version,
    }
    if page_token is not None:
        query["page_token"] = page_token
    return query
