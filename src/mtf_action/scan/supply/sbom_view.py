"""The SBOM(s) a target ships, read and validated once per scan (SC-01, SC-03).

A bundle ships what it holds at its root: ``sbom.cdx.json``, ``sbom.json``,
``sbom.spdx.json`` (MTF SC-01 file locations). A source directory does not ship
anything yet: ``build`` generates ``sbom.cdx.json`` (replacing any file of that
name in the tree) while ``sbom.json``/``sbom.spdx.json`` are packed as they are.
For a directory the view therefore holds those committed files plus the SBOM
``build --no-vendor`` would generate, made in memory by the build's own code
(``sbom.assemble.sbom_for_bundle``). That generator reads the tree's lockfile,
``pyproject.toml``/``package.json`` and installed metadata from disk, like the
build does; it is the one place SC-01 does not go through the scan context.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from mtf_action.bundle.epoch import DEFAULT_EPOCH
from mtf_action.errors import InvalidInputError, MtfError
from mtf_action.scan.context import ScanContext, is_vendored
from mtf_action.scan.parallel import Pending, start_call
from mtf_action.scan.supply.memo import memo
from mtf_action.scan.supply.sbom_doc import (
    CdxError,
    SbomDocument,
    SbomRejected,
    cyclonedx_error,
    cyclonedx_version,
    parse_sbom,
)

SBOM_NAMES = ("sbom.cdx.json", "sbom.json", "sbom.spdx.json")
GENERATED = "sbom.cdx.json"
_VALIDATION = "sbom-validation:"  # ctx.started key prefix
_SBOM_LIKE = (".cdx.json", ".spdx.json", "bom.json", "sbom.json")


@dataclass(frozen=True)
class SbomView:
    """Every SBOM of the target, valid or not, and how they were obtained."""

    documents: tuple[SbomDocument, ...] = ()
    rejected: tuple[SbomRejected, ...] = ()
    generation_error: str | None = None  # directory: why no SBOM could be generated
    notes: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()  # SBOM-like files outside the standard locations

    @property
    def present(self) -> bool:
        return bool(self.documents or self.rejected)


def sbom_view(ctx: ScanContext) -> SbomView:
    return memo(ctx, "supply.sbom", lambda: _build_view(ctx))


def _build_view(ctx: ScanContext) -> SbomView:
    documents: list[SbomDocument] = []
    rejected: list[SbomRejected] = []
    notes: list[str] = []
    generation_error = None
    for name in SBOM_NAMES:
        if not ctx.has(name):
            continue
        if ctx.kind == "directory" and name == GENERATED:
            notes.append(f"{name} in the tree is replaced by the SBOM build generates; not checked")
            continue
        read = read_sbom_file(ctx, name)
        if isinstance(read, SbomDocument):
            documents.append(read)
        else:
            rejected.append(read)
    if ctx.kind == "directory":
        generated, generation_error, more = _generate(ctx)
        notes += more
        if generated is not None:
            documents.insert(0, generated)
    elsewhere = tuple(
        f
        for f in ctx.files
        if f not in SBOM_NAMES and not is_vendored(f) and f.lower().endswith(_SBOM_LIKE)
    )
    return SbomView(tuple(documents), tuple(rejected), generation_error, tuple(notes), elsewhere)


def start_validation(ctx: ScanContext) -> None:
    """Start the schema validation of the bundle's CycloneDX SBOMs on another core.

    jsonschema takes ~70 ms on a 20 KB SBOM against the CycloneDX 1.6 schema
    (its oneOf branches); :func:`read_sbom_file` collects the verdict.
    """
    for name in SBOM_NAMES:
        if not ctx.has(name) or (ctx.kind == "directory" and name == GENERATED):
            continue
        try:
            data = ctx.json_document(name)
        except InvalidInputError:
            continue  # read_sbom_file reports it
        version = cyclonedx_version(data)
        if version is not None:
            text = ctx.read_bytes(name).decode("utf-8")
            ctx.started[_VALIDATION + name] = start_call(
                functools.partial(cyclonedx_error, version, text)
            )


def read_sbom_file(ctx: ScanContext, path: str) -> SbomDocument | SbomRejected:
    try:
        data = ctx.json_document(path)
    except InvalidInputError as exc:
        return SbomRejected(path, exc.message, "invalid")
    text = ctx.read_bytes(path).decode("utf-8")  # json_document succeeded: valid UTF-8
    pending: Pending[CdxError] | None = ctx.take_started(_VALIDATION + path)
    checked = (lambda: pending.result()[0]) if pending is not None else None
    return parse_sbom(path, text, data, checked=checked)


def _generate(ctx: ScanContext) -> tuple[SbomDocument | None, str | None, list[str]]:
    """The SBOM ``build --no-vendor`` would put into the bundle of this tree."""
    manifest = ctx.manifest
    server = manifest.server if manifest is not None else None
    if manifest is None or server is None or not (manifest.name and manifest.version):
        return None, "manifest.json lacks name, version or server (see AI-01)", []
    if not server.type:
        return None, "manifest.json has no server.type (see AI-01)", []
    # The generator pulls in cyclonedx-python-lib (~70 ms of imports); most
    # bundles carry their SBOM, so it only loads when one must be generated.
    from mtf_action.sbom.assemble import SbomInput, sbom_for_bundle
    from mtf_action.sbom.cyclonedx import InvalidSbomError

    try:
        output = sbom_for_bundle(
            SbomInput(
                manifest=manifest,
                name=manifest.name,
                version=manifest.version,
                server_type=server.type,
                source_dir=ctx.root,
                vendored=None,
                epoch=DEFAULT_EPOCH,
            )
        )
    except (MtfError, InvalidSbomError) as exc:
        return None, f"SBOM generation failed: {exc}", []
    text = output.document.decode("utf-8")
    parsed = parse_sbom(f"{GENERATED} (generated)", text, json.loads(text))
    if isinstance(parsed, SbomRejected):  # cannot happen unless the generator is broken
        return None, f"generated SBOM rejected: {parsed.reason}", []
    document = SbomDocument(
        path=parsed.path,
        format=parsed.format,
        spec_version=parsed.spec_version,
        components=parsed.components,
        timestamp=None,  # the build sets its epoch; meaningless here
        generated=True,
    )
    return document, None, list(output.discrepancies)
