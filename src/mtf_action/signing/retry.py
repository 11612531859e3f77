"""Bounded retries for Fulcio/Rekor calls, and keeping the OIDC token out of every text.

Transient failures (HTTP 408/429/502/503/504, connection errors, timeouts) are
retried with exponential backoff, at most ``attempts`` times, then reported as
:class:`~mtf_action.errors.RemoteServiceError` naming the service. A refusal of
the token (HTTP 401/403) is not transient and fails at once.

sigstore-python wraps HTTP errors (``FulcioClientError``, ``RekorClientError``)
but keeps the ``requests`` exception in the chain (``__cause__``/``__context__``),
which is where the status code is read from.

The token is a bearer credential for a Fulcio certificate in the publisher's
name: it must never appear in an exception message, a log line or an output.
:func:`scrub` removes it (and each of its three JWT segments) from any text, and
:func:`scrubbed_logging` installs a filter on the root logger's handlers for the
duration of a signing session.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import requests

from mtf_action.errors import RemoteServiceError

T = TypeVar("T")

TRANSIENT_STATUS = frozenset({408, 429, 502, 503, 504})
AUTH_STATUS = frozenset({401, 403})
REDACTED = "[REDACTED-TOKEN]"


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry a transient failure."""

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 8.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        return float(min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1)))


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def http_status(exc: BaseException) -> int | None:
    """The HTTP status behind ``exc``, if a ``requests`` response is in its chain."""
    for link in _chain(exc):
        response = getattr(link, "response", None)
        if isinstance(response, requests.Response):
            return response.status_code
    return None


def is_transient(exc: BaseException) -> bool:
    for link in _chain(exc):
        if isinstance(link, requests.ConnectionError | requests.Timeout):
            return True
    return http_status(exc) in TRANSIENT_STATUS


def scrub(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret (and every JWT segment of it) replaced."""
    for secret in secrets:
        if not secret:
            continue
        text = text.replace(secret, REDACTED)
        for segment in secret.split("."):
            if len(segment) >= 16:  # a JWT segment, not an incidental short string
                text = text.replace(segment, REDACTED)
    return text


def describe(exc: BaseException, secrets: Sequence[str]) -> str:
    """A one-line, token-free description of ``exc`` and what caused it."""
    parts: list[str] = []
    for link in _chain(exc):
        text = str(link).strip()
        if text and text not in parts:
            parts.append(text)
    status = http_status(exc)
    summary = "; ".join(parts) or type(exc).__name__
    if status is not None and str(status) not in summary:
        summary = f"HTTP {status}: {summary}"
    return scrub(" ".join(summary.split()), secrets)


def call_with_retry(
    service: str,
    action: Callable[[], T],
    *,
    policy: RetryPolicy,
    secrets: Sequence[str],
    on_retry: Callable[[str], None] | None = None,
) -> T:
    """Run ``action``; retry transient failures of ``service``; raise ``RemoteServiceError``."""
    for attempt in range(1, policy.attempts + 1):
        try:
            return action()
        except Exception as exc:
            status = http_status(exc)
            if status in AUTH_STATUS:
                raise RemoteServiceError(
                    f"{service} refused the OIDC identity token (HTTP {status}): it may be "
                    f"expired, meant for another audience, or from an issuer this instance does "
                    f"not trust ({describe(exc, secrets)})"
                ) from None
            if not is_transient(exc):
                raise
            if attempt == policy.attempts:
                raise RemoteServiceError(
                    f"{service} still failing after {attempt} attempts: {describe(exc, secrets)}"
                ) from None
            wait = policy.delay(attempt)
            if on_retry is not None:
                on_retry(
                    f"{service} attempt {attempt}/{policy.attempts} failed "
                    f"({describe(exc, secrets)}); retrying in {wait:.0f}s"
                )
            policy.sleep(wait)
    raise AssertionError("unreachable: attempts must be >= 1")


class _ScrubFilter(logging.Filter):
    def __init__(self, secrets: Sequence[str]) -> None:
        super().__init__()
        self._secrets = list(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message, self._secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


@contextmanager
def scrubbed_logging(secrets: Sequence[str]) -> Iterator[None]:
    """While active, log records reaching the root logger's handlers are token-free."""
    handlers = list(logging.getLogger().handlers)
    scrubber = _ScrubFilter(secrets)
    for handler in handlers:
        handler.addFilter(scrubber)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(scrubber)
