"""SLSA Provenance v1 content: GitHub Actions runs, local builds, git sources, honesty."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from attest_support import GITHUB_ENV, REPO, SHA, TAG, make_tree

from mtf_action.attest.git import git_source, public_url
from mtf_action.attest.provenance import (
    build_context,
    provenance_predicate,
    provenance_statement,
)
from mtf_action.errors import EnvironmentProblem
from mtf_action.models.provenance import (
    McpbExternalParameters,
    McpbInternalParameters,
    ProvenancePredicate,
)
from mtf_action.signing.intoto import parse_statement

START = datetime(2026, 2, 6, 12, 0, 0, tzinfo=UTC)
END = datetime(2026, 2, 6, 12, 0, 42, tzinfo=UTC)
DIGEST = "ab" * 32


def _round_trip(predicate: ProvenancePredicate) -> ProvenancePredicate:
    """Through the signed form: statement bytes, in-toto's own validation, our SLSA model."""
    statement = parse_statement(provenance_statement("s-1.0.0.mcpb", DIGEST, predicate).to_bytes())
    assert statement.predicate_type == "https://slsa.dev/provenance/v1"
    assert statement.only_subject.name == "s-1.0.0.mcpb" and statement.only_subject.sha256 == DIGEST
    return ProvenancePredicate.model_validate(statement.predicate)


def test_github_actions_provenance(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    context = build_context(GITHUB_ENV, tree, source_date_epoch=1_700_000_000, vendor=True)
    predicate = _round_trip(provenance_predicate(context, started=START, finished=END))
    definition, run = predicate.build_definition, predicate.run_details
    assert definition.build_type == "https://github.com/mtf/attest/buildtypes/mcpb/v1"
    external = McpbExternalParameters.model_validate(definition.external_parameters)
    assert external.workflow is not None
    assert external.workflow.model_dump() == {
        "ref": TAG,
        "repository": f"https://github.com/{REPO}",
        "path": ".github/workflows/release.yml",
    }
    assert external.source_date_epoch == 1_700_000_000 and external.vendor is True
    internal = McpbInternalParameters.model_validate(definition.internal_parameters)
    assert internal.local is None and internal.github is not None
    assert internal.github.repository_id == "812345678"
    assert internal.github.runner_environment == "github-hosted"
    dependency = (definition.resolved_dependencies or ())[0]
    assert dependency.uri == f"git+https://github.com/{REPO}@{TAG}"
    assert dependency.digest == {"gitCommit": SHA}
    # Without a keyless certificate the builder is the workflow named by GITHUB_WORKFLOW_REF.
    assert run.builder.id == f"https://github.com/{REPO}/.github/workflows/release.yml@{TAG}"
    assert run.builder.version is not None and "mtf-attest" in run.builder.version
    assert run.metadata is not None
    assert run.metadata.invocation_id == (
        f"https://github.com/{REPO}/actions/runs/13579246810/attempts/2"
    )
    assert (run.metadata.started_on, run.metadata.finished_on) == (
        "2026-02-06T12:00:00Z",
        "2026-02-06T12:00:42Z",
    )
    # camelCase on the wire, exactly the SLSA v1 field names.
    wire = predicate.to_json_dict()
    assert set(wire) == {"buildDefinition", "runDetails"}
    assert set(wire["buildDefinition"]) == {
        "buildType",
        "externalParameters",
        "internalParameters",
        "resolvedDependencies",
    }
    assert set(wire["runDetails"]["metadata"]) == {"invocationId", "startedOn", "finishedOn"}


def test_a_reusable_workflow_is_the_builder_when_the_certificate_says_so(tmp_path: Path) -> None:
    reusable = "https://github.com/acme/shared/.github/workflows/mcpb.yml@refs/tags/v2"
    context = build_context(
        GITHUB_ENV,
        make_tree(tmp_path / "t"),
        source_date_epoch=0,
        vendor=False,
        builder_uri=reusable,
    )
    assert context.builder_id == reusable


def test_missing_github_variables_are_an_environment_problem(tmp_path: Path) -> None:
    env = {k: v for k, v in GITHUB_ENV.items() if k != "GITHUB_SHA"}
    with pytest.raises(EnvironmentProblem, match="GITHUB_SHA"):
        build_context(env, make_tree(tmp_path / "t"), source_date_epoch=0, vendor=True)
    with pytest.raises(EnvironmentProblem, match="not a 40-character"):
        build_context(
            {**GITHUB_ENV, "GITHUB_SHA": "abc"}, tmp_path, source_date_epoch=0, vendor=True
        )


def test_local_provenance_outside_git(tmp_path: Path) -> None:
    context = build_context({}, make_tree(tmp_path / "t"), source_date_epoch=5, vendor=False)
    predicate = _round_trip(provenance_predicate(context, started=START, finished=END))
    assert predicate.run_details.builder.id == "https://github.com/mtf/attest/builders/local@v0.1.0"
    internal = McpbInternalParameters.model_validate(predicate.build_definition.internal_parameters)
    assert internal.github is None and internal.local is not None
    assert internal.local.tools["mtf-attest"] == "0.1.0"
    assert predicate.build_definition.resolved_dependencies is None
    assert predicate.source_commits == [] and context.commit is None
    assert predicate.run_details.metadata is not None
    assert predicate.run_details.metadata.invocation_id is None


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_local_provenance_in_a_git_checkout(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    tree = make_tree(repo / "servers" / "tiny")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "remote", "add", "origin", "https://ci-bot:ghp_SECRET123@github.com/acme/tiny.git")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "init")
    head = _git(repo, "rev-parse", "HEAD")
    context = build_context({}, tree, source_date_epoch=0, vendor=True)
    predicate = _round_trip(provenance_predicate(context, started=START, finished=END))
    dependency = (predicate.build_definition.resolved_dependencies or ())[0]
    assert dependency.uri == "git+https://github.com/acme/tiny.git@refs/heads/main"
    assert dependency.digest == {"gitCommit": head} and dependency.annotations is None
    assert "SECRET" not in predicate.model_dump_json()
    assert predicate.build_definition.external_parameters["source_path"] == "servers/tiny"
    assert context.commit == head
    # An uncommitted change is recorded, not hidden.
    (tree / "server.py").write_text("changed = True\n")
    dirty = build_context({}, tree, source_date_epoch=0, vendor=True)
    assert dirty.dependencies[0].annotations == {"uncommitted_changes": True}


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        ("https://github.com/acme/x.git", "https://github.com/acme/x.git"),
        ("https://user:token@github.com/acme/x", "https://github.com/acme/x"),
        ("https://token@git.example.org:8443/x?y=1", "https://git.example.org:8443/x"),
        ("git@github.com:acme/x.git", "ssh://github.com/acme/x.git"),
        ("ssh://git@github.com/acme/x.git", "ssh://github.com/acme/x.git"),
        ("/srv/git/x.git", None),
        ("file:///srv/git/x.git", None),
        ("../x", None),
        ("", None),
    ],
)
def test_remote_urls_lose_credentials_and_local_paths(remote: str, url: str | None) -> None:
    assert public_url(remote) == url


def test_not_a_checkout(tmp_path: Path) -> None:
    assert git_source(tmp_path) is None
