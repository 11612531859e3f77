"""PR-01 Source Repository, PR-02 Author Identity, PR-04 Commit Linkage, PR-05 Repository Health."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import make_ctx, manifest, mtf_block

from mtf_action.errors import InvalidInputError
from mtf_action.models.scorecard import load_scorecard_file
from mtf_action.scan.controls.pr01_repository import SourceRepository
from mtf_action.scan.controls.pr02_author import AuthorIdentity
from mtf_action.scan.controls.pr04_commit import CommitLinkage
from mtf_action.scan.controls.pr05_scorecard import RepositoryHealth
from mtf_action.scan.result import ControlOutcome, Status

PR01, PR02, PR04, PR05 = SourceRepository(), AuthorIdentity(), CommitLinkage(), RepositoryHealth()


def rules(outcome: ControlOutcome) -> dict[str, int | None]:
    return {f.rule: f.blocks_at for f in outcome.findings}


def blocking(outcome: ControlOutcome) -> dict[str, int | None]:
    return {f.rule: f.blocks_at for f in outcome.findings if f.blocks_at is not None}


# --- PR-01 -------------------------------------------------------------------------


def pr01(tmp_path: Path, repository: Any) -> ControlOutcome:
    return PR01.evaluate(make_ctx(tmp_path, {}, manifest(repository=repository)))


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/acme/demo",
        "https://github.com/acme/demo.git",
        "https://gitlab.com/group/sub/project",
        "https://bitbucket.org/acme/demo",
        "https://codeberg.org/acme/demo",
        "https://git.sr.ht/~acme/demo",
        "git+https://github.com/acme/demo.git",
    ],
)
def test_pr01_recognised_https_repository_passes(tmp_path: Path, url: str) -> None:
    outcome = pr01(tmp_path, {"type": "git", "url": url})
    assert blocking(outcome) == {}
    assert outcome.status_at(4) is Status.PASS
    assert rules(outcome) == {"repository-access-not-verified": None}  # info only
    assert outcome.details["platform"] is not None


def test_pr01_missing_repository_blocks_from_l2(tmp_path: Path) -> None:
    outcome = PR01.evaluate(make_ctx(tmp_path, {}, manifest(repository=None)))
    assert rules(outcome) == {"repository-missing": 2}
    assert outcome.status_at(1) is Status.WARN
    assert outcome.status_at(2) is Status.FAIL


@pytest.mark.parametrize(
    ("repository", "rule"),
    [
        ("https://github.com/acme/demo", "repository-url-missing"),  # not an object
        ({"type": "git"}, "repository-url-missing"),
        ({"type": "git", "url": "github.com/acme/demo"}, "repository-url-invalid"),
        ({"type": "git", "url": "git@github.com:acme/demo.git"}, "repository-url-invalid"),
        ({"type": "git", "url": "file:///srv/git/demo"}, "repository-url-invalid"),
        ({"type": "git", "url": "https://github.com/acme demo"}, "repository-url-invalid"),
        ({"type": "git", "url": "https://github.com:99999/acme/demo"}, "repository-url-invalid"),
        ({"type": "git", "url": "https://github.com/"}, "repository-url-incomplete"),
        ({"type": "git", "url": "https://github.com/acme"}, "repository-url-incomplete"),
    ],
)
def test_pr01_invalid_url_blocks(tmp_path: Path, repository: Any, rule: str) -> None:
    outcome = pr01(tmp_path, repository)
    assert blocking(outcome) == {rule: 2}
    assert outcome.status_at(2) is Status.FAIL


def test_pr01_scp_url_gets_an_https_suggestion(tmp_path: Path) -> None:
    outcome = pr01(tmp_path, {"type": "git", "url": "git@github.com:acme/demo.git"})
    assert outcome.findings[0].remediation == 'use "https://github.com/acme/demo"'


def test_pr01_non_https_warns(tmp_path: Path) -> None:
    outcome = pr01(tmp_path, {"type": "git", "url": "http://github.com/acme/demo"})
    assert rules(outcome)["repository-url-not-https"] is None
    assert outcome.status_at(4) is Status.WARN


def test_pr01_unknown_host_warns(tmp_path: Path) -> None:
    outcome = pr01(tmp_path, {"type": "git", "url": "https://git.example.org/acme/demo"})
    assert rules(outcome)["repository-host-unknown"] is None
    assert outcome.status_at(4) is Status.WARN


def test_pr01_credentials_block_and_are_redacted(tmp_path: Path) -> None:
    url = "https://bob:ghp_SECRETtoken123@github.com/acme/demo"
    outcome = pr01(tmp_path, {"type": "git", "url": url})
    assert blocking(outcome) == {"repository-url-credentials": 2}
    text = json.dumps([f.model_dump() for f in outcome.findings]) + json.dumps(outcome.details)
    assert "SECRETtoken" not in text and "bob" not in text
    assert "***@github.com" in text


# --- PR-02 -------------------------------------------------------------------------


def test_pr02_author_with_email_passes(tmp_path: Path) -> None:
    outcome = PR02.evaluate(make_ctx(tmp_path, {}, manifest()))
    assert blocking(outcome) == {}
    assert rules(outcome) == {"identity-tier-not-verified": None}
    assert outcome.status_at(3) is Status.PASS
    assert outcome.details["enforced_by"] == "registry"


@pytest.mark.parametrize(
    ("author", "rule"),
    [
        (None, "author-missing"),
        ("Acme <mcp@acme.example>", "author-invalid"),
        ({"name": "Acme"}, "author-email-missing"),
        ({"name": "Acme", "email": "  "}, "author-email-missing"),
        ({"name": "Acme", "email": "not-an-address"}, "author-email-invalid"),
        ({"name": "Acme", "email": "a@localhost"}, "author-email-invalid"),
        ({"email": "mcp@acme.example"}, "author-name-missing"),
    ],
)
def test_pr02_missing_identity_blocks_from_l2(tmp_path: Path, author: Any, rule: str) -> None:
    outcome = PR02.evaluate(make_ctx(tmp_path, {}, manifest(author=author)))
    assert blocking(outcome) == {rule: 2}
    assert outcome.status_at(1) is Status.WARN
    assert outcome.status_at(2) is Status.FAIL


# --- PR-04 -------------------------------------------------------------------------


def git(cwd: Path, *args: str, stdin: str | None = None) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def checkout(tmp_path: Path) -> tuple[Path, str]:
    """A git work tree with one commit; returns (directory, HEAD)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "server.py").write_text("print('hi')\n")
    git(repo, "add", "server.py")
    git(repo, "commit", "-q", "-m", "init")
    return repo, git(repo, "rev-parse", "HEAD")


def with_source(source: dict[str, Any] | None) -> dict[str, Any]:
    raw = manifest()
    if source is not None:
        mtf_block(raw)["source"] = source
    return raw


def test_pr04_commit_equal_to_head_passes(checkout: tuple[Path, str]) -> None:
    repo, head = checkout
    ctx = make_ctx(repo, {}, with_source({"commit": head, "signed": False}), source_dir=repo)
    outcome = PR04.evaluate(ctx)
    assert blocking(outcome) == {}
    assert outcome.details["matches_head"] is True
    # signed: false -> "Commit not signed at L4: WARN"
    assert rules(outcome) == {"commit-not-signed": None}
    assert outcome.status_at(4) is Status.WARN


def test_pr04_mismatch_with_head_blocks_at_l4(checkout: tuple[Path, str]) -> None:
    repo, head = checkout
    other = "0" * 40
    ctx = make_ctx(repo, {}, with_source({"commit": other}), source_dir=repo)
    outcome = PR04.evaluate(ctx)
    assert blocking(outcome) == {"commit-mismatch": 4}
    assert head in outcome.findings[0].description
    assert outcome.status_at(3) is Status.WARN
    assert outcome.status_at(4) is Status.FAIL


def test_pr04_missing_commit_blocks_at_l4_and_suggests_head(checkout: tuple[Path, str]) -> None:
    repo, head = checkout
    outcome = PR04.evaluate(make_ctx(repo, {}, with_source(None), source_dir=repo))
    assert blocking(outcome) == {"commit-missing": 4}
    assert head in (outcome.findings[0].remediation or "")


@pytest.mark.parametrize(
    ("commit", "rule"),
    [
        ("a1b2c3d", "commit-short"),
        ("A" * 40, "commit-not-lowercase"),
        ("a" * 64, "commit-sha256"),
        ("a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0", "commit-invalid"),  # the spec's example
        (12345, "commit-invalid"),
    ],
)
def test_pr04_malformed_commit_blocks_at_l4(tmp_path: Path, commit: Any, rule: str) -> None:
    outcome = PR04.evaluate(make_ctx(tmp_path, {}, with_source({"commit": commit})))
    assert blocking(outcome) == {rule: 4}


def test_pr04_without_source_tree_says_it_did_not_compare(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {}, with_source({"commit": "b" * 40, "signed": True}))
    outcome = PR04.evaluate(ctx)
    assert blocking(outcome) == {}
    assert rules(outcome) == {"commit-not-compared": None}
    assert "--source" in outcome.findings[0].description
    assert outcome.status_at(4) is Status.PASS  # info only: nothing contradicts the claim


def test_pr04_directory_that_is_not_a_checkout(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, {}, with_source({"commit": "b" * 40, "signed": True}),
                   source_dir=tmp_path)  # fmt: skip
    outcome = PR04.evaluate(ctx)
    assert rules(outcome) == {"commit-not-compared": None}
    assert "not a git checkout" in outcome.findings[0].description


def test_pr04_signature_claim_checked_against_the_commit_object(
    checkout: tuple[Path, str],
) -> None:
    repo, head = checkout
    # HEAD has no gpgsig header, so "signed": true is contradicted.
    ctx = make_ctx(repo, {}, with_source({"commit": head, "signed": True}), source_dir=repo)
    assert rules(PR04.evaluate(ctx)) == {"commit-signature-claim-false": None}
    # A commit object that carries a signature header satisfies the claim.
    tree = git(repo, "rev-parse", "HEAD^{tree}")
    body = (
        f"tree {tree}\nauthor t <t@example.org> 0 +0000\ncommitter t <t@example.org> 0 +0000\n"
        "gpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----\n\nsigned\n"
    )
    signed = git(repo, "hash-object", "-t", "commit", "-w", "--stdin", stdin=body)
    git(repo, "update-ref", "HEAD", signed)
    ctx = make_ctx(repo, {}, with_source({"commit": signed, "signed": True}), source_dir=repo)
    outcome = PR04.evaluate(ctx)
    assert outcome.findings == []
    assert outcome.details["signature_header"] is True


# --- PR-05 -------------------------------------------------------------------------

SCORECARD_CHECKS = {
    "Binary-Artifacts": 10,
    "Branch-Protection": 8,
    "CI-Tests": 10,
    "Code-Review": 7,
    "Dangerous-Workflow": 10,
    "Dependency-Update-Tool": 10,
    "Maintained": 10,
    "Pinned-Dependencies": 6,
    "SAST": 0,
    "Security-Policy": 10,
    "Token-Permissions": 10,
    "Vulnerabilities": 10,
}


def scorecard_json(
    score: float = 7.4, checks: dict[str, int] | None = None, age_days: int = 3, repo: str = ""
) -> dict[str, Any]:
    """What `scorecard --repo=... --format json` prints (scorecard v5)."""
    date = (datetime.now(UTC) - timedelta(days=age_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "date": date,
        "repo": {"name": repo or "github.com/acme/demo", "commit": "c" * 40},
        "scorecard": {"version": "v5.0.0", "commit": "d" * 40},
        "score": score,
        "checks": [
            {
                "details": None,
                "score": value,
                "reason": f"{name} reason",
                "name": name,
                "documentation": {
                    "url": f"https://github.com/ossf/scorecard/blob/main/docs/checks.md#{name}",
                    "short": f"{name} short",
                },
            }
            for name, value in (SCORECARD_CHECKS if checks is None else checks).items()
        ],
        "metadata": None,
    }


def pr05_file(tmp_path: Path, doc: dict[str, Any]) -> ControlOutcome:
    path = tmp_path / "scorecard.json"
    path.write_text(json.dumps(doc))
    return PR05.evaluate(make_ctx(tmp_path / "tree", {}, manifest(), scorecard=path))


def test_pr05_healthy_repository_passes_l4(tmp_path: Path) -> None:
    outcome = pr05_file(tmp_path, scorecard_json())
    assert outcome.findings == []
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["blocking_checks"] == {
        "Token-Permissions": 10.0,
        "Dangerous-Workflow": 10.0,
        "Branch-Protection": 8.0,
    }


def test_pr05_no_data_is_skip_not_failure(tmp_path: Path) -> None:
    outcome = PR05.evaluate(make_ctx(tmp_path, {}, manifest()))
    assert outcome.status_at(3) is Status.SKIP
    assert "Scorecard" in (outcome.skipped or "")


@pytest.mark.parametrize(("score", "blocks_at"), [(4.9, 3), (5.0, 4), (6.9, 4), (7.0, None)])
def test_pr05_score_thresholds(tmp_path: Path, score: float, blocks_at: int | None) -> None:
    outcome = pr05_file(tmp_path, scorecard_json(score=score))
    assert blocking(outcome) == ({} if blocks_at is None else {"score-below-threshold": blocks_at})


@pytest.mark.parametrize("check", ["Token-Permissions", "Dangerous-Workflow", "Branch-Protection"])
def test_pr05_blocking_check_fails_regardless_of_score(tmp_path: Path, check: str) -> None:
    outcome = pr05_file(tmp_path, scorecard_json(score=9.5, checks={**SCORECARD_CHECKS, check: 3}))
    assert blocking(outcome) == {"blocking-check-failed": 3}
    assert check in outcome.findings[0].title
    assert outcome.status_at(3) is Status.FAIL


def test_pr05_blocking_check_missing_or_inconclusive(tmp_path: Path) -> None:
    checks = {**SCORECARD_CHECKS, "Branch-Protection": -1}
    del checks["Dangerous-Workflow"]
    outcome = pr05_file(tmp_path, scorecard_json(checks=checks))
    assert rules(outcome) == {"blocking-check-missing": 3, "blocking-check-inconclusive": None}


def test_pr05_old_results_warn(tmp_path: Path) -> None:
    outcome = pr05_file(tmp_path, scorecard_json(age_days=45))
    assert rules(outcome) == {"scorecard-stale": None}
    assert "45 days" in outcome.findings[0].description
    assert outcome.status_at(4) is Status.WARN


def test_pr05_scorecard_of_another_repository_blocks(tmp_path: Path) -> None:
    outcome = pr05_file(tmp_path, scorecard_json(repo="github.com/someone/else"))
    assert blocking(outcome) == {"scorecard-other-repository": 3}


def test_pr05_from_manifest_meta(tmp_path: Path) -> None:
    raw = manifest()
    today = datetime.now(UTC).date().isoformat()
    mtf_block(raw)["scorecard"] = {
        "score": 6.2,
        "scan_date": today,
        "checks": {"Token-Permissions": 10, "Dangerous-Workflow": 10, "Branch-Protection": 0},
    }
    outcome = PR05.evaluate(make_ctx(tmp_path, {}, raw))
    assert blocking(outcome) == {"score-below-threshold": 4, "blocking-check-failed": 3}
    assert outcome.details["source"] == "manifest _meta"


def test_pr05_malformed_meta_blocks(tmp_path: Path) -> None:
    raw = manifest()
    mtf_block(raw)["scorecard"] = {"score": "high"}
    outcome = PR05.evaluate(make_ctx(tmp_path, {}, raw))
    assert blocking(outcome) == {"scorecard-malformed": 3}


@pytest.mark.parametrize(
    ("content", "problem"),
    [("{", "not JSON"), ('{"score": 5}', "not OpenSSF Scorecard JSON"), ("[]", "Scorecard")],
)
def test_scorecard_file_must_be_scorecard_json(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "sc.json"
    path.write_text(content)
    with pytest.raises(InvalidInputError, match=problem) as info:
        load_scorecard_file(path)
    assert str(path) in info.value.one_line()
