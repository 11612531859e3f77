"""Keyless signer robustness without a full Sigstore stack: retries, refusals, timeouts, secrecy.

A tiny HTTP service on 127.0.0.1 plays a misbehaving Fulcio (503s, 401s, hangs); the
signing path is sigstore-python's real client. The end-to-end keyless tests against a
faithful local Fulcio/Rekor live in ``test_signing_keyless_e2e.py``.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

import jwt
import pytest
from sigstore.models import ClientTrustConfig

from mtf_action.console import Reporter
from mtf_action.errors import EnvironmentProblem, InvalidInputError, RemoteServiceError, UsageError
from mtf_action.signing import oidc
from mtf_action.signing.retry import REDACTED, RetryPolicy, scrub
from mtf_action.signing.sigstore_signer import SigstoreSigner, resolve_identity_token
from mtf_action.signing.trust import SigningTrust, signing_trust_config


class FakeFulcio:
    """Answers every POST with the next scripted (status, delay) and counts requests."""

    def __init__(self, script: Callable[[int, str], tuple[int, float]]) -> None:
        self.hits = 0
        self.seen_authorization: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                fake.hits += 1
                auth = self.headers.get("Authorization", "")
                fake.seen_authorization.append(auth)
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, delay = script(fake.hits, auth)
                time.sleep(delay)
                # A careless server echoing the credential back: it must not reach our errors.
                body = json.dumps({"code": status, "message": f"rejected {auth}"}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client timed out and went away

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _trust_config(production_root: Path, fulcio_url: str) -> ClientTrustConfig:
    service = {
        "majorApiVersion": 1,
        "validFor": {"start": "2020-01-01T00:00:00Z"},
        "operator": "test",
    }
    return ClientTrustConfig.from_json(
        json.dumps(
            {
                "mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
                "trustedRoot": json.loads(production_root.read_text()),
                "signingConfig": {
                    "mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json",
                    "caUrls": [{"url": fulcio_url, **service}],
                    "oidcUrls": [],
                    "rekorTlogUrls": [{"url": fulcio_url, **service}],
                    "tsaUrls": [],
                    "rekorTlogConfig": {"selector": "ANY"},
                    "tsaConfig": {"selector": "ANY"},
                },
            }
        )
    )


def _token(**claims: object) -> str:
    now = int(datetime.now(UTC).timestamp())
    body = {
        "iss": "https://oidc.example.test",
        "sub": "repo:octo-org/octo:ref:refs/heads/main",
        "aud": "sigstore",
    }
    body.update(iat=now, exp=now + 600)
    body.update(claims)
    return jwt.encode(body, "test-only-hmac-secret-0123456789abcdef", algorithm="HS256")


@pytest.fixture
def token() -> str:
    return _token()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def _signer(
    config: ClientTrustConfig, token: str, sleeps: list[float], **kwargs: object
) -> SigstoreSigner:
    retry = RetryPolicy(attempts=int(kwargs.pop("attempts", 4)), sleep=sleeps.append)  # type: ignore[call-overload]
    return SigstoreSigner(token, config, retry=retry, **kwargs)  # type: ignore[arg-type]


def _assert_secret(text: str, token: str) -> None:
    assert token not in text
    for segment in token.split("."):
        assert segment not in text


@pytest.fixture
def captured_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    yield caplog


def test_transient_fulcio_failures_are_retried_with_backoff_then_reported(
    production_root: Path, token: str, sleeps: list[float], captured_logs: pytest.LogCaptureFixture
) -> None:
    with FakeFulcio(lambda n, _: (503, 0.0)) as fulcio:
        signer = _signer(_trust_config(production_root, fulcio.url), token, sleeps)
        with pytest.raises(RemoteServiceError) as caught:
            signer.sign_blob(b"payload")
    assert fulcio.hits == 4
    assert sleeps == [1.0, 2.0, 4.0]
    message = caught.value.one_line()
    assert message.startswith("Fulcio still failing after 4 attempts")
    assert "503" in message
    _assert_secret(message, token)
    _assert_secret(captured_logs.text, token)
    assert fulcio.seen_authorization == [f"Bearer {token}"] * 4  # the token did go to Fulcio


def test_refused_token_fails_at_once_without_retry(
    production_root: Path, token: str, sleeps: list[float], captured_logs: pytest.LogCaptureFixture
) -> None:
    with FakeFulcio(lambda n, _: (401, 0.0)) as fulcio:
        signer = _signer(_trust_config(production_root, fulcio.url), token, sleeps)
        with pytest.raises(RemoteServiceError) as caught:
            _ = signer.identity  # asks Fulcio for the certificate
    assert fulcio.hits == 1 and sleeps == []
    assert "Fulcio refused the OIDC identity token (HTTP 401)" in caught.value.one_line()
    _assert_secret(caught.value.one_line(), token)
    _assert_secret(captured_logs.text, token)


def test_a_hanging_fulcio_is_cut_by_the_client_timeout(
    production_root: Path, token: str, sleeps: list[float]
) -> None:
    with FakeFulcio(lambda n, _: (200, 5.0)) as fulcio:
        signer = _signer(
            _trust_config(production_root, fulcio.url), token, sleeps, attempts=2, http_timeout=0.3
        )
        started = time.monotonic()
        with pytest.raises(RemoteServiceError, match="Fulcio still failing after 2 attempts"):
            signer.sign_blob(b"payload")
        assert time.monotonic() - started < 4.0
    assert fulcio.hits == 2 and sleeps == [1.0]


def test_unreachable_fulcio_is_transient(
    production_root: Path, token: str, sleeps: list[float]
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    signer = _signer(
        _trust_config(production_root, f"http://127.0.0.1:{port}"), token, sleeps, attempts=3
    )
    with pytest.raises(RemoteServiceError, match="Fulcio still failing after 3 attempts"):
        signer.sign_blob(b"payload")
    assert sleeps == [1.0, 2.0]


def test_errors_and_log_records_raised_while_signing_are_scrubbed(
    production_root: Path, token: str, sleeps: list[float], captured_logs: pytest.LogCaptureFixture
) -> None:
    signer = _signer(_trust_config(production_root, "http://127.0.0.1:9"), token, sleeps)

    def leaky() -> None:
        logging.getLogger("sigstore.sign").warning("sending %s", token)
        raise RuntimeError(f"server said: invalid token {token}")

    with pytest.raises(RemoteServiceError) as caught:
        signer._call("Rekor", leaky)
    assert caught.value.one_line() == f"Rekor: server said: invalid token {REDACTED}"
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    _assert_secret(captured_logs.text, token)
    assert f"sending {REDACTED}" in captured_logs.text


def test_expired_or_malformed_tokens_are_refused_without_echo(
    production_root: Path, sleeps: list[float]
) -> None:
    config = _trust_config(production_root, "http://127.0.0.1:9")
    expired = _token(iat=1_600_000_000, exp=1_600_000_600)
    with pytest.raises(InvalidInputError) as caught:
        _signer(config, expired, sleeps)
    assert "identity token rejected" in caught.value.one_line()
    _assert_secret(caught.value.one_line(), expired)
    wrong_audience = _token(aud="not-sigstore")
    with pytest.raises(InvalidInputError):
        _signer(config, wrong_audience, sleeps)


def test_scrub_removes_the_token_and_each_jwt_segment(token: str) -> None:
    _header, claims, signature = token.split(".")
    text = f"a {token} b {claims} c {signature}"
    assert scrub(text, [token]) == f"a {REDACTED} b {REDACTED} c {REDACTED}"


def test_ambient_credential_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_identity_token(" explicit-token ") == "explicit-token"
    audiences: list[str] = []
    monkeypatch.setattr(oidc, "detect_credential", lambda aud: audiences.append(aud))
    with pytest.raises(UsageError, match="--identity-token"):
        resolve_identity_token(None)
    assert audiences == ["sigstore"]  # Fulcio's audience


def test_github_actions_without_id_token_permission(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", raising=False)
    monkeypatch.delenv("ACTIONS_ID_TOKEN_REQUEST_URL", raising=False)
    with pytest.raises(EnvironmentProblem, match="id-token: write"):
        resolve_identity_token(None)


def test_retries_are_reported_through_the_reporter(
    production_root: Path, token: str, sleeps: list[float]
) -> None:
    reporter = Reporter(quiet=True)
    with FakeFulcio(lambda n, _: (502, 0.0)) as fulcio:
        config = _trust_config(production_root, fulcio.url)
        signer = SigstoreSigner(
            token, config, retry=RetryPolicy(attempts=3, sleep=sleeps.append), reporter=reporter
        )
        with pytest.raises(RemoteServiceError):
            signer.sign_blob(b"payload")
    assert len(reporter.warnings) == 2
    assert reporter.warnings[0].startswith("Fulcio attempt 1/3 failed")
    assert all(token not in w for w in reporter.warnings)


def _config_file(tmp_path: Path, production_root: Path, rekor_major: int) -> Path:
    document = json.loads(_trust_config(production_root, "http://127.0.0.1:9")._inner.to_json())
    document["signingConfig"]["rekorTlogUrls"][0]["majorApiVersion"] = rekor_major
    path = tmp_path / f"trust-rekor{rekor_major}.json"
    path.write_text(json.dumps(document))
    return path


def test_signing_pins_rekor_v1_by_default(tmp_path: Path, production_root: Path) -> None:
    v2_only = _config_file(tmp_path, production_root, 2)
    with pytest.raises(InvalidInputError, match="No valid Rekor transparency log"):
        signing_trust_config(SigningTrust(trust_config=v2_only))
    assert (
        signing_trust_config(SigningTrust(trust_config=v2_only, rekor_version=2)).force_tlog_version
        == 2
    )
    v1 = signing_trust_config(SigningTrust(trust_config=_config_file(tmp_path, production_root, 1)))
    assert v1.force_tlog_version == 1
    assert [type(t).__name__ for t in v1.signing_config.get_tlogs()] == ["RekorClient"]
    with pytest.raises(UsageError, match="mutually exclusive"):
        signing_trust_config(SigningTrust(staging=True, trust_config=v2_only))
