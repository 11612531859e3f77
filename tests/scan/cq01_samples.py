"""Fake but realistic secrets for the CQ-01 tests, assembled at run time.

Each value is built from pieces (prefix + seeded random body) so this
repository holds no literal that a secret scanner (ours, GitHub push
protection, gitleaks) would flag. None of them is, or was, a live credential.
"""

from __future__ import annotations

import random
import string

_ALNUM = string.ascii_letters + string.digits
_UPPER_NUM = string.ascii_uppercase + string.digits
_HEX = "0123456789abcdef"


def _body(seed: str, n: int, alphabet: str = _ALNUM) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(n))


def _pem(kind: str) -> tuple[str, str]:
    dashes = "-" * 5
    body = "MII" + _body("pem" + kind, 61, _ALNUM + "+/")
    head = f"{dashes}BEGIN {kind}PRIVATE KEY{dashes}"
    tail = f"{dashes}END {kind}PRIVATE KEY{dashes}"
    return "\n".join([head, body, _body("pem2" + kind, 64, _ALNUM + "+/"), tail]), body


def high_confidence() -> dict[str, tuple[str, str]]:
    """slug -> (text to embed in a file, the secret value that must never be shown)."""
    samples: dict[str, tuple[str, str]] = {}

    def add(slug: str, value: str, text: str | None = None) -> None:
        samples[slug] = (text if text is not None else f'KEY_{len(samples)} = "{value}"\n', value)

    add("aws-access-key", "AK" + "IA" + _body("aws", 16, _UPPER_NUM))
    add("stripe-live-key", "sk" + "_live_" + _body("stripe", 24))
    add("github-token", "gh" + "p_" + _body("gh", 36))
    add("github-fine-grained-token", "github" + "_pat_" + _body("ghf", 82, _ALNUM + "_"))
    add("slack-token", "xo" + "xb-" + "1234567890-" + _body("slack", 24))
    add("google-api-key", "AI" + "za" + _body("gapi", 35))
    add("google-oauth-token", "ya" + "29." + _body("goauth", 60))
    add("anthropic-api-key", "sk-" + "ant-api03-" + _body("anthropic", 93))
    add("openai-api-key", "sk-" + "proj-" + _body("openai", 64))
    add("huggingface-token", "h" + "f_" + _body("hf", 34, string.ascii_letters))
    add("gitlab-token", "gl" + "pat-" + _body("gitlab", 20))
    add("npm-token", "np" + "m_" + _body("npm", 36))
    add("pypi-token", "pyp" + "i-AgEIcHlwaS5vcmc" + _body("pypi", 80))
    add("sendgrid-api-key", "S" + "G." + _body("sg1", 22) + "." + _body("sg2", 43))
    azure = _body("azure", 86, _ALNUM + "+/") + "=="
    samples["azure-storage-key"] = (
        f'CONN = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={azure};"\n',
        azure,
    )
    pem, body = _pem("RSA ")
    samples["private-key"] = (f'PEM = """{pem}"""\n', body)
    password = _body("mongo", 18)
    samples["connection-string"] = (
        f'MONGO = "mongodb+srv://app:{password}@cluster0.acme-prod.mongodb.net/db"\n',
        password,
    )
    pg = _body("pg", 16)
    samples["connection-string-postgres"] = (
        f'DSN = "postgres://svc:{pg}@db.internal.acme.io:5432/app"\n',
        pg,
    )
    return samples


def github_token(seed: str) -> str:
    return "gh" + "p_" + _body(seed, 36)


def random_token(seed: str, n: int = 32) -> str:
    return _body(seed, n, _ALNUM + "+/")


def hex_digest(seed: str, n: int = 64) -> str:
    return _body(seed, n, _HEX)
