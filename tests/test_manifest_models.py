"""The typed manifest view: lenient reading, the MTF extension, aliases."""

from __future__ import annotations

import pytest

from manifest_samples import check, extension, l1_manifest, l2_manifest
from mtf_action.errors import ManifestError
from mtf_action.models.manifest import Manifest


def test_manifest_typed_fields() -> None:
    raw = l2_manifest()
    raw["server"]["mcp_config"]["env"] = {"API_KEY": "${user_config.api_key}"}
    raw["tools_generated"] = False
    raw["keywords"] = ["weather"]  # an MCPB field without a typed attribute
    manifest = Manifest.from_raw(raw)
    assert manifest.name == "@acme/weather"
    assert manifest.server is not None and manifest.server.mcp_config is not None
    assert manifest.server.mcp_config.args == ["-m", "weather.server"]
    assert manifest.server.mcp_config.env == {"API_KEY": "${user_config.api_key}"}
    assert manifest.tools is not None and manifest.tools[0].name == "get_weather"
    assert manifest.declared_version == "0.4"
    assert manifest.model_extra == {"keywords": ["weather"]}
    assert manifest.mtf is not None
    assert manifest.mtf.permissions is not None and manifest.mtf.permissions.network == "outbound"
    dumped = manifest.model_dump(exclude_none=True)
    assert "_meta" in dumped and "meta" not in dumped


def test_manifest_is_lenient_about_missing_fields_and_enum_values() -> None:
    raw = l2_manifest()
    del raw["server"], raw["tools"]
    extension(raw)["permissions"]["filesystem"] = "read-write"
    manifest = Manifest.from_raw(raw)
    assert manifest.server is None and manifest.tools is None
    assert manifest.mtf is not None and manifest.mtf.permissions is not None
    assert manifest.mtf.permissions.filesystem == "read-write"


def test_manifest_without_extension() -> None:
    manifest = Manifest.from_raw(l1_manifest())
    assert manifest.mtf is None and manifest.meta == {}


def test_legacy_dxt_version_is_the_declared_version() -> None:
    raw = l1_manifest()
    del raw["manifest_version"]
    raw["dxt_version"] = "0.1"
    assert Manifest.from_raw(raw).declared_version == "0.1"


def test_signature_bundle_spelling_from_the_spec_example() -> None:
    raw = l2_manifest()
    extension(raw)["signature"] = {"type": "sigstore", "bundle": ".sigstore/manifest.sig.json"}
    mtf = Manifest.from_raw(raw).mtf
    assert mtf is not None and mtf.signature is not None
    assert mtf.signature.effective_bundle_path == ".sigstore/manifest.sig.json"


def test_wrong_json_type_raises_one_line_error_and_report_has_no_manifest() -> None:
    raw = l1_manifest()
    raw["version"] = 1
    with pytest.raises(ManifestError) as info:
        Manifest.from_raw(raw, "x/manifest.json")
    assert info.value.one_line().startswith("x/manifest.json: cannot read manifest field /version")
    report = check(raw)
    assert report.manifest is None
    assert not report.mcpb_valid


def test_extension_of_wrong_shape_reads_as_none() -> None:
    raw = l2_manifest()
    extension(raw)["credentials"] = "none"
    assert Manifest.from_raw(raw).mtf is None
