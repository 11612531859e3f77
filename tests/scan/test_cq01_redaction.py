"""MTF CQ-01: no secret value appears in any report format (json, sarif, markdown, text)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cq01_samples import github_token, high_confidence, random_token
from helpers import BASE_MANIFEST, bundle_ctx, make_ctx

from mtf_action._cli import main
from mtf_action.scan import controls
from mtf_action.scan.context import ScanContext
from mtf_action.scan.controls import all_controls
from mtf_action.scan.controls.cq01_secrets import SecretDetection
from mtf_action.scan.engine import run_scan
from mtf_action.scan.formats import FORMATS, render
from mtf_action.scan.report import build_report
from mtf_action.scan.secrets.redact import fingerprint


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _jwt() -> str:
    head = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64url(json.dumps({"sub": "svc-acme", "role": "service"}).encode())
    return f"{head}.{body}.{random_token('jwtsig', 43).replace('+', '-').replace('/', '_')}"


def _fixture() -> tuple[dict[str, str | bytes], dict[str, object], list[str]]:
    """Files full of fake secrets, a manifest leaking one, and every value to look for."""
    samples = high_confidence()
    secrets = [value for _, value in samples.values()]
    code = "".join(text for text, _ in samples.values())
    low = {
        "jwt": _jwt(),
        "url": random_token("urlpw", 14).replace("/", "Q").replace("+", "Z"),
        "keyword": "Xy9!" + random_token("kw", 10).replace("/", "q"),
        "entropy": random_token("entropy", 40),
        "test": "sk" + "_test_" + random_token("stest", 24).replace("/", "a").replace("+", "b"),
    }
    code += (
        f'SESSION = "{low["jwt"]}"\n'
        f'MIRROR = "https://deploy:{low["url"]}@mirror.acme.io/simple"\n'
        f'db_password = "{low["keyword"]}"\n'
        f'WEBHOOK_SIGNING = "{low["entropy"]}"\n'
        f'STRIPE_TEST = "{low["test"]}"\n'
    )
    secrets += low.values()
    vendored = github_token("vendored")
    env_key = github_token("manifest-env")
    secrets += [vendored, env_key]
    manifest = json.loads(json.dumps(BASE_MANIFEST))
    manifest["server"]["mcp_config"]["env"] = {"GITHUB_TOKEN": env_key}
    files: dict[str, str | bytes] = {
        "server.py": "print('ok')\n",
        "server/settings.py": code,
        "server/settings.json": json.dumps(
            {"apiToken": low["entropy"], "db": samples["connection-string"][1]}
        ),
        "node_modules/leaky/index.js": f'module.exports = "{vendored}";\n',
    }
    return files, manifest, secrets


def _outputs(ctx: ScanContext, target: Path) -> dict[str, str]:
    result = run_scan(ctx, [SecretDetection()])
    report = build_report(
        result,
        name="@acme/demo",
        version="1.0.0",
        bundle_sha256=ctx.bundle_sha256 or "0" * 64,
        target=str(target),
        target_kind=ctx.kind,
        sbom=None,
    )
    out = {fmt: render(report, fmt) for fmt in FORMATS}
    out["text-color"] = render(report, "text", color=True)
    return out


def _assert_clean(outputs: dict[str, str], secrets: list[str]) -> None:
    for fmt, text in outputs.items():
        for secret in secrets:
            assert secret not in text, f"{fmt} output leaks a secret"
            # Not even a recognisable 12-character run of it (SARIF/JSON escaping aside).
            for i in range(0, len(secret) - 12, 6):
                assert secret[i : i + 12] not in text, f"{fmt} output leaks part of a secret"


@pytest.mark.parametrize("kind", ["directory", "bundle"])
def test_cq01_no_secret_in_any_report_format(tmp_path: Path, kind: str) -> None:
    files, manifest, secrets = _fixture()
    if kind == "directory":
        ctx = make_ctx(tmp_path / "tree", files, manifest)
    else:
        ctx = bundle_ctx(tmp_path, files, manifest)
    with ctx:
        outputs = _outputs(ctx, tmp_path)
    _assert_clean(outputs, secrets)
    report = json.loads(outputs["json"])
    cq01 = report["domains"]["code_quality"]["controls"]["CQ-01"]
    assert cq01["status"] == "fail"
    findings = cq01["findings"]
    # The findings are there (and identifiable by fingerprint), only the values are not.
    assert len(findings) >= len(secrets) - 1
    assert any(fingerprint(secrets[0]) in f["description"] for f in findings)
    sarif = json.loads(outputs["sarif"])
    assert any(r["ruleId"].startswith("CQ-01") for r in sarif["runs"][0]["results"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_cq01_cli_scan_redacts_every_format(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end through ``mtf-attest scan`` with every registered control."""
    registered = all_controls()
    if not any(isinstance(c, SecretDetection) for c in registered):
        registered = (*registered, SecretDetection())
    monkeypatch.setattr(controls, "all_controls", lambda: registered)
    files, manifest, secrets = _fixture()
    make_ctx(tmp_path / "tree", files, manifest)
    out = tmp_path / f"report.{fmt}"
    code = main(["scan", str(tmp_path / "tree"), "--format", fmt, "--output", str(out)])
    assert code == 1  # the high-confidence secrets block
    _assert_clean({fmt: out.read_text(encoding="utf-8")}, secrets)
