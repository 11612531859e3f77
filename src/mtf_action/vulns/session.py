"""One scan's vulnerability services: the advisory source, the cache, the EPSS and KEV feeds."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import TypeAdapter

from mtf_action.vulns.cache import VulnCache
from mtf_action.vulns.epss import EpssData, fetch_epss, load_epss_file
from mtf_action.vulns.http import JsonHttp, SourceUnavailable
from mtf_action.vulns.kev import KevData, fetch_kev, load_kev_file
from mtf_action.vulns.model import Advisory, Component
from mtf_action.vulns.options import VulnOptions, endpoints, resolve_source
from mtf_action.vulns.sources.base import AdvisorySource, SourceAnswer
from mtf_action.vulns.sources.local_db import LocalDbSource, LocalOsvDatabase
from mtf_action.vulns.sources.osv_api import OsvApiSource

_ADVISORIES = TypeAdapter(list[Advisory])


@dataclass(frozen=True)
class Feed:
    """A prioritisation feed as the scan got it: data, or why there is none."""

    data: EpssData | KevData | None
    origin: str | None
    missing: str | None = None  # why there is no data (shown as an info finding)


class VulnSession:
    def __init__(
        self,
        options: VulnOptions,
        *,
        environ: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options
        self.source_name = resolve_source(options)
        self.endpoints = endpoints(options, environ)
        self.sleep = sleep
        self.notes: list[str] = []
        self.cache = (
            VulnCache(self.endpoints.cache_dir, options.cache_ttl) if options.use_cache else None
        )
        if self.cache is not None and self.cache.problem:
            self.notes.append(self.cache.problem)
        self.source = self._source()
        self.queried = 0  # components the source was asked about (cache misses)
        self.from_cache = 0

    def _http(self, service: str) -> JsonHttp:
        return JsonHttp(service, self.options.http, sleep=self.sleep)

    def _source(self) -> AdvisorySource:
        if self.source_name == "offline":
            return LocalDbSource([LocalOsvDatabase(path) for path in self.options.db])
        osv = OsvApiSource(self._http("OSV API"), self.endpoints.osv)
        if self.source_name == "osv":
            return osv
        from mtf_action.vulns.sources.pypi import PypiSource, pypi_service  # pip-audit: lazy

        http_cache = self.endpoints.cache_dir / "pypi-http" if self.cache is not None else None
        service = pypi_service(http_cache, self.options.http)
        return PypiSource(service, osv, self.options.http)

    def advisories(self, components: Sequence[Component]) -> SourceAnswer:
        """The source's answer, from the cache where fresh; raises SourceUnavailable."""
        answer = SourceAnswer()
        namespace = self.source.identity
        purls = [c.purl for c in components]
        cached = self.cache.get_many(namespace, purls, raw=True) if self.cache else {}
        for purl, payload in cached.items():
            answer.advisories[purl] = _ADVISORIES.validate_json(payload)
        self.from_cache = len(cached)
        missing = [c for c in components if c.purl not in cached]
        if missing:
            self.queried = len(missing)
            fresh = self.source.query(missing)
            answer.update(fresh)
            if self.cache is not None:
                self.cache.put_many(
                    namespace,
                    {
                        purl: [a.model_dump(mode="json") for a in found]
                        for purl, found in fresh.advisories.items()
                    },
                )
        return answer

    def epss(self, cves: Iterable[str]) -> Feed:
        wanted = sorted(set(cves))
        if self.options.epss is not None:
            return Feed(load_epss_file(self.options.epss, wanted), str(self.options.epss))
        if not self.source.online:
            return Feed(None, None, "offline scan and no --epss FILE")
        url = self.endpoints.epss
        try:
            return Feed(fetch_epss(wanted, self._http("FIRST EPSS API"), url, self.cache), url)
        except SourceUnavailable as exc:
            return Feed(None, url, exc.one_line())

    def kev(self) -> Feed:
        if self.options.kev is not None:
            return Feed(load_kev_file(self.options.kev), str(self.options.kev))
        if not self.source.online:
            return Feed(None, None, "offline scan and no --kev FILE")
        url = self.endpoints.kev
        try:
            return Feed(fetch_kev(self._http("CISA KEV feed"), url, self.cache), url)
        except SourceUnavailable as exc:
            return Feed(None, url, exc.one_line())

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()
