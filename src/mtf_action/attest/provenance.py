"""SLSA Provenance v1 for a bundle built by ``attest`` (MTF PR-03, section 5.3).

Build type ``https://github.com/mtf/attest/buildtypes/mcpb/v1``. In GitHub Actions
(``GITHUB_ACTIONS=true``) everything comes from the run's default environment
variables, and the builder id is the workflow that ran: the Fulcio
certificate's Build Signer URI when signing keyless (Fulcio derives it from the
OIDC token's ``job_workflow_ref``, so it names a reusable workflow correctly),
else ``${GITHUB_SERVER_URL}/${GITHUB_WORKFLOW_REF}``.

Outside Actions the builder is named for what it is, a local run of this tool
(``.../builders/local@v<version>``), described without host or user names, and
the source is what ``git`` says about the checkout, if any.

SLSA Build level honesty: ``attest`` runs as a step inside the author's own job,
so even in GitHub Actions the provenance is at most SLSA Build L2 (hosted
platform, signed provenance), never L3 (the job could influence it).
"""

from __future__ import annotations

import platform
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from mtf_action import __version__
from mtf_action.attest.git import git_source
from mtf_action.errors import EnvironmentProblem
from mtf_action.models.provenance import (
    MCPB_BUILD_TYPE,
    BuildDefinition,
    Builder,
    BuildMetadata,
    GitHubParameters,
    LocalParameters,
    McpbExternalParameters,
    McpbInternalParameters,
    ProvenancePredicate,
    ResourceDescriptor,
    RunDetails,
    WorkflowParameters,
)
from mtf_action.signing.intoto import Statement, build_statement

LOCAL_BUILDER = "https://github.com/mtf/attest/builders/local@v{version}"
_REQUIRED = ("GITHUB_REPOSITORY", "GITHUB_REF", "GITHUB_SHA", "GITHUB_WORKFLOW_REF")
_SHA1 = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class BuildContext:
    """Who built the bundle, from what, with which parameters."""

    builder_id: str
    invocation_id: str | None
    github_actions: bool
    runner_environment: str | None
    external: McpbExternalParameters
    internal: McpbInternalParameters
    dependencies: tuple[ResourceDescriptor, ...]
    commit: str | None
    builder_version: dict[str, str] = field(default_factory=dict)


def in_github_actions(env: Mapping[str, str]) -> bool:
    return env.get("GITHUB_ACTIONS") == "true"


def format_time(moment: datetime) -> str:
    """RFC 3339 UTC with seconds, as in the SLSA examples."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def tool_versions(vendored_with: str | None = None) -> dict[str, str]:
    tools = {"mtf-attest": __version__}
    for name in ("sigstore", "cyclonedx-python-lib"):
        found = _package_version(name)
        if found:
            tools[name] = found
    if vendored_with:
        tools["vendor"] = vendored_with
    return tools


def _github(
    env: Mapping[str, str],
    source_dir: Path,
    *,
    source_date_epoch: int,
    vendor: bool,
    builder_uri: str | None,
) -> BuildContext:
    missing = [name for name in _REQUIRED if not env.get(name)]
    if missing:
        raise EnvironmentProblem(
            f"GITHUB_ACTIONS is true but {', '.join(missing)} is not set: cannot describe "
            "the workflow run in the provenance"
        )
    server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    repo, ref, sha = env["GITHUB_REPOSITORY"], env["GITHUB_REF"], env["GITHUB_SHA"].lower()
    if not _SHA1.match(sha):
        raise EnvironmentProblem(f"GITHUB_SHA {sha!r} is not a 40-character commit SHA")
    workflow_ref = env["GITHUB_WORKFLOW_REF"]  # OWNER/REPO/.github/workflows/F.yml@REF
    path = workflow_ref.split("@", 1)[0].removeprefix(f"{repo}/")
    run_id, attempt = env.get("GITHUB_RUN_ID"), env.get("GITHUB_RUN_ATTEMPT", "1")
    checkout = git_source(source_dir)
    return BuildContext(
        builder_id=builder_uri or f"{server}/{workflow_ref}",
        invocation_id=f"{server}/{repo}/actions/runs/{run_id}/attempts/{attempt}"
        if run_id
        else None,
        github_actions=True,
        runner_environment=env.get("RUNNER_ENVIRONMENT"),
        external=McpbExternalParameters(
            workflow=WorkflowParameters(ref=ref, repository=f"{server}/{repo}", path=path),
            source_path=checkout.path if checkout else None,
            source_date_epoch=source_date_epoch,
            vendor=vendor,
        ),
        internal=McpbInternalParameters(
            github=GitHubParameters(
                event_name=env.get("GITHUB_EVENT_NAME"),
                repository_id=env.get("GITHUB_REPOSITORY_ID"),
                repository_owner_id=env.get("GITHUB_REPOSITORY_OWNER_ID"),
                runner_environment=env.get("RUNNER_ENVIRONMENT"),
            )
        ),
        dependencies=(
            ResourceDescriptor(uri=f"git+{server}/{repo}@{ref}", digest={"gitCommit": sha}),
        ),
        commit=sha,
    )


def _local(
    source_dir: Path, *, source_date_epoch: int, vendor: bool, tools: dict[str, str]
) -> BuildContext:
    checkout = git_source(source_dir)
    dependencies: tuple[ResourceDescriptor, ...] = ()
    if checkout is not None:
        where = checkout.ref or checkout.commit
        dependencies = (
            ResourceDescriptor(
                name=None if checkout.remote_url else "source",
                uri=f"git+{checkout.remote_url}@{where}" if checkout.remote_url else None,
                digest={"gitCommit": checkout.commit},
                annotations={"uncommitted_changes": True} if checkout.dirty else None,
            ),
        )
    return BuildContext(
        builder_id=LOCAL_BUILDER.format(version=__version__),
        invocation_id=None,
        github_actions=False,
        runner_environment=None,
        external=McpbExternalParameters(
            source_path=checkout.path if checkout else None,
            source_date_epoch=source_date_epoch,
            vendor=vendor,
        ),
        internal=McpbInternalParameters(
            local=LocalParameters(
                os=f"{platform.system()} {platform.machine()}".strip(),
                python=platform.python_version(),
                tools=tools,
            )
        ),
        dependencies=dependencies,
        commit=checkout.commit if checkout else None,
    )


def build_context(
    env: Mapping[str, str],
    source_dir: Path,
    *,
    source_date_epoch: int,
    vendor: bool,
    builder_uri: str | None = None,
    vendored_with: str | None = None,
) -> BuildContext:
    """The build context of this run (see the module docstring)."""
    tools = tool_versions(vendored_with)
    if in_github_actions(env):
        context = _github(
            env,
            source_dir,
            source_date_epoch=source_date_epoch,
            vendor=vendor,
            builder_uri=builder_uri,
        )
    else:
        context = _local(
            source_dir, source_date_epoch=source_date_epoch, vendor=vendor, tools=tools
        )
    return replace(context, builder_version=tools)


def provenance_predicate(
    context: BuildContext, *, started: datetime, finished: datetime
) -> ProvenancePredicate:
    return ProvenancePredicate(
        build_definition=BuildDefinition(
            build_type=MCPB_BUILD_TYPE,
            external_parameters=context.external.model_dump(mode="json", exclude_none=True),
            internal_parameters=context.internal.model_dump(mode="json", exclude_none=True),
            resolved_dependencies=context.dependencies or None,
        ),
        run_details=RunDetails(
            builder=Builder(id=context.builder_id, version=context.builder_version),
            metadata=BuildMetadata(
                invocation_id=context.invocation_id,
                started_on=format_time(started),
                finished_on=format_time(finished),
            ),
        ),
    )


def provenance_statement(
    bundle_name: str, bundle_sha256: str, predicate: ProvenancePredicate
) -> Statement:
    """The single-subject in-toto statement about the bundle file."""
    return build_statement(
        name=bundle_name,
        sha256=bundle_sha256,
        predicate_type="https://slsa.dev/provenance/v1",
        predicate=predicate.to_json_dict(),
    )
