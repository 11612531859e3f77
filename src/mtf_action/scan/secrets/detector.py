"""Finding secrets in text: detect-secrets' plugins plus our own rules (MTF CQ-01).

detect-secrets is used through its plugin objects only. Its scanning entry
points (``scan_file``, ``SecretsCollection``) read files themselves and
consult a process-wide settings singleton (``get_settings``, which also
decides whether to *verify* a secret over the network). Here the patterns of
each plugin run over text the scan context already holds, and a match is
handed back to the plugin's own ``analyze_string`` so its validation (JWT
structure, capture groups) still applies. Plugins are stateless compiled
regexes on this path, so one :class:`SecretScanner` is safe to share.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from detect_secrets.filters.heuristic import is_likely_id_string
from detect_secrets.plugins import (
    artifactory,
    aws,
    azure_storage_key,
    cloudant,
    discord,
    github_token,
    gitlab_token,
    ibm_cloud_iam,
    ibm_cos_hmac,
    jwt,
    mailchimp,
    npm,
    openai,
    pypi_token,
    sendgrid,
    slack,
    softlayer,
    square_oauth,
    stripe,
    telegram_token,
    twilio,
)
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.high_entropy_strings import (
    Base64HighEntropyString,
    HexHighEntropyString,
)
from detect_secrets.plugins.keyword import REGEX_BY_FILETYPE, KeywordDetector
from detect_secrets.util.filetype import FileType, determine_file_type

from mtf_action.scan.literals import LiteralIndex
from mtf_action.scan.secrets.hit import SecretHit
from mtf_action.scan.secrets.patterns import (
    ASSIGNMENT,
    DB_SCHEMES,
    ENV_ASSIGNMENT,
    NOT_SECRET_NAME,
    RULES,
    SCHEME_BEFORE,
    SECRET_NAME,
    URL_USERINFO,
    Confidence,
    SecretRule,
)

HIGH, LOW = Confidence.HIGH, Confidence.LOW
# detect-secrets plugin -> (slug, label, confidence, vendor_safe). Left out on
# purpose: PrivateKeyDetector (bare PEM header, see patterns.py),
# BasicAuthDetector (``_url_credentials`` tells connection strings apart) and
# IPPublicDetector (an address is no credential).
_PLUGINS: tuple[tuple[RegexBasedDetector, str, str, Confidence, bool], ...] = (
    (aws.AWSKeyDetector(), "aws-access-key", "AWS access key", HIGH, True),
    (azure_storage_key.AzureStorageKeyDetector(), "azure-storage-key", "Azure storage account key", HIGH, True),
    (github_token.GitHubTokenDetector(), "github-token", "GitHub token", HIGH, True),
    (gitlab_token.GitLabTokenDetector(), "gitlab-token", "GitLab token", HIGH, True),
    (npm.NpmDetector(), "npm-token", "npm access token", HIGH, True),
    (openai.OpenAIDetector(), "openai-api-key", "OpenAI API key", HIGH, True),
    (pypi_token.PypiTokenDetector(), "pypi-token", "PyPI API token", HIGH, True),
    (sendgrid.SendGridDetector(), "sendgrid-api-key", "SendGrid API key", HIGH, True),
    (slack.SlackDetector(), "slack-token", "Slack token", HIGH, True),
    (square_oauth.SquareOAuthDetector(), "square-oauth-secret", "Square OAuth secret", HIGH, True),
    (stripe.StripeDetector(), "stripe-live-key", "Stripe live secret key", HIGH, True),
    # Unprefixed shapes: precise in a server's own code, noisy in minified vendored code.
    (discord.DiscordBotTokenDetector(), "discord-bot-token", "Discord bot token", HIGH, False),
    (mailchimp.MailchimpDetector(), "mailchimp-api-key", "Mailchimp API key", HIGH, False),
    (telegram_token.TelegramBotTokenDetector(), "telegram-bot-token", "Telegram bot token", HIGH, False),
    (twilio.TwilioKeyDetector(), "twilio-key", "Twilio key", HIGH, False),
    (cloudant.CloudantDetector(), "cloudant-credentials", "Cloudant credentials", HIGH, False),
    (ibm_cloud_iam.IbmCloudIamDetector(), "ibm-cloud-iam-key", "IBM Cloud IAM key", HIGH, False),
    (ibm_cos_hmac.IbmCosHmacDetector(), "ibm-cos-hmac-key", "IBM COS HMAC key", HIGH, False),
    (softlayer.SoftlayerDetector(), "softlayer-key", "SoftLayer API key", HIGH, False),
    (artifactory.ArtifactoryDetector(), "artifactory-credentials", "Artifactory credentials", LOW, False),
    # A JWT in code is as often a public client key or an expired test token as a credential.
    (jwt.JwtTokenDetector(), "jwt", "JSON Web Token", LOW, False),
)  # fmt: skip
# Literals every match of a vendor-safe plugin's denylist contains, read off its
# regexes (detect-secrets 1.5): (case-sensitive, case-insensitive for re.IGNORECASE
# patterns). A file with none of a plugin's anchors is not searched with it.
PLUGIN_ANCHORS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "aws-access-key": (("A3T", "ABIA", "ACCA", "AKIA", "ASIA"), ("aws",)),
    "azure-storage-key": (("AccountKey=",), ()),
    "github-token": (("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), ()),
    "gitlab-token": (
        ("glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "GR1348941", "glcbt-", "glimt-",
         "glptt-", "glagent-", "gloas-"),
        (),
    ),
    "npm-token": ((":_authToken=",), ()),
    "openai-api-key": (("T3BlbkFJ",), ()),
    "pypi-token": (("pypi-AgE",), ()),
    "sendgrid-api-key": (("SG.",), ()),
    "slack-token": ((), ("xox", "hooks.slack.com")),
    "square-oauth-secret": (("sq0csp-",), ()),
    "stripe-live-key": (("k_live_",), ()),
}  # fmt: skip
# Every vendored file is prefiltered: the vendor-safe rules must all have anchors.
assert all(slug in PLUGIN_ANCHORS for _, slug, _, _, safe in _PLUGINS if safe)
_EXACT_ANCHORS = LiteralIndex[str | int](
    [(a, i) for i, rule in enumerate(RULES) for a in rule.anchors]
    + [(a, slug) for slug, (exact, _) in PLUGIN_ANCHORS.items() for a in exact]
)
_FOLDED_ANCHORS = LiteralIndex[str | int](
    [(a, slug) for slug, (_, folded) in PLUGIN_ANCHORS.items() for a in folded], casefold=True
)
_KEYWORD = KeywordDetector()
_BASE64 = Base64HighEntropyString()
_HEX = HexHighEntropyString()
_HEX_CHARS = frozenset("0123456789abcdefABCDEF")
_SHORT_BASE64_LIMIT = 4.0
_SECRET_NAME_LIMIT = 3.5
_DIGEST_LENGTHS = frozenset({32, 40, 56, 64, 96, 128})
_WORDS = re.compile(r"[a-z][a-z_ .-]*")
MAX_LINE_FOR_HEURISTICS = 2000  # keyword / entropy checks skip longer (minified) lines


def _token_start(text: str, offset: int) -> bool:
    """No identifier character right before ``offset`` (``xghp_...`` is not a token)."""
    return offset == 0 or not (text[offset - 1].isalnum() or text[offset - 1] == "_")


def _own_rules(text: str, rules: tuple[SecretRule, ...]) -> Iterator[SecretHit]:
    for rule in rules:
        for m in rule.regex.finditer(text):
            if not _token_start(text, m.start()):
                continue
            yield SecretHit(
                rule.slug, rule.label, rule.confidence, m.group("secret"), m.group(0),
                m.start("secret"), m.end("secret"), own=True,
            )  # fmt: skip


def _url_credentials(text: str, vendored: bool) -> Iterator[SecretHit]:
    """``scheme://user:password@host``: a database scheme is a connection string (HIGH)."""
    for m in URL_USERINFO.finditer(text):
        scheme_match = SCHEME_BEFORE.search(text, max(0, m.start() - 21), m.start())
        scheme = scheme_match.group(0).lower() if scheme_match else ""
        context = text[m.start() - len(scheme) : m.end()]
        if scheme in DB_SCHEMES:
            slug, label, confidence = (
                "connection-string",
                "connection string with credentials",
                HIGH,
            )
        elif vendored or not scheme:
            continue  # other URLs with userinfo are mostly documentation
        else:
            slug, label, confidence = "url-credentials", "credentials in a URL", LOW
        yield SecretHit(
            slug, label, confidence, m.group("secret"), context,
            m.start("secret"), m.end("secret"), own=True,
        )  # fmt: skip


def _plugin_rules(text: str, vendored: bool, anchored: set[str | int]) -> Iterator[SecretHit]:
    for plugin, slug, label, confidence, vendor_safe in _PLUGINS:
        if vendored and not vendor_safe:
            continue
        if slug in PLUGIN_ANCHORS and slug not in anchored:
            continue  # none of the literals every match contains
        for regex in plugin.denylist:
            for m in regex.finditer(text):
                # The plugin's own analysis of the match: groups and validation (JWT).
                for secret in plugin.analyze_string(m.group(0)):
                    offset = m.group(0).find(secret)
                    start = m.start() + max(offset, 0)
                    yield SecretHit(
                        slug, label, confidence, secret, m.group(0), start, start + len(secret)
                    )


def _high_entropy(value: str, secret_name: bool) -> bool:
    """detect-secrets' Shannon entropy, with limits adapted to short values.

    Its base64 limit (4.5 bits) misses many random 32-character tokens and is
    out of reach below 23 characters (log2 of the length), yet the spec asks
    for blobs "> 20 chars". Below 40 characters, or under a secret-like name,
    a lower limit applies and the value must mix letters and digits.
    """
    if set(value) <= _HEX_CHARS:
        if not secret_name and len(value) in _DIGEST_LENGTHS:
            return False  # an MD5 / SHA-1 / SHA-2 digest under a neutral name
        return _HEX.calculate_shannon_entropy(value) > _HEX.entropy_limit
    entropy = _BASE64.calculate_shannon_entropy(value)
    if len(value) >= 40 and entropy > _BASE64.entropy_limit:
        return True
    mixed = any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
    limit = _SECRET_NAME_LIMIT if secret_name else _SHORT_BASE64_LIMIT
    return mixed and entropy > limit


def _enum_like(value: str) -> bool:
    """``"client_secret_basic"``, ``"warn"``, ``"a secret"``: words, not a credential."""
    return bool(_WORDS.fullmatch(value))


def _is_env_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.startswith(".env") or name.endswith((".env", ".npmrc", ".pypirc", ".netrc"))


def _line_heuristics(path: str, text: str) -> Iterator[SecretHit]:
    """Keyword assignments (``password = "..."``) and high-entropy assigned strings.

    ``.env``-style files assign without quotes, so they get detect-secrets'
    config-file keyword patterns and an unquoted assignment pattern.
    """
    env_file = _is_env_file(path)
    keyword_regexes = (
        REGEX_BY_FILETYPE[FileType.CONFIG]
        if env_file
        else REGEX_BY_FILETYPE.get(determine_file_type(path))
    )
    assignment = ENV_ASSIGNMENT if env_file else ASSIGNMENT
    offset = 0
    for line in text.splitlines(keepends=True):
        if len(line) <= MAX_LINE_FOR_HEURISTICS:
            for m in assignment.finditer(line):
                name, value = m.group("name"), m.group("secret")
                secret_name = bool(SECRET_NAME.search(name))
                if NOT_SECRET_NAME.search(name) or not _high_entropy(value, secret_name):
                    continue
                if is_likely_id_string(value, line):
                    continue
                label = "high-entropy string assigned to a secret-like name"
                if not secret_name:
                    label = "high-entropy string in an assignment"
                start = offset + m.start("secret")
                yield SecretHit(
                    "high-entropy-string", label, LOW, value, m.group(0), start,
                    start + len(value), heuristic=True,
                )  # fmt: skip
            if keyword_regexes is not None:
                for value in _KEYWORD.analyze_string(line, keyword_regexes):
                    if len(value) < 4 or _enum_like(value):
                        continue
                    at = line.find(value)
                    start = offset + max(at, 0)
                    yield SecretHit(
                        "secret-keyword", "hard-coded password or secret", LOW, value,
                        line.strip(), start, start + len(value), heuristic=True,
                    )  # fmt: skip
        offset += len(line)


def _dedupe(hits: list[SecretHit]) -> list[SecretHit]:
    """Overlapping hits on the same characters: keep the most specific one."""
    kept: list[SecretHit] = []
    for hit in sorted(hits, key=lambda h: h.rank, reverse=True):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


def find_secrets(
    path: str, text: str, *, vendored: bool, heuristics: bool, shapes: bool | None = None
) -> list[SecretHit]:
    """Secret-looking values in ``text``, deduplicated, in file order.

    Vendored third-party code gets the prefix-anchored vendor patterns only; a
    server's own files also get the unprefixed shapes (``shapes``, default: not
    vendored), and with ``heuristics`` keyword assignments and high-entropy
    strings in assignment context.
    """
    # One pass for the anchors of every rule: a rule runs only on a text that
    # holds a literal each of its matches must contain (most vendored files: none).
    anchored = _EXACT_ANCHORS.keys_in(text) | _FOLDED_ANCHORS.keys_in(text)
    prefixed_only = vendored if shapes is None else not shapes
    rules = tuple(
        r for i, r in enumerate(RULES) if (r.vendor_safe or not prefixed_only) and i in anchored
    )
    hits = [
        *_own_rules(text, rules),
        *_url_credentials(text, vendored),
        *_plugin_rules(text, prefixed_only, anchored),
    ]
    if heuristics:
        hits.extend(_line_heuristics(path, text))
    return _dedupe(hits)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
