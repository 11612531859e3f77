"""Release mode's steps besides attesting: what to attest, where it goes, who hears of it.

* what: the ``directory`` built under the ``output`` name template for the
  ``platform-os``/``platform-arch`` target, or the prebuilt ``bundles`` (the
  multi-platform flow: ``pipx run mtf-attest build`` per OS, one Linux job
  attests them all, see :mod:`mtf_action.attest.prebuilt`);
* where: the release of the tag; a re-run on the same content leaves it alone
  (:mod:`mtf_action.github.rerun`), different content needs ``overwrite``;
* who: an mpak-compatible registry (``announce``), with mcpb-pack's payload and
  OIDC audience (:mod:`mtf_action.announce`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mtf_action.action.event import Event
from mtf_action.bundle.platform import ANY, Platform, platform_from
from mtf_action.errors import MtfError, UsageError

if TYPE_CHECKING:
    from mtf_action.action.main import Run
    from mtf_action.attest.result import AttestResult


def target_platform(run: Run) -> Platform | None:
    """``platform-os``/``platform-arch`` (checked; a bad value is a usage error)."""
    from mtf_action.bundle.naming import bundle_filename

    inputs = run.inputs
    platform = platform_from(inputs.platform_os, inputs.platform_arch)
    bundle_filename("name", "1.0.0", inputs.output, platform)  # a bad template: usage error
    return platform


def prebuilt_bundles(run: Run) -> list[Path]:
    """The ``bundles`` input: one path or glob per line, relative to the workspace."""
    from mtf_action.bundle.naming import DEFAULT_TEMPLATE

    inputs = run.inputs
    patterns = [line.strip() for line in inputs.bundles.splitlines() if line.strip()]
    if not patterns:
        return []
    if inputs.output != DEFAULT_TEMPLATE or inputs.platform_os or inputs.platform_arch:
        raise UsageError(
            "output, platform-os and platform-arch name a bundle that is built here; prebuilt "
            "bundles keep the names `mtf-attest build` gave them"
        )
    found: list[Path] = []
    for pattern in patterns:
        if Path(pattern).is_absolute():
            raise UsageError(f"bundles: {pattern!r} must be relative to the workspace")
        matches = sorted(p.resolve() for p in run.workspace.glob(pattern) if p.is_file())
        if not matches:
            raise UsageError(f"bundles: nothing matches {pattern!r} in the workspace")
        for path in matches:
            if not path.is_relative_to(run.workspace):
                raise UsageError(f"bundles: {pattern!r} leaves the workspace")
            if not path.name.endswith(".mcpb"):
                raise UsageError(f"bundles: {run.shown(path)} is not a .mcpb file")
            if path not in found:
                found.append(path)
    return found


@dataclass(frozen=True)
class Published:
    """What the release holds after the upload step."""

    up: list[str]  # asset names on the release
    complete: bool  # every asset of this run is there
    already_attested: bool  # a re-run on the same content: the release was left alone


def publish(run: Run, event: Event, tag: str, files: Sequence[Path]) -> Published:
    """Upload ``files`` to the release of ``tag`` unless it already attests this content."""
    from mtf_action.action import github_calls

    up, attested = github_calls.publish_assets(
        run.api,
        tag,
        files,
        overwrite=run.inputs.overwrite,
        publish=event.name == "push",
        reporter=run.reporter,
    )
    if attested:
        run.workflow.annotate(
            "notice",
            f"release {tag} already carries an attestation of this content (same members, "
            ".sigstore/ aside): left as it is; set overwrite to replace it",
            title="mtf-attest",
        )
    names = {p.name for p in files}
    return Published(up, names <= set(up), attested)


def adopt_release(run: Run, tag: str, results: list[AttestResult]) -> list[AttestResult]:
    """After a re-run found the release already attesting this content, make the output
    directory and the step outputs describe the published assets.

    This run re-signed the same content (new signing time, new bundle digest); left in
    place, those copies would give outputs, GitHub attestations and the registry
    announcement a digest that is not on the release. The release's assets are
    downloaded (digest-checked) over them instead. On failure the local copies stay and
    a warning says their digests differ from the release's.
    """
    import os

    from mtf_action.action import github_calls
    from mtf_action.build import built_file

    out = run.path(run.inputs.output_dir)
    ours = {Path(p).name for r in results for p in r.assets.values()}
    try:
        fetched = github_calls.download_assets(
            run.api, run.api.repository, tag, run.temp_dir("mtf-attest-release-"),
            reporter=run.reporter,
        )  # fmt: skip
    except MtfError as exc:
        run.workflow.annotate(
            "warning",
            f"{run.shown(out)} holds this run's re-signed copies, whose digests differ from "
            f"the release's: {exc.one_line()}",
            title="mtf-attest",
        )
        return results
    for path in fetched:
        if path.name in ours:
            os.replace(path, out / path.name)
    return [r.model_copy(update={"bundle": built_file(Path(r.bundle.path))}) for r in results]


def _artifact_platform(result: AttestResult, platform: Platform | None) -> Platform:
    from mtf_action.bundle.platform import platform_of_file

    return platform or platform_of_file(Path(result.bundle.path).name) or Platform(ANY, ANY)


def announce_bundles(
    run: Run,
    event: Event,
    tag: str,
    results: Sequence[AttestResult],
    platform: Platform | None,
    *,
    token: Callable[[], str],
) -> bool:
    """Announce each bundle to ``announce-url``; True when all were accepted.

    A failure fails the step with ``announce-required``, else it is a warning.
    ``token``: the OIDC token for the registry's audience (masked by the caller).
    """
    from mtf_action.announce import AnnounceArtifact, AnnouncePayload, announce
    from mtf_action.manifest.loader import read_manifest

    inputs = run.inputs
    prerelease = bool(event.payload.release and event.payload.release.prerelease)
    try:
        bearer = token()
        for result in results:
            bundle = Path(result.bundle.path)
            target = _artifact_platform(result, platform)
            payload = AnnouncePayload(
                name=result.name,
                version=result.version,
                manifest=read_manifest(bundle).raw,
                release_tag=tag,
                prerelease=prerelease,
                artifact=AnnounceArtifact(
                    filename=bundle.name,
                    os=target.os,
                    arch=target.arch,
                    sha256=result.bundle.sha256,
                    size=result.bundle.size,
                ),
            )
            outcome = announce(inputs.announce_url, bearer, payload)
            how = "was already announced" if outcome.state == "already-announced" else "announced"
            run.reporter.info(f"{bundle.name} {how} to {inputs.announce_url}")
    except MtfError as exc:
        if inputs.announce_required:
            raise
        run.workflow.annotate("warning", f"not announced: {exc.one_line()}", title="announce")
        return False
    return True
