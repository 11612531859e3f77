"""Bundle file names derived from the manifest name and version."""

from __future__ import annotations

import pytest

from mtf_action.bundle.naming import MAX_STEM, bundle_filename, bundle_stem
from mtf_action.errors import InvalidInputError, UsageError


@pytest.mark.parametrize(
    ("name", "version", "stem"),
    [
        ("@acme/weather-server", "1.0.0", "acme-weather-server-1.0.0"),
        ("units", "0.1.0", "units-0.1.0"),
        ("My Server!", "2.0.0-RC.1", "my-server-2.0.0-rc.1"),
        ("a__b..c", "1.0.0+build.5", "a__b..c-1.0.0-build.5"),
        ("..hidden", "1", "hidden-1"),
        ("--x--y--", "1", "x-y-1"),
        ("caf\u00e9", "1", "caf-1"),
    ],
)
def test_bundle_stem(name: str, version: str, stem: str) -> None:
    assert bundle_stem(name, version) == stem


def test_stem_is_capped_and_keeps_the_version() -> None:
    stem = bundle_stem("x" * 500, "1.2.3")
    assert len(stem) <= MAX_STEM
    assert stem.endswith("-1.2.3")


@pytest.mark.parametrize(
    ("name", "version"),
    [("!!!", "1.0.0"), ("@/", "1.0.0"), ("ok", "../../etc"), ("ok", "a\\b"), ("ok", "+++")],
)
def test_unusable_names_are_refused(name: str, version: str) -> None:
    with pytest.raises(InvalidInputError):
        bundle_stem(name, version)


def test_filename_template() -> None:
    assert bundle_filename("@acme/w", "1.0.0") == "acme-w-1.0.0.mcpb"
    assert bundle_filename("@acme/w", "1.0.0", "{name}_v{version}.zip") == "acme-w_v1.0.0.zip"


@pytest.mark.parametrize(
    "template",
    ["../{name}.mcpb", "{name}/{version}.mcpb", "{owner}.mcpb", "{name!r}", ".{name}", "{"],
)
def test_bad_templates_are_usage_errors(template: str) -> None:
    with pytest.raises(UsageError):
        bundle_filename("x", "1", template)
