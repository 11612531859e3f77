"""Secret patterns of our own, for what detect-secrets 1.5 does not cover (MTF CQ-01).

detect-secrets finds AWS, GitHub classic, GitLab, Slack, Stripe live, npm
(in ``.npmrc``), PyPI, SendGrid, Discord, Telegram, Twilio, JWT and friends.
It misses the spec's ``sk-live-`` and ``ya29.`` / ``AIza`` forms, fine-grained
GitHub tokens, connection strings with credentials (it only has a generic
``://user:pass@``), the AI-provider keys MCP servers typically hold
(Anthropic, OpenAI project keys, Hugging Face, Groq, ...), and its private-key
check matches the bare ``BEGIN ... PRIVATE KEY`` header, which every PEM
library ships as a constant. These rules fill the gaps.

Every rule captures the secret in group ``secret``. ``vendor_safe`` rules are
prefix-anchored and specific enough to run on vendored third-party code
without drowning the report in look-alikes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Confidence(StrEnum):
    HIGH = "high"  # CQ-01 "High-confidence pattern": BLOCK
    LOW = "low"  # CQ-01 "Potential secret (low confidence)": WARN


@dataclass(frozen=True)
class SecretRule:
    """One pattern: a stable slug, what it finds, and how sure a match is."""

    slug: str
    label: str
    regex: re.Pattern[str]
    # Literals every match contains (checked by hand, tested on sample matches):
    # a file containing none of them cannot match, so the regex is not run on it.
    anchors: tuple[str, ...]
    confidence: Confidence = Confidence.HIGH
    vendor_safe: bool = True


def _rule(
    slug: str,
    label: str,
    pattern: str,
    anchors: tuple[str, ...],
    *,
    confidence: Confidence = Confidence.HIGH,
    vendor_safe: bool = True,
    flags: int = 0,
) -> SecretRule:
    return SecretRule(slug, label, re.compile(pattern, flags), anchors, confidence, vendor_safe)


# Token start ("no identifier character before it") is checked by the caller: a
# look-behind in front of the literal prefix would stop ``re`` from searching for
# that prefix quickly, which costs 30x on a vendored tree.
_E = r"(?![A-Za-z0-9_])"  # token end


RULES: tuple[SecretRule, ...] = (
    _rule(
        "private-key",
        "private key",
        # The header alone is a constant in every PEM library: require key material after it.
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
        r"(?:\\[nr]|[\s\"'+,]|Proc-Type:[^\n]*|DEK-Info:[^\n]*)*"
        r"(?P<secret>[A-Za-z0-9+/]{40,})",
        ("PRIVATE KEY",),
    ),
    # One rule per literal prefix: a leading character class would slow the search.
    _rule("stripe-live-key", "Stripe live secret key", r"(?P<secret>sk[_-]live[_-][0-9A-Za-z]{20,})", ("sk_live_", "sk_live-", "sk-live_", "sk-live-")),
    _rule("stripe-live-key", "Stripe live restricted key", r"(?P<secret>rk[_-]live[_-][0-9A-Za-z]{20,})", ("rk_live_", "rk_live-", "rk-live_", "rk-live-")),
    _rule("stripe-test-key", "Stripe test-mode key", r"(?P<secret>sk_test_[0-9A-Za-z]{20,})", ("sk_test_",), confidence=Confidence.LOW),
    _rule("github-token", "GitHub token", rf"(?P<secret>gh[pousr]_[A-Za-z0-9]{{36,251}}){_E}", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    _rule("github-fine-grained-token", "GitHub fine-grained token", rf"(?P<secret>github_pat_[A-Za-z0-9_]{{50,255}}){_E}", ("github_pat_",)),
    _rule("slack-token", "Slack token", r"(?P<secret>xox[abeoprs]-[0-9A-Za-z][0-9A-Za-z-]{9,250})", ("xoxa-", "xoxb-", "xoxe-", "xoxo-", "xoxp-", "xoxr-", "xoxs-")),
    _rule("slack-app-token", "Slack app token", r"(?P<secret>xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]{20,})", ("xapp-",)),
    _rule("google-api-key", "Google API key", rf"(?P<secret>AIza[0-9A-Za-z_-]{{35}}){_E}", ("AIza",)),
    _rule("google-oauth-token", "Google OAuth access token", r"(?P<secret>ya29\.[0-9A-Za-z_-]{20,})", ("ya29.",)),
    _rule("google-oauth-client-secret", "Google OAuth client secret", rf"(?P<secret>GOCSPX-[0-9A-Za-z_-]{{28}}){_E}", ("GOCSPX-",)),
    _rule("anthropic-api-key", "Anthropic API key", r"(?P<secret>sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,})", ("sk-ant-",)),
    _rule("openai-api-key", "OpenAI API key", r"(?P<secret>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,})", ("sk-proj-", "sk-svcacct-", "sk-admin-")),
    _rule("openai-legacy-key", "OpenAI API key", rf"(?P<secret>sk-[A-Za-z0-9]{{48}}){_E}", ("sk-",)),
    _rule("huggingface-token", "Hugging Face token", rf"(?P<secret>hf_[A-Za-z]{{34}}){_E}", ("hf_",)),
    _rule("groq-api-key", "Groq API key", rf"(?P<secret>gsk_[A-Za-z0-9]{{52}}){_E}", ("gsk_",)),
    _rule("xai-api-key", "xAI API key", rf"(?P<secret>xai-[A-Za-z0-9]{{80}}){_E}", ("xai-",)),
    _rule("perplexity-api-key", "Perplexity API key", rf"(?P<secret>pplx-[A-Za-z0-9]{{48}}){_E}", ("pplx-",)),
    _rule("replicate-token", "Replicate API token", rf"(?P<secret>r8_[A-Za-z0-9]{{37}}){_E}", ("r8_",)),
    _rule("tavily-api-key", "Tavily API key", rf"(?P<secret>tvly-(?:dev-)?[A-Za-z0-9]{{32}}){_E}", ("tvly-",)),
    _rule("npm-token", "npm access token", rf"(?P<secret>npm_[A-Za-z0-9]{{36}}){_E}", ("npm_",)),
    _rule("pypi-token", "PyPI API token", r"(?P<secret>pypi-AgE[A-Za-z0-9_-]{60,})", ("pypi-AgE",)),
    _rule("gitlab-token", "GitLab token", rf"(?P<secret>gl(?:pat|dt|rt|ptt|soat)-[A-Za-z0-9_-]{{20,}}){_E}", ("glpat-", "gldt-", "glrt-", "glptt-", "glsoat-")),
    _rule("digitalocean-token", "DigitalOcean token", rf"(?P<secret>do[por]_v1_[a-f0-9]{{64}}){_E}", ("dop_v1_", "doo_v1_", "dor_v1_")),
    _rule("shopify-token", "Shopify access token", rf"(?P<secret>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{{32}}){_E}", ("shpat_", "shpca_", "shppa_", "shpss_")),
    _rule("databricks-token", "Databricks token", rf"(?P<secret>dapi[a-f0-9]{{32}}(?:-\d)?){_E}", ("dapi",)),
    _rule("linear-api-key", "Linear API key", rf"(?P<secret>lin_api_[A-Za-z0-9]{{40}}){_E}", ("lin_api_",)),
    _rule("notion-token", "Notion integration token", rf"(?P<secret>secret_[A-Za-z0-9]{{43}}){_E}", ("secret_",)),
    _rule("notion-token", "Notion integration token", rf"(?P<secret>ntn_\d{{11}}[A-Za-z0-9]{{35}}){_E}", ("ntn_",)),
    _rule("postman-api-key", "Postman API key", rf"(?P<secret>PMAK-[a-f0-9]{{24}}-[a-f0-9]{{34}}){_E}", ("PMAK-",)),
    _rule("sendgrid-api-key", "SendGrid API key", rf"(?P<secret>SG\.[A-Za-z0-9_-]{{22}}\.[A-Za-z0-9_-]{{43}}){_E}", ("SG.",)),
    _rule("azure-storage-key", "Azure storage account key", r"AccountKey=(?P<secret>[A-Za-z0-9+/]{86}==)", ("AccountKey=",)),
    _rule("twilio-api-key", "Twilio API key", rf"(?P<secret>SK[0-9a-f]{{32}}){_E}", ("SK",), vendor_safe=False),
    _rule(
        "discord-webhook",
        "Discord webhook URL",
        r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/(?P<secret>[A-Za-z0-9_-]{60,})",
        ("/api/webhooks/",),
    ),
)  # fmt: skip

# Assignment context for the entropy rule: NAME = "value", "name": "value", name: 'value'.
ASSIGNMENT = re.compile(
    r"(?P<name>[A-Za-z_$][A-Za-z0-9_.$-]{0,80})[\"'`]?\]?\s*(?::=|=>|=|:)\s*"
    r"(?:[bBrRuUfF]{0,2})(?P<q>[\"'`])(?P<secret>[A-Za-z0-9+/=_.~-]{21,})(?P=q)"
)
# KEY=value lines of .env files (quotes optional).
ENV_ASSIGNMENT = re.compile(
    r"^\s*(?:export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_.-]{0,80})\s*=\s*(?P<q>[\"']?)"
    r"(?P<secret>[A-Za-z0-9+/=_.~-]{21,})(?P=q)\s*$"
)
# Names whose high-entropy values are hashes or identifiers, not credentials.
NOT_SECRET_NAME = re.compile(
    r"(?i)(hash|sha\d*|md5|digest|integrity|checksum|shasum|etag|uuid|guid|commit|revision"
    r"|version|(^|[_.-])id$|_ids?$|^id|nonce|sri|fingerprint|salt|signature|schema|regex|pattern"
    r"|charset|alphabet|chars|icon|image|logo|font|data|mime|url|href|path|file|name|locale)"
)
SECRET_NAME = re.compile(r"(?i)(key|token|secret|passw|pwd|auth|credential|cred|bearer|session)")

# user:password@ in a URL; the scheme before "://" is looked up separately (a
# pattern starting with the literal "://" is fast to search for).
URL_USERINFO = re.compile(r"://(?P<user>[^\s:@/'\"`<>]*):(?P<secret>[^\s@/'\"`]+)@[^\s'\"`<>]+")
SCHEME_BEFORE = re.compile(r"[A-Za-z][A-Za-z0-9+.]{1,20}\Z")
# Database / broker schemes whose URL userinfo is a real credential (CQ-01 "Connection strings").
DB_SCHEMES = frozenset(
    {"mongodb", "mongodb+srv", "postgres", "postgresql", "mysql", "mariadb", "redis", "rediss",
     "amqp", "amqps", "mssql", "sqlserver"}
)  # fmt: skip
