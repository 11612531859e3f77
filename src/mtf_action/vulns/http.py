"""JSON over HTTP with the retry rules every SC-02 service shares (OSV, FIRST EPSS, CISA KEV).

* HTTP 429 and 5xx are retried with exponential backoff; a ``Retry-After``
  header (seconds or an HTTP date) replaces the backoff for that wait. A wait
  longer than ``max_wait`` is not sat out: the service is reported as
  rate-limited instead (a scan must not hang for an hour).
* Connection failures and timeouts are retried once: an unreachable host
  rarely comes back within seconds, and offline scans should fail fast. A
  host name that does not resolve is not retried at all: DNS answers are
  cached upstream, so an immediate second lookup fails the same way.
* Anything else (other 4xx, a body that is not JSON) is not retried.

Every failure surfaces as :class:`SourceUnavailable` (exit code 4), whose
message says which service and why; SC-02 turns it into an ``error`` status.
"""

from __future__ import annotations

import email.utils
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import NameResolutionError

from mtf_action import __version__
from mtf_action.errors import RemoteServiceError
from mtf_action.vulns.options import HttpSettings

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class SourceUnavailable(RemoteServiceError):
    """A vulnerability service could not answer: unreachable, rate-limited or failing."""


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (RFC 9110: delay-seconds or HTTP-date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class JsonHttp:
    """A small JSON client around one :class:`requests.Session`."""

    def __init__(
        self,
        service: str,
        settings: HttpSettings | None = None,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.service = service
        self.settings = settings or HttpSettings()
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", f"mtf-attest/{__version__}")
        self.sleep = sleep
        self.requests_made = 0

    def get_json(self, url: str, params: dict[str, str] | None = None) -> Any:
        return self._json(self._send("GET", url, params=params), url)

    def post_json(self, url: str, body: Any) -> Any:
        return self._json(self._send("POST", url, json=body), url)

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        settings = self.settings
        attempt = connect_failures = 0
        while True:
            self.requests_made += 1
            try:
                response = self.session.request(method, url, timeout=settings.timeout, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                connect_failures += 1
                if _unresolvable(exc):
                    host = urlsplit(url).hostname
                    raise SourceUnavailable(
                        f"{self.service} unreachable: cannot resolve host {host} "
                        "(offline? give an offline database with --vuln-db)",
                        path=url,
                    ) from None
                if connect_failures > settings.connect_retries:
                    raise SourceUnavailable(
                        f"{self.service} unreachable: {_reason(exc)}", path=url
                    ) from None
                self.sleep(settings.backoff * 0.5)
                continue
            except requests.RequestException as exc:
                raise SourceUnavailable(
                    f"{self.service} request failed: {_reason(exc)}", path=url
                ) from None
            if response.status_code not in RETRY_STATUSES:
                if response.status_code >= 400:
                    raise SourceUnavailable(
                        f"{self.service} answered HTTP {response.status_code}", path=url
                    )
                return response
            wait = retry_after(response.headers.get("Retry-After"))
            if wait is None:
                wait = settings.backoff * (2**attempt)
            what = "rate-limited" if response.status_code == 429 else "failing"
            if attempt >= settings.retries:
                raise SourceUnavailable(
                    f"{self.service} {what} (HTTP {response.status_code}) after "
                    f"{attempt + 1} attempts",
                    path=url,
                )
            if wait > settings.max_wait:
                raise SourceUnavailable(
                    f"{self.service} {what} (HTTP {response.status_code}); it asks to retry "
                    f"after {wait:.0f} s, longer than the {settings.max_wait:.0f} s allowed",
                    path=url,
                )
            self.sleep(wait)
            attempt += 1

    def _json(self, response: requests.Response, url: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise SourceUnavailable(
                f"{self.service} sent a body that is not JSON", path=url
            ) from None


def _unresolvable(exc: Exception) -> bool:
    """Whether a connection error was a failed host-name lookup."""
    pending: list[BaseException | None] = [exc]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, NameResolutionError | socket.gaierror):
            return True
        pending.extend((current.__cause__, current.__context__, getattr(current, "reason", None)))
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
    return False


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 200 else text[:197] + "..."
