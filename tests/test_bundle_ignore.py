"""File selection rules: MCPB CLI defaults, .mcpbignore, never-packed paths."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bundle_trees import tree_rel_files
from mtf_action.bundle.collect import collect_files
from mtf_action.bundle.ignore import DEFAULT_PATTERNS, IgnoreRules
from mtf_action.errors import InvalidInputError

# EXCLUDE_PATTERNS of @anthropic-ai/mcpb 2.1.2, dist/node/files.js, in its order.
MCPB_2_1_2_EXCLUDES = (
    ".DS_Store",
    "Thumbs.db",
    ".gitignore",
    ".git",
    ".mcpbignore",
    "*.log",
    ".env*",
    ".npm",
    ".npmrc",
    ".yarnrc",
    ".yarn",
    ".eslintrc",
    ".editorconfig",
    ".prettierrc",
    ".prettierignore",
    ".eslintignore",
    ".nycrc",
    ".babelrc",
    ".pnp.*",
    "node_modules/.cache",
    "node_modules/.bin",
    "*.map",
    ".env.local",
    ".env.*.local",
    "npm-debug.log*",
    "yarn-debug.log*",
    "yarn-error.log*",
    "package-lock.json",
    "yarn.lock",
    "*.mcpb",
    "*.d.ts",
    "*.tsbuildinfo",
    "tsconfig.json",
)
DEFAULT_IGNORED_FILES = [
    ".DS_Store",
    "sub/.DS_Store",
    "Thumbs.db",
    ".gitignore",
    ".mcpbignore",
    "server.log",
    "logs/a/b.log",
    ".env",
    ".env.production",
    ".envrc",
    ".npmrc",
    ".yarnrc",
    ".eslintrc",
    ".editorconfig",
    ".prettierrc",
    ".babelrc",
    ".pnp.cjs",
    "dist/index.js.map",
    "npm-debug.log.1",
    "yarn-error.log",
    "old-release.mcpb",
    "types/index.d.ts",
    "tsconfig.tsbuildinfo",
    "tsconfig.json",
]
DEFAULT_IGNORED_DIRS = [
    ".git",
    "pkg/.git",
    ".npm",
    ".yarn",
    "node_modules/.cache",
    "node_modules/.bin",
]
KEPT_FILES = [
    "manifest.json",
    "server/index.js",
    "package-lock.json",  # MTF SC-03/SC-04: lockfiles stay in the bundle
    "yarn.lock",
    "node_modules/foo/index.js",
    "node_modules/foo/.cache-key.js",
    "README.md",
    "src/tsconfig.base.json",
]


def rules_with(tmp_path: Path, ignore_text: str | None) -> IgnoreRules:
    if ignore_text is not None:
        (tmp_path / ".mcpbignore").write_text(ignore_text)
    return IgnoreRules.for_tree(tmp_path)


@pytest.mark.parametrize("rel", DEFAULT_IGNORED_FILES)
def test_default_exclusions_files(rel: str) -> None:
    assert IgnoreRules().is_ignored(rel, False)


@pytest.mark.parametrize("rel", DEFAULT_IGNORED_DIRS)
def test_default_exclusions_dirs(rel: str) -> None:
    assert IgnoreRules().is_ignored(rel, True)


@pytest.mark.parametrize("rel", KEPT_FILES)
def test_sc03_lockfiles_and_sources_kept(rel: str) -> None:
    assert not IgnoreRules().is_ignored(rel, False)


def test_defaults_are_mcpb_list_minus_lockfiles() -> None:
    assert (
        tuple(p for p in MCPB_2_1_2_EXCLUDES if p not in ("package-lock.json", "yarn.lock"))
        == DEFAULT_PATTERNS
    )


def test_mcpbignore_patterns_comments_and_negation(tmp_path: Path) -> None:
    rules = rules_with(tmp_path, "# docs are not shipped\n\n*.md\n!README.md\ntests/\n")
    assert rules.is_ignored("docs/guide.md", False)
    assert not rules.is_ignored("README.md", False)
    assert rules.is_ignored("tests", True)
    assert not rules.is_ignored("tests", False)  # "tests/" only matches directories
    assert not rules.is_ignored("# docs are not shipped", False)


def test_mcpbignore_negation_reincludes_a_default(tmp_path: Path) -> None:
    rules = rules_with(tmp_path, "!tsconfig.json\n")
    assert not rules.is_ignored("tsconfig.json", False)


def test_mcpbignore_bom_and_crlf(tmp_path: Path) -> None:
    (tmp_path / ".mcpbignore").write_bytes(b"\xef\xbb\xbfsecret.txt\r\n!keep.log\r\n")
    rules = IgnoreRules.for_tree(tmp_path)
    assert rules.is_ignored("secret.txt", False)
    assert not rules.is_ignored("keep.log", False)


@pytest.mark.parametrize(
    ("negation", "rel", "is_dir"),
    [
        ("!.env", ".env", False),
        ("!.env.production", ".env.production", False),
        ("!.git", ".git", True),
        ("!.git/", "vendor/lib/.git", True),
        ("!*.mcpb", "previous.mcpb", False),
        ("!__pycache__/", "pkg/__pycache__", True),
        ("!*.pyc", "pkg/mod.cpython-311.pyc", False),
        ("!*.pyo", "mod.pyo", False),
    ],
)
def test_never_packed_despite_negation(
    tmp_path: Path, negation: str, rel: str, is_dir: bool
) -> None:
    rules = rules_with(tmp_path, f"{negation}\n")
    assert rules.is_ignored(rel, is_dir)
    assert rules.is_forced(rel, is_dir)


def test_pycache_pruned_everywhere(tmp_path: Path) -> None:
    for rel in ("app/__pycache__/m.cpython-311.pyc", "deps/x/__pycache__/y.pyc", "a.pyc", "a.py"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = collect_files(tmp_path, IgnoreRules.for_tree(tmp_path))
    assert [e.arcname for e in found] == ["a.py"]


def test_directory_exclusion_cannot_be_undone_by_file_negation(tmp_path: Path) -> None:
    # git: "It is not possible to re-include a file if a parent directory is excluded"
    for rel in ("dist/keep.js", "dist/drop.js", "build/keep.js", "build/drop.js"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text(rel)
    rules = rules_with(tmp_path, "dist\n!dist/keep.js\nbuild/**\n!build/keep.js\n")
    names = [e.arcname for e in collect_files(tmp_path, rules)]
    # "build/**" excludes what is inside build/, not build/ itself, so keep.js returns.
    assert names == ["build/keep.js"]


def test_invalid_pattern_names_the_ignore_file(tmp_path: Path) -> None:
    (tmp_path / ".mcpbignore").write_text("!\n")
    with pytest.raises(InvalidInputError) as caught:
        IgnoreRules.for_tree(tmp_path)
    assert ".mcpbignore" in caught.value.one_line()


def test_non_utf8_ignore_file(tmp_path: Path) -> None:
    (tmp_path / ".mcpbignore").write_bytes(b"caf\xe9\n")
    with pytest.raises(InvalidInputError, match="not UTF-8"):
        IgnoreRules.for_tree(tmp_path)


def test_exclude_dirs_inside_and_outside_tree(tmp_path: Path) -> None:
    rules = IgnoreRules.for_tree(
        tmp_path, exclude_dirs=[tmp_path / "out", tmp_path / "a" / "b", tmp_path.parent]
    )
    assert rules.excluded_dirs == {"out", "a/b"}
    assert rules.is_ignored("out", True)
    assert rules.is_ignored("a/b", True)
    assert not rules.is_ignored("a", True)
    assert not rules.is_ignored("out", False)  # a file named "out" is not the directory


@pytest.mark.interop
def test_interop_selection_matches_mcpb_cli(tmp_path: Path, mcpb_cli: Path) -> None:
    """Our defaults select what ``mcpb pack`` 2.1.2 selects, except the lockfiles."""
    package = next(p for p in mcpb_cli.resolve().parents if (p / "package.json").is_file())
    files_js = package / "dist" / "node" / "files.js"
    paths = [*DEFAULT_IGNORED_FILES, *KEPT_FILES, "node_modules/.bin/tsc", ".git/HEAD"]
    for rel in paths:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    script = (
        f"import({json.dumps(files_js.as_uri())}).then(m => console.log(JSON.stringify(["
        f"m.EXCLUDE_PATTERNS, "
        f"Object.keys(m.getAllFilesWithCount({json.dumps(str(tmp_path))}).files)])))"
    )
    done = subprocess.run(
        ["node", "-e", script], capture_output=True, text=True, timeout=60, check=True
    )
    patterns, selected = json.loads(done.stdout)
    assert tuple(patterns) == MCPB_2_1_2_EXCLUDES
    theirs = set(selected) | {"package-lock.json", "yarn.lock"}
    ours = {e.arcname for e in collect_files(tmp_path, IgnoreRules.for_tree(tmp_path))}
    assert ours == theirs
    assert ours < tree_rel_files(tmp_path)
