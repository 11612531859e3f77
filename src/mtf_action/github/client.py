"""A PyGithub client with bounded, header-aware retries and token-free errors.

PyGithub's own urllib3 retry is switched off: every request goes through
:meth:`GitHubClient.call`, which retries 5xx answers, 429 and 403 rate limits and
dropped connections a bounded number of times. It honours ``Retry-After`` and,
for an exhausted primary limit, ``x-ratelimit-reset`` (GitHub's documented
guidance for secondary rate limits); otherwise it backs off exponentially. The
final error is a :class:`RemoteServiceError` naming the endpoint and never the
token (every message passes through :func:`redact`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

import requests
import urllib3.exceptions

from github import Auth, Github, GithubException
from mtf_action.errors import RemoteServiceError

T = TypeVar("T")

DEFAULT_API_URL: Final = "https://api.github.com"
_RETRY_STATUSES: Final = frozenset({500, 502, 503, 504, 429})
_SECONDARY_LIMIT: Final = "secondary rate limit"
_CONNECTION_FAULTS: Final = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,  # the body was cut off
    urllib3.exceptions.HTTPError,
    ConnectionError,
    TimeoutError,
)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait. ``sleep``/``clock`` are injectable for tests."""

    attempts: int = 5
    backoff: float = 2.0  # first wait when the server gives no hint; doubles each time
    max_wait: float = 120.0  # a single wait longer than this is not worth blocking a job
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time


@dataclass(frozen=True)
class GitHubSettings:
    """Where the API is, who we are, and how politely we pace writes."""

    api_url: str = DEFAULT_API_URL
    token: str | None = field(default=None, repr=False)
    timeout: int = 30
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # GitHub asks integrators to space content-creating requests by about a second.
    seconds_between_requests: float = 0.25
    seconds_between_writes: float = 1.0


@dataclass(frozen=True)
class _Fault:
    reason: str
    retryable: bool
    wait_hint: float | None = None


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every non-empty secret replaced by ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            return str(value)
    return None


def _wait_hint(headers: Mapping[str, Any] | None, now: float) -> float | None:
    retry_after = _header(headers, "retry-after")
    if retry_after is not None:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            return None
    if _header(headers, "x-ratelimit-remaining") == "0":
        reset = _header(headers, "x-ratelimit-reset")
        if reset is not None and reset.isdigit():
            return max(0.0, float(reset) - now)
    return None


def _message_of(data: Any) -> str:
    if isinstance(data, dict):
        message = str(data.get("message") or "")
        errors = data.get("errors")
        if isinstance(errors, list) and errors:
            details = "; ".join(
                str(e.get("message") or e.get("code")) if isinstance(e, dict) else str(e)
                for e in errors
            )
            message = f"{message} ({details})" if message else details
        return message
    return str(data or "")


def classify(exc: Exception, now: float) -> _Fault | None:
    """What went wrong and whether another attempt can help; None: not an HTTP fault."""
    if isinstance(exc, GithubException):
        status, headers = exc.status, exc.headers
        message = _message_of(exc.data)
    elif isinstance(exc, requests.HTTPError) and exc.response is not None:
        status, headers = exc.response.status_code, dict(exc.response.headers)
        message = exc.response.reason or ""
    elif isinstance(exc, _CONNECTION_FAULTS):
        return _Fault(f"connection failed ({type(exc).__name__})", retryable=True)
    else:
        return None
    reason = f"HTTP {status}" + (f": {message}" if message else "")
    rate_limited = status == 429 or (
        status == 403
        and (
            _SECONDARY_LIMIT in message.lower() or _header(headers, "x-ratelimit-remaining") == "0"
        )
    )
    if rate_limited or status in _RETRY_STATUSES:
        return _Fault(reason, retryable=True, wait_hint=_wait_hint(headers, now))
    return _Fault(reason, retryable=False)


class GitHubClient:
    """One authenticated (or anonymous) PyGithub client and the retry loop around it."""

    def __init__(self, settings: GitHubSettings) -> None:
        self.settings = settings
        auth = Auth.Token(settings.token) if settings.token else None
        self.github = Github(
            base_url=settings.api_url.rstrip("/"),
            auth=auth,
            timeout=settings.timeout,
            retry=None,  # our loop below retries; two layers would multiply the attempts
            seconds_between_requests=settings.seconds_between_requests or None,
            seconds_between_writes=settings.seconds_between_writes or None,
            lazy=True,  # repository/issue handles cost no request until used
        )

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.settings.token,) if self.settings.token else ()

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def call(self, endpoint: str, operation: Callable[[], T]) -> T:
        """Run ``operation`` (one or more requests to ``endpoint``) with bounded retries.

        ``endpoint`` is a human label such as ``POST /repos/o/r/releases``; it appears
        in the final error. Faults that are not retryable (4xx other than rate
        limits) raise :class:`GitHubHttpError` at once so callers can react to them.
        """
        policy = self.settings.retry
        last = "no attempt made"
        for attempt in range(1, max(1, policy.attempts) + 1):
            try:
                return operation()
            except Exception as exc:
                fault = classify(exc, policy.clock())
                if fault is None:
                    raise
                last = self.redact(fault.reason)
                if not fault.retryable:
                    raise GitHubHttpError(endpoint, exc, last) from None
                if attempt >= policy.attempts:
                    break
                wait = fault.wait_hint
                if wait is None:
                    wait = policy.backoff * 2 ** (attempt - 1)
                if wait > policy.max_wait:
                    raise RemoteServiceError(
                        f"GitHub API {endpoint}: {last}; the server asks to wait {wait:.0f} s, "
                        f"more than the {policy.max_wait:.0f} s limit"
                    ) from None
                policy.sleep(wait)
        raise RemoteServiceError(
            f"GitHub API {endpoint}: {last} (gave up after {policy.attempts} attempts)"
        )


class GitHubHttpError(RemoteServiceError):
    """A definitive (non-retryable) HTTP answer; ``status`` and ``data`` for callers."""

    def __init__(self, endpoint: str, exc: Exception, reason: str) -> None:
        super().__init__(f"GitHub API {endpoint}: {reason}")
        self.endpoint = endpoint
        response = exc.response if isinstance(exc, requests.HTTPError) else None
        self.status: int | None = (
            exc.status
            if isinstance(exc, GithubException)
            else (response.status_code if response is not None else None)
        )
        self.data: Any = exc.data if isinstance(exc, GithubException) else None
        self.reason = reason

    def has_error_code(self, code: str) -> bool:
        errors = self.data.get("errors") if isinstance(self.data, dict) else None
        return isinstance(errors, list) and any(
            isinstance(e, dict) and e.get("code") == code for e in errors
        )


def make_client(settings: GitHubSettings) -> GitHubClient:
    """The client for ``settings`` (a seam for the Action adapter and the tests)."""
    return GitHubClient(settings)
