"""CD-04, CD-05, RG-02, UP-02 and UP-04 on the example servers: nothing blocks.

The source trees are checked quickly; the vendored trees (deps/, node_modules/)
show that third-party OAuth libraries and token writers in dependencies are not
mistaken for the server's own behaviour (the code scope is the server's code).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mtf_action.bundle.collect import collect_files
from mtf_action.bundle.ignore import IgnoreRules
from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.control import Control
from mtf_action.scan.controls.cd04_scopes import CredentialScopes
from mtf_action.scan.controls.cd05_tokens import TokenLifetime
from mtf_action.scan.controls.rg02_names import NamePatternReview
from mtf_action.scan.controls.up_updates import BreakingChangePolicy, VersionMonotonicity

CONTROLS: tuple[Control, ...] = (
    CredentialScopes(),
    TokenLifetime(),
    NamePatternReview(),
    BreakingChangePolicy(),
    VersionMonotonicity(),
)


def _packed(root: Path, options: ScanOptions | None = None) -> ScanContext:
    collection = collect_files(root, IgnoreRules.for_tree(root))
    return ScanContext(
        root, [e.arcname for e in collection], kind="directory", options=options or ScanOptions()
    )


def _assert_clean(ctx: ScanContext) -> None:
    for control in CONTROLS:
        outcome = control.evaluate(ctx)
        assert outcome.error is None, (control.id, outcome.error)
        assert [f for f in outcome.findings if f.blocks_at is not None] == [], control.id
        assert all(f.severity.value in ("info", "low") for f in outcome.findings), (
            control.id,
            [(f.rule, f.description) for f in outcome.findings],
        )


@pytest.mark.parametrize("example", ["python-units", "node-notes"])
def test_examples_source_trees_are_clean(examples_dir: Path, example: str) -> None:
    ctx = _packed(examples_dir / example)
    _assert_clean(ctx)
    assert CONTROLS[0].evaluate(ctx).details["oauth_evidence"] == []


@pytest.mark.parametrize("example", ["python-units", "node-notes"])
def test_examples_against_themselves_as_previous(examples_dir: Path, example: str) -> None:
    """Same manifest, same version: UP-04 says "version already exists", nothing else."""
    root = examples_dir / example
    ctx = _packed(root, ScanOptions(previous=root))
    outcome = VersionMonotonicity().evaluate(ctx)
    assert [f.rule for f in outcome.findings] == ["version-exists"]
    assert BreakingChangePolicy().evaluate(ctx).findings == []


@pytest.mark.slow
@pytest.mark.parametrize("example", ["python_example_tree", "node_example_tree"])
def test_examples_vendored_trees_are_clean(example: str, request: pytest.FixtureRequest) -> None:
    tree: Path = request.getfixturevalue(example)
    ctx = _packed(tree)
    _assert_clean(ctx)
    # Only the server's own code was analysed, each file read once.
    details = CONTROLS[0].evaluate(ctx).details["code"]
    assert details["python_files"] + details["script_files"] <= 5
    assert max(ctx.reads.values()) == 1
