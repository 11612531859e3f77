"""The online clients against a local OSV/PyPI/EPSS/KEV stand-in on 127.0.0.1.

The served OSV records are the real PYSEC advisories from shared/data/osv; the
server pages them two ids at a time so pagination is exercised on every query.
"""

from __future__ import annotations

import json
import socket
from collections import deque
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from osv_server import Behaviour, serve
from vulns_fixtures import EPSS_SUBSET, KEV_JSON, NPM_DB, PYPI_DB, npm, pypi

from mtf_action.vulns.cache import VulnCache
from mtf_action.vulns.epss import fetch_epss, load_epss_file
from mtf_action.vulns.http import JsonHttp, SourceUnavailable, retry_after
from mtf_action.vulns.kev import fetch_kev
from mtf_action.vulns.options import HttpSettings, VulnOptions
from mtf_action.vulns.session import VulnSession
from mtf_action.vulns.sources.local_db import LocalDbSource, LocalOsvDatabase
from mtf_action.vulns.sources.osv_api import OsvApiSource
from mtf_action.vulns.sources.pypi import PypiSource, pypi_service

FAST = HttpSettings(timeout=10, retries=3, backoff=0.5, max_wait=60)
COMPONENTS = [pypi("requests", "2.19.0"), pypi("urllib3", "1.24.1"), pypi("jinja2", "3.1.6")]


@pytest.fixture(scope="module")
def real_records() -> Behaviour:
    local = LocalDbSource([LocalOsvDatabase(PYPI_DB), LocalOsvDatabase(NPM_DB)])
    records = {}
    for db in local.databases:
        db.records_for("PyPI", "requests")
        for found in (db._index or {}).values():
            records.update({r.id: r for r in found})
    return Behaviour(records=records)


def behaviour(base: Behaviour, **changes: Any) -> Behaviour:
    return Behaviour(records=base.records, **changes)


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(url: str, sleeps: Sleeps | None = None, settings: HttpSettings = FAST) -> OsvApiSource:
    return OsvApiSource(
        JsonHttp("OSV API", settings, sleep=Sleeps() if sleeps is None else sleeps), url
    )


def test_sc02_querybatch_with_pagination_matches_the_local_database(
    real_records: Behaviour,
) -> None:
    served = behaviour(real_records)
    with serve(served) as url:
        answer = client(url).query(COMPONENTS)
    local = LocalDbSource([LocalOsvDatabase(PYPI_DB)]).query(COMPONENTS)
    for component in COMPONENTS:
        online = sorted(a.id for a in answer.advisories[component.purl])
        assert online == sorted(a.id for a in local.advisories[component.purl]), component
    assert len(answer.advisories["pkg:pypi/urllib3@1.24.1"]) == 12
    posts = [body for method, path, body in served.log if method == "POST"]
    assert len(posts) == 6  # urllib3's 12 ids, two per page
    assert [len(p["queries"]) for p in posts] == [3, 2, 2, 1, 1, 1]  # requests has 5 ids
    assert all("page_token" in q for p in posts[1:] for q in p["queries"])
    assert posts[0]["queries"][0] == {
        "package": {"name": "requests", "ecosystem": "PyPI"},
        "version": "2.19.0",
    }
    gets = {path for method, path, _ in served.log if method == "GET"}
    assert len(gets) == 17  # each distinct record fetched once
    fix = next(a for a in answer.advisories["pkg:pypi/requests@2.19.0"] if a.id == "PYSEC-2018-28")
    assert fix.fixed == ("2.20.0",) and "CVE-2018-18074" in fix.aliases


def test_sc02_npm_scoped_names_go_as_name_and_ecosystem(real_records: Behaviour) -> None:
    served = behaviour(real_records)
    with serve(served) as url:
        answer = client(url).query([npm("axios", "1.5.1"), npm("@acme/demo", "1.0.0")])
    assert {a.id for a in answer.advisories["pkg:npm/axios@1.5.1"]} == {
        "GHSA-wf5p-g6vw-rhxx",
        "GHSA-8hc4-vh64-cxmj",
    }
    assert answer.advisories["pkg:npm/%40acme/demo@1.0.0"] == []
    first = next(body for method, _, body in served.log if method == "POST")
    assert first["queries"][1]["package"] == {"name": "@acme/demo", "ecosystem": "npm"}


def test_sc02_429_honours_retry_after(real_records: Behaviour) -> None:
    served = behaviour(real_records, fail=deque([(429, "3"), (429, None)]))
    sleeps = Sleeps()
    with serve(served) as url:
        answer = client(url, sleeps).query(COMPONENTS[:1])
    assert sleeps[:2] == [3.0, 1.0]  # Retry-After, then the backoff of the 2nd retry
    assert len(answer.advisories["pkg:pypi/requests@2.19.0"]) == 5


def test_sc02_5xx_is_retried_with_backoff(real_records: Behaviour) -> None:
    served = behaviour(real_records, fail=deque([(503, None), (500, None), (502, None)]))
    sleeps = Sleeps()
    with serve(served) as url:
        answer = client(url, sleeps).query(COMPONENTS[:1])
    assert sleeps[:3] == [0.5, 1.0, 2.0]
    assert answer.advisories["pkg:pypi/requests@2.19.0"]


@pytest.mark.parametrize(
    ("fail", "message"),
    [
        ([(503, None)] * 4, "failing (HTTP 503) after 4 attempts"),
        ([(429, None)] * 4, "rate-limited (HTTP 429) after 4 attempts"),
        ([(429, "3600")], "retry after 3600 s, longer than the 60 s allowed"),
        ([(400, None)], "answered HTTP 400"),
    ],
)
def test_sc02_source_failures_are_errors(
    real_records: Behaviour, fail: list[tuple[int, str | None]], message: str
) -> None:
    served = behaviour(real_records, fail=deque(fail))
    with serve(served) as url, pytest.raises(SourceUnavailable) as caught:
        client(url).query(COMPONENTS[:1])
    assert message in caught.value.one_line() and caught.value.exit_code == 4


def test_sc02_unknown_record_and_bad_answers(real_records: Behaviour) -> None:
    served = behaviour(real_records, wrong_count=True)
    with serve(served) as url, pytest.raises(SourceUnavailable, match="2 results for 3 queries"):
        client(url).query(COMPONENTS)
    with serve(behaviour(real_records)) as url, pytest.raises(SourceUnavailable, match="HTTP 404"):
        client(url).records(["PYSEC-0000-0"])


def test_sc02_unreachable_source_fails_fast() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    sleeps = Sleeps()
    with pytest.raises(SourceUnavailable, match="OSV API unreachable"):
        client(closed, sleeps).query(COMPONENTS)
    assert len(sleeps) == 1  # one retry of a refused connection, then the error


def test_sc02_unresolvable_host_is_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    # The resolver is replaced, so no DNS query leaves the machine; urllib3 sees
    # the same gaierror an offline runner's resolver gives.
    real = socket.getaddrinfo

    def resolve(host: object, *args: object, **kwargs: object) -> object:
        if host == "osv.unresolvable.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    sleeps = Sleeps()
    with pytest.raises(SourceUnavailable, match=r"OSV API unreachable.*resolve"):
        client("http://osv.unresolvable.test", sleeps).query(COMPONENTS)
    assert len(sleeps) == 0  # a failed lookup is final: no backoff, no second attempt


def test_sc02_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after("120") == 120.0
    assert retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now) == 30.0
    assert retry_after("Wed, 31 Dec 2025 00:00:00 GMT", now) == 0.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_sc02_epss_api_and_kev_feed_are_cached(tmp_path: Path) -> None:
    subset = load_epss_file(EPSS_SUBSET, {"CVE-2018-18074", "CVE-2023-32681"})
    served = Behaviour(
        epss={c: (s.probability, s.percentile) for c, s in subset.scores.items()},
        kev=json.loads(KEV_JSON.read_bytes()),
    )
    cache = VulnCache(tmp_path)
    with serve(served) as url:
        http = JsonHttp("EPSS", FAST)
        data = fetch_epss(
            ["CVE-2018-18074", "CVE-2023-32681", "CVE-2099-0001"], http, f"{url}/epss", cache
        )
        again = fetch_epss(["CVE-2018-18074", "CVE-2099-0001"], http, f"{url}/epss", cache)
        kev = fetch_kev(http, f"{url}/kev.json", cache)
        kev_again = fetch_kev(http, f"{url}/kev.json", cache)
    score = data.get("CVE-2018-18074")
    assert score is not None and score.probability == pytest.approx(0.07443)
    assert data.get("CVE-2099-0001") is None and data.score_date == "2026-08-15"
    assert again.scores == {k: v for k, v in data.scores.items() if k == "CVE-2018-18074"}
    assert len(kev.entries) == len(kev_again.entries) == 1404
    epss_calls = [q for m, p, q in served.log if p == "/epss"]
    assert len(epss_calls) == 1  # the second lookup came from the cache, unknown CVE included
    assert sum(p == "/kev.json" for _, p, _ in served.log) == 1


# --- PyPI JSON API through pip-audit ------------------------------------------------------


class _ToLocal(requests.adapters.HTTPAdapter):
    """Sends pip-audit's https://pypi.org requests to the local server instead."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        request.url = str(request.url).replace("https://pypi.org", self.base)
        return super().send(request, **kwargs)


def pypi_entry(
    vuln_id: str, aliases: list[str], fixed: list[str], withdrawn: str | None = None
) -> dict[str, Any]:
    return {
        "id": vuln_id,
        "aliases": aliases,
        "details": f"{vuln_id} details",
        "summary": None,
        "fixed_in": fixed,
        "link": f"https://osv.dev/vulnerability/{vuln_id}",
        "source": "osv",
        "withdrawn": withdrawn,
    }


def test_sc02_pypi_source_through_pip_audit(real_records: Behaviour) -> None:
    served = behaviour(
        real_records,
        pypi={
            ("requests", "2.19.0"): [
                pypi_entry(
                    "PYSEC-2018-28", ["CVE-2018-18074", "GHSA-x84v-xcm2-53pg"], ["1.2.3", "2.20.0"]
                ),
                pypi_entry("PYSEC-2099-1", [], ["9.9"], withdrawn="2024-01-01T00:00:00Z"),
            ],
            ("jinja2", "3.1.6"): [],
        },
    )
    with serve(served) as url:
        service = pypi_service(None, FAST)
        service.session.mount("https://pypi.org/", _ToLocal(url))
        source = PypiSource(service, client(url), FAST)
        answer = source.query(
            [
                pypi("requests", "2.19.0"),
                pypi("jinja2", "3.1.6"),
                pypi("private-pkg", "1.0"),
                npm("axios", "1.7.2"),
            ]
        )
    found = answer.advisories["pkg:pypi/requests@2.19.0"]
    assert [(a.id, a.fixed, a.source) for a in found] == [("PYSEC-2018-28", ("2.20.0",), "pypi")]
    assert set(found[0].aliases) == {"CVE-2018-18074", "GHSA-x84v-xcm2-53pg"}
    assert answer.advisories["pkg:pypi/jinja2@3.1.6"] == []
    assert "not found on PyPI" in answer.unscanned["pkg:pypi/private-pkg@1.0"]
    assert [a.id for a in answer.advisories["pkg:npm/axios@1.7.2"]] == ["GHSA-8hc4-vh64-cxmj"]


def test_sc02_pypi_429_is_retried(real_records: Behaviour) -> None:
    entry = pypi_entry("PYSEC-2018-28", ["CVE-2018-18074"], ["2.20.0"])
    served = behaviour(
        real_records, pypi={("requests", "2.19.0"): [entry]}, fail=deque([(429, "0"), (503, None)])
    )
    with serve(served) as url:
        service = pypi_service(None, FAST)
        service.session.mount("https://pypi.org/", _ToLocal(url))
        answer = PypiSource(service, client(url), HttpSettings(backoff=0)).query(
            [pypi("requests", "2.19.0")]
        )
    assert [a.id for a in answer.advisories["pkg:pypi/requests@2.19.0"]] == ["PYSEC-2018-28"]
    # urllib3's Retry on pip-audit's session retried the 429 and the 503.
    assert sum(p.startswith("/pypi/requests") for _, p, _ in served.log) == 3


def test_sc02_pypi_source_failure_is_an_error(real_records: Behaviour) -> None:
    served = behaviour(real_records, fail=deque([(500, "0")] * 5))
    with serve(served) as url:
        service = pypi_service(None, HttpSettings(retries=1, backoff=0))
        service.session.mount("https://pypi.org/", _ToLocal(url))
        source = PypiSource(service, client(url), HttpSettings(retries=1, backoff=0))
        with pytest.raises(SourceUnavailable, match="PyPI vulnerability service failed"):
            source.query([pypi("requests", "2.19.0")])


# --- the session: cache in front of the source -------------------------------------------


def test_sc02_session_cache_warm_and_cold(real_records: Behaviour, tmp_path: Path) -> None:
    served = behaviour(real_records)
    with serve(served) as url:
        options = VulnOptions(osv_url=url, cache_dir=tmp_path, http=FAST)
        cold = VulnSession(options)
        first = cold.advisories(COMPONENTS)
        cold.close()
        posts = sum(m == "POST" for m, _, _ in served.log)
        warm = VulnSession(options)
        second = warm.advisories(COMPONENTS)
        warm.close()
        assert sum(m == "POST" for m, _, _ in served.log) == posts  # nothing asked again
        assert (cold.queried, warm.queried, warm.from_cache) == (3, 0, 3)
        assert first.advisories == second.advisories
        uncached = VulnSession(VulnOptions(osv_url=url, use_cache=False, http=FAST))
        uncached.advisories(COMPONENTS[:1])
        assert uncached.cache is None and uncached.queried == 1
    assert (tmp_path / "vulns.sqlite3").is_file()


def test_sc02_session_builds_the_pypi_source_with_osv_fallback(tmp_path: Path) -> None:
    session = VulnSession(
        VulnOptions(source="pypi", cache_dir=tmp_path, osv_url="http://127.0.0.1:9"), environ={}
    )
    assert isinstance(session.source, PypiSource)
    assert isinstance(session.source.fallback, OsvApiSource)
    assert session.source.fallback.base_url == "http://127.0.0.1:9"
    session.close()
