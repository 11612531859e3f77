"""MTF CQ-01 Secret Detection: patterns, severities, placeholders, scope, isolation."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cq01_samples import github_token, hex_digest, high_confidence, random_token
from detect_secrets.settings import get_settings
from helpers import BASE_MANIFEST, make_ctx

from mtf_action.scan.controls import cq01_secrets
from mtf_action.scan.controls.cq01_secrets import SecretDetection
from mtf_action.scan.result import ControlOutcome, Finding, Severity, Status
from mtf_action.scan.secrets.detector import find_secrets
from mtf_action.scan.secrets.redact import fingerprint, redact

SAMPLES = high_confidence()


def _scan(tmp_path: Path, files: dict[str, str | bytes]) -> ControlOutcome:
    return SecretDetection().evaluate(make_ctx(tmp_path, files, BASE_MANIFEST))


def _rules(outcome: ControlOutcome) -> set[str]:
    return {f.rule for f in outcome.findings}


def _assert_redacted(finding: Finding, secret: str) -> None:
    for text in (finding.title, finding.description, finding.remediation or ""):
        assert secret not in text
        assert secret[4:16] not in text  # not even a middle slice
    assert fingerprint(secret) in finding.description


@pytest.mark.parametrize("slug", sorted(SAMPLES))
def test_cq01_high_confidence_pattern_blocks(tmp_path: Path, slug: str) -> None:
    text, secret = SAMPLES[slug]
    outcome = _scan(tmp_path, {"server/config.py": text})
    blocking = [f for f in outcome.findings if f.blocks_at == 1]
    assert len(blocking) == 1, outcome.findings
    finding = blocking[0]
    assert finding.rule == slug.removesuffix("-postgres")
    assert finding.severity is Severity.CRITICAL
    assert (finding.file, finding.line) == ("server/config.py", 2 if slug == "private-key" else 1)
    _assert_redacted(finding, secret)
    assert outcome.status_at(1) is Status.FAIL


def test_cq01_spec_minimum_table(tmp_path: Path) -> None:
    """Every row of the spec's "Detection MUST cover" table, in one file."""
    rows = ["aws-access-key", "stripe-live-key", "github-token", "private-key", "slack-token",
            "google-oauth-token", "connection-string", "connection-string-postgres"]  # fmt: skip
    body = "".join(SAMPLES[r][0] for r in rows)
    body += 'SESSION_SECRET = "' + random_token("entropy") + '"\n'
    # the spec writes Stripe's live key with dashes too
    body += (
        'STRIPE = "'
        + "sk"
        + "-live-"
        + random_token("dash", 24).replace("+", "a").replace("/", "b")
        + '"\n'
    )
    outcome = _scan(tmp_path, {"server/settings.py": body})
    rules = [f.rule for f in outcome.findings]
    assert rules.count("connection-string") == 2
    assert rules.count("stripe-live-key") == 2
    assert {"aws-access-key", "github-token", "private-key", "slack-token",
            "google-oauth-token", "high-entropy-string"} <= set(rules)  # fmt: skip


def test_cq01_clean_server_passes(tmp_path: Path) -> None:
    code = 'import os\nAPI_KEY = os.environ["ACME_API_KEY"]\nprint("hello")\n'
    outcome = _scan(tmp_path, {"server/main.py": code})
    assert outcome.findings == []
    assert outcome.status_at(4) is Status.PASS
    assert outcome.details["server_files_scanned"] == 2  # main.py + manifest.json


def test_cq01_high_entropy_assignment_warns(tmp_path: Path) -> None:
    token = random_token("warn")
    code = f'API_TOKEN = "{token}"\nconfig = {{"client_secret": "{random_token("cfg")}"}}\n'
    outcome = _scan(tmp_path, {"server/main.py": code})
    assert [f.rule for f in outcome.findings] == ["high-entropy-string"] * 2
    assert all(f.blocks_at is None and f.severity is Severity.MEDIUM for f in outcome.findings)
    assert outcome.status_at(4) is Status.WARN
    _assert_redacted(outcome.findings[0], token)


def test_cq01_entropy_ignores_digests_and_ids(tmp_path: Path) -> None:
    code = (
        f'SHA256 = "{hex_digest("a")}"\n'
        f'content = "{hex_digest("b")}"\n'
        f'user_id = "{random_token("id")}"\n'
        'MODEL = "claude-sonnet-4-5-20250929"\n'
        f'"integrity": "sha512-{random_token("sri", 86)}=="\n'
    )
    assert _scan(tmp_path, {"server/main.py": code}).findings == []


def test_cq01_keyword_assignment_warns(tmp_path: Path) -> None:
    code = 'db_password = "Tr0ub4dor&3x"\nmode = "client_secret_basic"\n'
    outcome = _scan(tmp_path, {"server/db.py": code})
    assert [(f.rule, f.blocks_at) for f in outcome.findings] == [("secret-keyword", None)]


@pytest.mark.parametrize(
    "text",
    [
        'AWS_KEY = "AKIA' + 'IOSFODNN7EXAMPLE"',  # the AWS documentation key
        'STRIPE = "sk_' + "live_" + "x" * 24 + '"',
        'GH = "gh' + "p_" + "0" * 36 + '"',
        'DSN = "postgres://user:<password>@db.example.com/app"',
        'DSN = "mongodb+srv://admin:${MONGO_PASSWORD}@cluster0.mongodb.net"',
        'DSN = "postgres://user:password@db.acme.io/app"',
    ],
)
def test_cq01_placeholders_are_info(tmp_path: Path, text: str) -> None:
    outcome = _scan(tmp_path, {"server/README.md": text + "\n"})
    assert outcome.findings, "the placeholder must still be visible"
    assert all(
        f.severity is Severity.INFO and f.rule.startswith("placeholder-") for f in outcome.findings
    )
    assert outcome.status_at(4) is Status.PASS


def test_cq01_local_dev_connection_string_warns(tmp_path: Path) -> None:
    text = (
        f'DSN = "postgres://app:{random_token("local", 14).replace("/", "x")}@localhost:5432/dev"\n'
    )
    outcome = _scan(tmp_path, {"server/dev.py": text})
    assert [(f.rule, f.blocks_at) for f in outcome.findings] == [("connection-string", None)]


def test_cq01_pem_header_without_key_material_is_not_a_secret(tmp_path: Path) -> None:
    """PEM libraries carry the header as a constant (jose, cryptography, node-forge)."""
    code = 'const HEADER = "-----BEGIN ' + 'PRIVATE KEY-----";\nconst p = `${HEADER}\\n${b64}`;\n'
    assert _scan(tmp_path, {"server/pem.js": code}).findings == []


def test_cq01_manifest_env_secret_blocks(tmp_path: Path) -> None:
    _, secret = SAMPLES["anthropic-api-key"]
    manifest = {**BASE_MANIFEST, "server": {**BASE_MANIFEST["server"]}}
    manifest["server"]["mcp_config"] = {"command": "python", "args": [], "env": {"KEY": secret}}
    outcome = SecretDetection().evaluate(make_ctx(tmp_path, {"server.py": "pass\n"}, manifest))
    assert [(f.rule, f.file) for f in outcome.findings] == [("anthropic-api-key", "manifest.json")]


def test_cq01_vendored_scope(tmp_path: Path) -> None:
    """Vendored code: high-confidence prefixed patterns block; heuristics stay quiet."""
    text, secret = SAMPLES["github-token"]
    files: dict[str, str | bytes] = {
        "node_modules/leaky/index.js": text,
        "node_modules/docs/README.md": 'password = "hunter2hunter2"\nKEY = "'
        + random_token("v")
        + '"\n',
        "deps/pkg/tests/test_keys.py": 'TWILIO = "SK' + hex_digest("tw", 32) + '"\n',
        "node_modules/docs/example.md": 'AWS = "AKIA' + 'IOSFODNN7EXAMPLE"\n',
    }
    outcome = _scan(tmp_path, files)
    assert [(f.rule, f.file, f.severity, f.blocks_at) for f in outcome.findings] == [
        ("github-token", "node_modules/leaky/index.js", Severity.HIGH, 1)
    ]
    assert outcome.details["vendored_placeholders_ignored"] == 1
    _assert_redacted(outcome.findings[0], secret)


def test_cq01_server_only_shapes(tmp_path: Path) -> None:
    """Unprefixed shapes (Twilio SK + 32 hex) are checked in the server's own code."""
    outcome = _scan(tmp_path, {"server/sms.py": 'TWILIO = "SK' + hex_digest("tw", 32) + '"\n'})
    assert _rules(outcome) == {"twilio-api-key"}


@pytest.mark.parametrize("path", ["uv.lock", "package-lock.json", "sbom.cdx.json", "hashes.json"])
def test_cq01_generated_files_prefixed_patterns_only(tmp_path: Path, path: str) -> None:
    """Lockfiles, the SBOM and hashes.json: digests are not Twilio/IBM shapes; tokens still are."""
    token_text, token = SAMPLES["github-token"]
    body = (
        'TWILIO = "SK' + hex_digest("tw", 32) + '"\n'
        + 'hash = "sha256:' + hex_digest("pkg", 64) + '"\n'
        + token_text
        + "url = https://ci:" + hex_digest("idx", 40) + "@pypi.acme-corp.net/simple\n"
    )  # fmt: skip
    outcome = _scan(tmp_path, {"server/main.py": "pass\n", path: body})
    assert sorted(f.rule for f in outcome.findings) == ["github-token", "url-credentials"]
    _assert_redacted(next(f for f in outcome.findings if f.rule == "github-token"), token)
    # The same text in the server's own code also gets the unprefixed shapes.
    own = _scan(tmp_path / "own", {"server/main.py": body})
    assert "twilio-api-key" in _rules(own)


def test_cq01_binaries_are_not_read(tmp_path: Path) -> None:
    text, _ = SAMPLES["github-token"]
    ctx = make_ctx(
        tmp_path,
        {"server/logo.png": text.encode(), "server/blob.bin": b"\x00\x01" + text.encode()},
        BASE_MANIFEST,
    )
    outcome = SecretDetection().evaluate(ctx)
    assert outcome.findings == []
    assert "server/logo.png" not in ctx.reads  # skipped by type, never read
    assert outcome.details["skipped_binary"] == 1
    assert all(n == 1 for n in ctx.reads.values())


def test_cq01_latin1_server_file_is_scanned(tmp_path: Path) -> None:
    text, _ = SAMPLES["npm-token"]
    data = ("# caf\u00e9\n" + text).encode("latin-1")
    assert _rules(_scan(tmp_path, {"server/conf.ini": data})) == {"npm-token"}


def test_cq01_oversized_file_is_left_to_the_engine(tmp_path: Path) -> None:
    """Files over the text limit are not scanned; the context records them for the report."""
    ctx = make_ctx(tmp_path, {"server/big.js": "x" * 6000}, BASE_MANIFEST, max_text_size=5000)
    outcome = SecretDetection().evaluate(ctx)
    assert outcome.findings == []
    assert outcome.details["skipped_oversized"] == 1
    assert ("server/big.js", 6000) in ctx.text_refused
    assert "server/big.js" not in ctx.reads


def test_cq01_findings_per_file_are_capped(tmp_path: Path) -> None:
    lines = "".join(f'T{i} = "{github_token(str(i))}"\n' for i in range(40))
    outcome = _scan(tmp_path, {"server/many.py": lines})
    assert len(outcome.findings) == cq01_secrets.MAX_FINDINGS_PER_FILE
    assert outcome.details["findings_over_per_file_cap"] == 40 - cq01_secrets.MAX_FINDINGS_PER_FILE


def test_cq01_redact_shows_prefix_and_fingerprint_only() -> None:
    value = "AKIA" + "Z" * 4 + "Q7" * 6
    shown = redact(value)
    assert shown.startswith("AKIA… (sha256:") and value not in shown
    assert redact("hunter2") == f"[redacted] ({fingerprint('hunter2')})"


def test_cq01_detector_leaves_global_settings_alone_and_is_thread_safe() -> None:
    before = get_settings().json()
    texts = [(f"f{i}.py", SAMPLES[s][0] * 3) for i, s in enumerate(sorted(SAMPLES))] * 8
    expected = [find_secrets(p, t, vendored=False, heuristics=True) for p, t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(
            pool.map(lambda pt: find_secrets(pt[0], pt[1], vendored=False, heuristics=True), texts)
        )
    assert got == expected
    assert get_settings().json() == before


def test_cq01_dotenv_file_unquoted_values(tmp_path: Path) -> None:
    env = f"export SESSION_KEY={random_token('dotenv', 40)}\nDB_PASSWORD=Tr0ub4dor3x\nDEBUG=true\n"
    outcome = _scan(tmp_path, {".env.production": env})
    assert [(f.rule, f.line, f.blocks_at) for f in outcome.findings] == [
        ("high-entropy-string", 1, None),
        ("secret-keyword", 2, None),
    ]
