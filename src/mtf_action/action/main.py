"""The container's entrypoint: inputs and event in, library calls, outputs out.

Exit codes are the CLI's: 0 ok; 1 policy (level below ``min-level`` or below
the manifest's claim, a failed verification); 2 usage (a bad input, a mode the
event does not allow); 3 invalid input; 4 environment or GitHub API.

Paths written to ``$GITHUB_OUTPUT`` are relative to ``$GITHUB_WORKSPACE``: the
container sees the workspace at ``/github/workspace`` while later steps of the
job run on the host, where only a workspace-relative path means the same file.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from mtf_action.action import github_calls
from mtf_action.action.event import Event, decide_mode, load_event
from mtf_action.action.inputs import ActionInputs, env_name, read_inputs, secret_inputs
from mtf_action.action.outputs import Workflow
from mtf_action.action.previous import previous_release
from mtf_action.action.report import ScanSummary, publish_report, scan_summary
from mtf_action.action.vuln_inputs import vuln_options
from mtf_action.console import Reporter
from mtf_action.errors import ExitCode, MtfError, UsageError

if TYPE_CHECKING:
    from mtf_action.attest.result import AttestResult

# Credentials the runner may hand the container besides the inputs.
SECRET_VARIABLES = (
    "GITHUB_TOKEN",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    "ACTIONS_RUNTIME_TOKEN",
    "MTF_IDENTITY_TOKEN",
)


def secrets_of(env: Mapping[str, str]) -> list[str]:
    names = [env_name(n) for n in secret_inputs()] + list(SECRET_VARIABLES)
    return [env[n] for n in names if env.get(n, "").strip()]


class Run:
    """One invocation: environment, workspace, inputs, and where to report."""

    def __init__(self, env: Mapping[str, str], workflow: Workflow, inputs: ActionInputs) -> None:
        self.env = env
        self.workflow = workflow
        self.inputs = inputs
        self.workspace = Path(env.get("GITHUB_WORKSPACE") or os.getcwd()).resolve()
        self.reporter = Reporter(stream=sys.stderr, out=sys.stderr)
        self.api = github_calls.api_from_env(env, inputs.github_token)
        # SC-02 of every scan of the run; a bad vuln-db or vex fails before any work.
        self.vulns = vuln_options(self.workspace, inputs)
        self._cleanup = ExitStack()

    def temp_dir(self, prefix: str) -> Path:
        """A private directory in ``$RUNNER_TEMP`` (never the workspace), removed by close()."""
        import tempfile

        base = self.env.get("RUNNER_TEMP") or None
        holder = tempfile.TemporaryDirectory(prefix=prefix, dir=base)
        return Path(self._cleanup.enter_context(holder))

    def close(self) -> None:
        self._cleanup.close()

    def path(self, value: str) -> Path:
        return (self.workspace / value).resolve()

    def shown(self, path: Path | str) -> str:
        """A path as later steps on the host can use it (see the module docstring)."""
        resolved = Path(path).resolve()
        try:
            return resolved.relative_to(self.workspace).as_posix()
        except ValueError:
            return str(resolved)

    def output(self, name: str, value: str | int | bool | None) -> None:
        text = (
            "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        )
        self.workflow.set_output(name, text)


@contextmanager
def key_file(run: Run) -> Iterator[Path]:
    """The ``signing-key`` PEM in a 0600 file inside ``$RUNNER_TEMP``, removed afterwards."""
    import tempfile

    pem = run.inputs.signing_key
    if not pem.strip():
        raise UsageError("sign: key needs the signing-key input (a PEM from a secret)")
    base = run.env.get("RUNNER_TEMP") or None
    with tempfile.TemporaryDirectory(prefix="mtf-attest-key-", dir=base) as tmp:
        path = Path(tmp) / "signing-key.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(pem if pem.endswith("\n") else pem + "\n")
        yield path


def run_release(run: Run, event: Event) -> int:
    from mtf_action.action import release as steps
    from mtf_action.attest.pipeline import AttestOptions, attest
    from mtf_action.attest.prebuilt import attest_prebuilt
    from mtf_action.signing.factory import SigningRequest, open_signer

    inputs = run.inputs
    platform = steps.target_platform(run)
    prebuilt = steps.prebuilt_bundles(run)
    tag = event.tag
    if inputs.upload and tag is None:
        raise UsageError("upload needs a release event or a tag push (no tag in this event)")
    if inputs.announce and tag is None:
        raise UsageError("announce needs a release event or a tag push (no tag in this event)")
    summaries = []
    with _maybe_key(run) as key:
        request = SigningRequest(
            mode=inputs.sign,
            key=key,
            identity_token=keyless_token(run),
            trust_config=run.path(inputs.trust_config) if inputs.trust_config else None,
        )
        with open_signer(request, run.reporter, run.env) as ready:
            options = AttestOptions(
                source_dir=run.path(inputs.directory),
                output_dir=run.path(inputs.output_dir),
                vendor=inputs.vendor,
                level=inputs.min_level,
                trusted_root=ready.trusted_root,
                env=run.env,
                output_name=inputs.output,
                platform=platform,
                vulns=run.vulns,
            )
            if prebuilt:
                results = attest_prebuilt(
                    prebuilt, options, ready.signer, run.reporter, public_key=ready.public_key
                )
            else:
                results = [attest(options, ready.signer, run.reporter, public_key=ready.public_key)]
            for result in results:
                bundle = Path(result.bundle.path)
                summary = scan_summary(
                    run,
                    bundle,
                    public_key=ready.public_key,
                    trusted_root=ready.trusted_root,
                    kind="bundle",
                    previous=previous_release(run, event),
                )
                summaries.append(summary)
    for summary in summaries:
        publish_report(run, summary)
    uploaded = False
    try:
        if inputs.upload and tag is not None:
            files = [Path(p) for r in results for p in r.assets.values()]
            published = steps.publish(run, event, tag, files)
            uploaded = published.complete
            run.output("already-attested", published.already_attested)
            if published.already_attested:
                results = steps.adopt_release(run, tag, results)
    finally:  # a failed upload still reports what was built
        _release_outputs(run, results)
    run.output("uploaded", uploaded)
    if inputs.github_attestations:
        store_github_attestations(
            run,
            [Path(r.assets[k]) for r in results for k in ("provenance", "claim_signature")],
        )
    announced = False
    if inputs.announce and tag is not None:
        announced = steps.announce_bundles(
            run, event, tag, results, platform, token=lambda: registry_token(run)
        )
    run.output("announced", announced)
    for result in results:
        for problem in result.problems:
            run.workflow.annotate("error", problem, title="MTF level")
    return int(ExitCode.OK if all(r.ok for r in results) else ExitCode.POLICY_FAILURE)


def _release_outputs(run: Run, results: list[AttestResult]) -> None:
    """One bundle: its values; several (prebuilt ``bundles``): one line per bundle."""

    def lines(values: list[str]) -> str:
        return "\n".join(values)

    run.output("bundle-path", lines([run.shown(r.bundle.path) for r in results]))
    run.output("bundle-sha256", lines([r.bundle.sha256 for r in results]))
    run.output("bundle-size", lines([str(r.bundle.size) for r in results]))
    run.output("level", min(r.level_verified for r in results))
    for name, kind in (
        ("claim-path", "claim"),
        ("provenance-path", "provenance"),
        ("sbom-path", "sbom"),
    ):
        run.output(
            name, lines([run.shown(r.assets[kind]) if kind in r.assets else "" for r in results])
        )


def registry_token(run: Run) -> str:
    """The OIDC token for the mpak registry's audience, masked before anything prints it."""
    from mtf_action.announce import MPAK_AUDIENCE
    from mtf_action.signing.oidc import ambient_oidc_token

    token = ambient_oidc_token(MPAK_AUDIENCE)
    if not token:
        raise UsageError(
            "announce needs a GitHub OIDC token: give the job `permissions: id-token: write`"
        )
    run.workflow.mask([token])
    return token


def keyless_token(run: Run) -> str | None:
    """The OIDC token for ``sign: sigstore``, fetched here rather than inside the signer
    so it is masked before anything could print it (as ``@actions/core`` getIDToken does)."""
    if run.inputs.sign != "sigstore":
        return None
    from mtf_action.signing.sigstore_signer import resolve_identity_token

    token = resolve_identity_token(run.env.get("MTF_IDENTITY_TOKEN"))
    run.workflow.mask([token])
    return token


def store_github_attestations(run: Run, bundles: list[Path]) -> None:
    """Provenance and claim into GitHub's attestation store (``gh attestation verify``).

    A repository whose plan (or server) has no attestations gets a warning, not a
    failure: the release is complete and verifiable from its assets without them.
    """
    from mtf_action.github.attestations import AttestationsUnavailable

    try:
        ids = github_calls.store_attestations(run.api, bundles)
    except AttestationsUnavailable as exc:
        run.workflow.annotate(
            "warning", f"not stored: {exc.one_line()}", title="github-attestations"
        )
        return
    run.reporter.info(f"GitHub artifact attestations stored: {', '.join(map(str, ids))}")


@contextmanager
def _maybe_key(run: Run) -> Iterator[Path | None]:
    if run.inputs.sign != "key":
        if run.inputs.signing_key.strip():
            raise UsageError(f"signing-key is only used with sign: key (not {run.inputs.sign})")
        yield None
        return
    with key_file(run) as path:
        yield path


def run_pull_request(run: Run, event: Event) -> int:
    from mtf_action._commands.scan import exit_code
    from mtf_action.action.pull_request import compare_with_base

    previous = previous_release(run, event)
    summary: ScanSummary = scan_summary(
        run, run.path(run.inputs.directory), kind="directory", previous=previous
    )
    summary = compare_with_base(run, event, summary, previous)
    publish_report(run, summary)
    run.output("level", summary.report.level_verified)
    run.output("uploaded", False)
    pull = event.payload.pull_request
    if run.inputs.comment and pull is not None:
        if run.api.token:
            from mtf_action.errors import RemoteServiceError

            try:
                url = github_calls.sticky_comment(run.api, pull.number, summary.markdown)
                run.reporter.info(f"comment: {url}")
            except RemoteServiceError as exc:
                # A fork's token is read-only: the report is in the summary and SARIF anyway.
                run.workflow.annotate("warning", f"comment not posted: {exc.one_line()}")
        else:
            run.workflow.annotate("notice", "comment skipped: no github-token input")
    return exit_code(summary.result, run.inputs.min_level)


def run_verify(run: Run) -> int:
    from mtf_action.signing.policy import IdentityRequirement
    from mtf_action.signing.trust import VerifyTrust
    from mtf_action.verify.chain import verify_release
    from mtf_action.verify.options import VerifyOptions
    from mtf_action.verify.render import human_lines

    inputs = run.inputs
    if not inputs.repository or not inputs.tag:
        raise UsageError("mode verify needs the repository and tag inputs")
    if (inputs.vuln_db or inputs.vex) and not inputs.rescan:
        raise UsageError("vuln-db and vex apply to verify mode's rescan: set rescan: true")
    out = run.path(inputs.output_dir)
    files = github_calls.download_assets(
        run.api, inputs.repository, inputs.tag, out, reporter=run.reporter
    )
    bundles = [p for p in files if p.name.endswith(".mcpb")]
    if len(bundles) != 1:
        raise UsageError(f"release {inputs.tag} has {len(bundles)} .mcpb assets, expected one")
    identity = (
        IdentityRequirement()
        if inputs.key
        else IdentityRequirement(repository=inputs.repository, workflow=inputs.workflow or None)
    )
    result = verify_release(
        VerifyOptions(
            bundle=bundles[0],
            identity=identity,
            key=run.path(inputs.key) if inputs.key else None,
            min_level=inputs.min_level,
            rescan=inputs.rescan,
            vulns=run.vulns,
            trust=VerifyTrust(
                trust_config=run.path(inputs.trust_config) if inputs.trust_config else None
            ),
        ),
        run.reporter,
    )
    run.workflow.summary("\n".join(["### MTF verify", "", "```", *human_lines(result), "```"]))
    for check in result.failed_checks:
        run.workflow.annotate("error", f"{check.name}: {check.reason}", title="MTF verify")
    run.output("bundle-path", run.shown(bundles[0]))
    run.output("bundle-sha256", result.bundle_sha256)
    run.output("level", result.level)
    run.output("uploaded", False)
    return int(result.exit_code)


def main(env: Mapping[str, str] | None = None, stdout: IO[str] | None = None) -> int:
    """Run the action; returns the exit code."""
    env = dict(os.environ) if env is None else env
    workflow = Workflow(env, stdout)
    workflow.mask(secrets_of(env))  # before anything else is printed
    run: Run | None = None
    try:
        run = Run(env, workflow, read_inputs(env))
        event = load_event(env)
        mode = decide_mode(run.inputs.mode, event)
        run.output("mode", mode)
        if mode == "release":
            return run_release(run, event)
        if mode == "pull-request":
            return run_pull_request(run, event)
        return run_verify(run)
    except MtfError as exc:
        workflow.annotate("error", exc.one_line(), title="mtf-attest")
        return int(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - last resort: one annotation, never a traceback
        if env.get("RUNNER_DEBUG") == "1":
            traceback.print_exc()
        workflow.annotate("error", f"internal error: {type(exc).__name__}: {exc}")
        return int(ExitCode.ENVIRONMENT)
    finally:
        if run is not None:
            run.close()
