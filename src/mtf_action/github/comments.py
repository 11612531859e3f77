"""One sticky pull-request comment, found again by a hidden marker and edited in place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from mtf_action.github.client import GitHubClient
from mtf_action.github.releases import repository

STICKY_MARKER: Final = "<!-- mtf-attest:sticky -->"


@dataclass(frozen=True)
class StickyResult:
    comment_id: int
    created: bool
    url: str


def upsert_sticky_comment(
    client: GitHubClient,
    full_name: str,
    number: int,
    body: str,
    *,
    marker: str = STICKY_MARKER,
) -> StickyResult:
    """Create the comment, or update the one carrying ``marker`` (never a second one).

    The marker is an HTML comment, invisible in the rendered Markdown. If several
    marked comments exist (e.g. two racing runs), the oldest is kept up to date.
    """
    text = body if marker in body else f"{marker}\n{body}"
    issue = repository(client, full_name).get_issue(number)  # lazy: no request
    base = f"/repos/{full_name}/issues/{number}/comments"
    comments = client.call(f"GET {base}", lambda: list(issue.get_comments()))
    mine = [c for c in comments if marker in (c.body or "")]
    if mine:
        comment = mine[0]
        if comment.body != text:
            client.call(
                f"PATCH /repos/{full_name}/issues/comments/{comment.id}",
                lambda: comment.edit(text),
            )
        return StickyResult(comment.id, created=False, url=comment.html_url)
    created = client.call(f"POST {base}", lambda: issue.create_comment(text))
    return StickyResult(created.id, created=True, url=created.html_url)
