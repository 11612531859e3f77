"""SC-02 version semantics: OSV ranges under PEP 440 (PyPI) and SemVer 2.0.0 (npm).

The records here are synthetic edge cases built in the OSV shape (package names
``demo``/``@acme/demo`` make that plain); real advisories are exercised in
test_local_db.py.
"""

from __future__ import annotations

import pytest
from vulns_fixtures import npm, pypi, record

from mtf_action.vulns.matching import match
from mtf_action.vulns.versions import same_version, version_key


def affected(rec_events: list[dict[str, str]], version: str, **kw: object) -> bool:
    return match(record("X-1", "demo", rec_events, **kw), pypi("demo", version)).affected  # type: ignore[arg-type]


def npm_affected(rec_events: list[dict[str, str]], version: str, **kw: object) -> bool:
    rec = record("X-1", "@acme/demo", rec_events, ecosystem="npm", **kw)  # type: ignore[arg-type]
    return match(rec, npm("@acme/demo", version)).affected


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.0.1", True),  # introduced "0" sorts before every version
        ("1.9.9", True),
        ("2.0.0rc1", True),  # a pre-release of the fix is still before the fix (PEP 440)
        ("2.0.0", False),
        ("2.0", False),  # PEP 440: 2.0 == 2.0.0
        ("2.0.0.post1", False),
        ("1.9.9+local.7", True),  # local version of an affected release
        ("2.0.0+local", False),  # local build of the fixed release
        ("not a version", False),  # cannot be placed in the range: not affected, and noted
    ],
)
def test_sc02_pep440_zero_introduced_and_fixed(version: str, expected: bool) -> None:
    assert affected([{"introduced": "0"}, {"fixed": "2.0.0"}], version) is expected


def test_sc02_unparseable_version_is_reported_as_undecided() -> None:
    verdict = match(
        record("X-1", "demo", [{"introduced": "0"}, {"fixed": "2"}]), pypi("demo", "zz")
    )
    assert not verdict.affected and verdict.undecided and "not comparable" in verdict.undecided[0]


@pytest.mark.parametrize(
    ("version", "expected", "fix"),
    [
        ("1.0.0", True, "1.0.2"),
        ("1.0.2", False, None),
        ("2.5.0", False, None),
        ("3.0.0a1", False, None),  # pre-release of the introducing version sorts before it
        ("3.0.0", True, "3.2.5"),
        ("3.2.4", True, "3.2.5"),
        ("3.2.5", False, None),
        ("0.9", False, None),
    ],
)
def test_sc02_multiple_ranges_and_the_fix_for_the_range(
    version: str, expected: bool, fix: str | None
) -> None:
    events = [
        {"introduced": "1.0.0"},
        {"fixed": "1.0.2"},
        {"introduced": "3.0.0"},
        {"fixed": "3.2.5"},
    ]
    verdict = match(record("X-1", "demo", events), pypi("demo", version))
    assert verdict.affected is expected
    assert verdict.fixed == ((fix,) if fix else ())


def test_sc02_unsorted_events_are_sorted_first() -> None:
    events = [
        {"fixed": "3.2.5"},
        {"introduced": "3.0.0"},
        {"fixed": "1.0.2"},
        {"introduced": "1.0.0"},
    ]
    assert affected(events, "3.1") and affected(events, "1.0.1") and not affected(events, "2.0")


@pytest.mark.parametrize(
    ("version", "expected"), [("2.1.214", True), ("2.1.214.post1", False), ("2.1.215", False)]
)
def test_sc02_last_affected_is_inclusive(version: str, expected: bool) -> None:
    events = [{"introduced": "0"}, {"last_affected": "2.1.214"}]
    verdict = match(record("X-1", "demo", events), pypi("demo", version))
    assert verdict.affected is expected
    if expected:
        assert verdict.last_affected == ("2.1.214",) and verdict.fixed == ()


def test_sc02_limit_bounds_the_range() -> None:
    events = [{"introduced": "1.0"}, {"limit": "1.5"}]
    assert affected(events, "1.2") and not affected(events, "1.5") and not affected(events, "2.0")
    assert affected([{"introduced": "1.0"}, {"limit": "*"}], "9.0")


def test_sc02_explicit_versions_list_and_git_ranges() -> None:
    # A GIT range cannot be evaluated without the repository; the versions list can.
    rec = record(
        "X-1",
        "demo",
        [{"introduced": "0"}, {"fixed": "9a3a981d70d2e9ec3344b5192f86fcaf3210cd85"}],
        range_type="GIT",
        versions=["0.9", "1.0.0"],
    )
    assert match(rec, pypi("demo", "1.0")).affected  # PEP 440 equality with "1.0.0"
    assert not match(rec, pypi("demo", "1.1")).affected


def test_sc02_withdrawn_records_never_match() -> None:
    rec = record("X-1", "demo", [{"introduced": "0"}], withdrawn="2024-01-01T00:00:00Z")
    assert not match(rec, pypi("demo", "1.0")).affected


def test_sc02_pypi_names_are_pep503_normalised() -> None:
    rec = record("X-1", "Demo_Pkg", [{"introduced": "0"}])
    assert match(rec, pypi("demo-pkg", "1.0")).affected
    assert not match(rec, pypi("demo-pkg-two", "1.0")).affected


def test_sc02_ecosystems_do_not_mix() -> None:
    rec = record("X-1", "demo", [{"introduced": "0"}], ecosystem="npm")
    assert not match(rec, pypi("demo", "1.0.0")).affected


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("4.18.2", True),
        ("5.0.0-alpha.1", True),
        ("5.0.0-beta.2", True),
        ("5.0.0-beta.3", False),  # SemVer pre-release precedence: beta.3 is the fix
        ("5.0.0-beta.10", False),  # numeric identifiers compare numerically
        ("4.19.2", False),
        ("4.19.1+build.7", True),  # build metadata takes no part in precedence
        ("4.19.2+build.7", False),
        ("v4.19.1", True),  # npm's parser accepts a leading "v"
    ],
)
def test_sc02_npm_semver_prereleases_and_build_metadata(version: str, expected: bool) -> None:
    events = [
        {"introduced": "0"},
        {"fixed": "4.19.2"},
        {"introduced": "5.0.0-alpha.1"},
        {"fixed": "5.0.0-beta.3"},
    ]
    assert npm_affected(events, version) is expected


def test_sc02_npm_versions_list_ignores_build_metadata() -> None:
    assert npm_affected([], "1.2.3+exp.sha.5114f85", versions=["1.2.3"])


def test_sc02_npm_names_match_scoped_and_ignore_case() -> None:
    rec = record("X-1", "Axios", [{"introduced": "1.3.2"}, {"fixed": "1.7.4"}], ecosystem="npm")
    assert match(rec, npm("axios", "1.7.2")).affected
    scoped = record("X-2", "@acme/demo", [{"introduced": "0"}], ecosystem="npm")
    assert match(scoped, npm("@acme/demo", "1.0.0")).affected
    assert not match(scoped, npm("demo", "1.0.0")).affected


def test_sc02_semver_range_on_a_pypi_package() -> None:
    # SEMVER-typed ranges use SemVer precedence whatever the ecosystem; "2.0" reads as 2.0.0.
    events = [{"introduced": "1.0.0"}, {"fixed": "2.0.0"}]
    assert affected(events, "1.5.0", range_type="SEMVER")
    assert not affected(events, "2.0", range_type="SEMVER")


def test_sc02_version_helpers() -> None:
    assert same_version("PyPI", "1.0", "1.0.0") and not same_version("PyPI", "1.0", "1.0.1")
    assert same_version("npm", "1.0.0+a", "1.0.0") and not same_version(
        "npm", "1.0.0-rc.1", "1.0.0"
    )
    key = version_key("npm", "ECOSYSTEM", "1.0.0-rc.1")
    assert key is not None and key < version_key("npm", "ECOSYSTEM", "1.0.0")
    assert version_key("npm", "ECOSYSTEM", "1.0") is None  # not SemVer: npm ordering refuses it
