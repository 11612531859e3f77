"""PyPI's JSON API (``vulnerabilities``) through pip-audit's ``PyPIService``.

pip-audit's service does the request, skips withdrawn entries and returns ids,
aliases and fix versions; it does not carry CVSS vectors (PyPI's API has none),
so findings from this source are prioritised by KEV and EPSS only, with their
CVSS reported as unknown. Components of other ecosystems are passed to a
fallback source (the OSV API), since PyPI only knows Python packages.

Retries: pip-audit's session is a plain ``requests`` session (with an HTTP
cache), so 429/5xx retries with ``Retry-After`` are installed on its adapters
through urllib3's ``Retry``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import requests
from packaging.version import InvalidVersion, Version
from pip_audit._service import PyPIService, ResolvedDependency, ServiceError
from urllib3.util.retry import Retry

from mtf_action.vulns.http import RETRY_STATUSES, SourceUnavailable
from mtf_action.vulns.matching import MAX_SUMMARY
from mtf_action.vulns.model import Advisory, Component
from mtf_action.vulns.options import HttpSettings
from mtf_action.vulns.sources.base import AdvisorySource, SourceAnswer

PYPI_URL = "https://pypi.org/pypi"  # where pip-audit's PyPIService asks


def pypi_service(cache_dir: Path | None, settings: HttpSettings) -> Any:
    """pip-audit's service with its HTTP cache in ``cache_dir`` (None: no HTTP cache)."""
    service = PyPIService(cache_dir=cache_dir, timeout=int(settings.timeout))
    if cache_dir is None:
        service.session = requests.Session()
    return service


class PypiSource(AdvisorySource):
    name = "pypi"
    online = True

    def __init__(
        self, service: Any, fallback: AdvisorySource, settings: HttpSettings | None = None
    ) -> None:
        self.service = service
        self.fallback = fallback
        settings = settings or HttpSettings()
        retry = Retry(
            total=settings.retries,
            connect=settings.connect_retries,
            status_forcelist=sorted(RETRY_STATUSES),
            backoff_factor=settings.backoff,
            backoff_max=settings.max_wait,
            respect_retry_after_header=True,
            raise_on_status=False,  # the last answer reaches pip-audit, which reports it
        )
        for adapter in service.session.adapters.values():
            adapter.max_retries = retry

    @property
    def identity(self) -> str:
        return f"pypi-json {PYPI_URL} + {self.fallback.identity}"

    @property
    def description(self) -> str:
        return f"PyPI JSON API via pip-audit (other ecosystems: {self.fallback.description})"

    def query(self, components: Sequence[Component]) -> SourceAnswer:
        answer = SourceAnswer()
        others = [c for c in components if c.ecosystem != "PyPI"]
        if others:
            answer.update(self.fallback.query(others))
        for component in components:
            if component.ecosystem == "PyPI":
                self._one(component, answer)
        return answer

    def _one(self, component: Component, answer: SourceAnswer) -> None:
        try:
            version = Version(component.version)
        except InvalidVersion:
            answer.unscanned[component.purl] = "not a PEP 440 version; PyPI cannot be asked"
            return
        dependency = ResolvedDependency(name=component.name, version=version)
        try:
            returned, results = self.service.query(dependency)
        except ServiceError as exc:
            raise SourceUnavailable(
                f"PyPI vulnerability service failed: {_cause(exc)}", path=PYPI_URL
            ) from None
        except requests.RequestException as exc:
            raise SourceUnavailable(f"PyPI unreachable: {_cause(exc)}", path=PYPI_URL) from None
        if returned.is_skipped():
            answer.unscanned[component.purl] = str(returned.skip_reason)
            return
        answer.advisories[component.purl] = [
            Advisory(
                id=str(result.id),
                aliases=tuple(sorted(str(a) for a in result.aliases)),
                summary=" ".join(str(result.description).split())[:MAX_SUMMARY],
                # PyPI lists the fixes of every branch; only those above the installed
                # version are upgrades (the OSV sources pick the fix of the version's range).
                fixed=tuple(str(v) for v in result.fix_versions if v > version),
                published=result.published.isoformat() if result.published else None,
                source=self.name,
            )
            for result in results
        ]


def _cause(exc: BaseException) -> str:
    inner = exc.__cause__ or exc
    text = " ".join(str(inner).split()) or type(inner).__name__
    return text if len(text) <= 200 else text[:197] + "..."
