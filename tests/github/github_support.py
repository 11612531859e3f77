"""Constants and helpers of the GitHub tests (a uniquely named module: test directories
have no ``__init__.py``, so ``conftest`` is not importable by name)."""

from __future__ import annotations

from fake_github import FakeGitHub

from mtf_action.github.client import GitHubSettings, RetryPolicy

# A token-shaped secret: it must never appear in any output or error.
TOKEN = "ghs_Secr3tT0kenValue0123456789abcdefXYZ"


class Sleeps(list[float]):
    """Records the waits the retry loop asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def settings_for(
    fake: FakeGitHub, sleeps: Sleeps, *, token: str | None = TOKEN, attempts: int = 4
) -> GitHubSettings:
    return GitHubSettings(
        api_url=fake.api_url,
        token=token,
        timeout=10,
        retry=RetryPolicy(attempts=attempts, backoff=0.5, max_wait=60.0, sleep=sleeps),
        seconds_between_requests=0,
        seconds_between_writes=0,
    )
