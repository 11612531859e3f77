"""MTF CQ-01 Secret Detection: no credentials in the bundle.

Scope, decided on measurements of the example servers' vendored trees
(``node_modules/`` 3,690 files, ``deps/`` 1,003 files):

* The server's own files (everything outside vendored directories, including
  manifest.json, config and lockfiles) get every pattern plus the
  low-confidence heuristics (keyword assignments, high-entropy strings in
  assignment context).
* Vendored dependencies get the prefix-anchored high-confidence patterns
  only. Run with everything, the two trees gave 24 and 168 warnings, all false
  (test fixtures, docstring examples, SBOM digests); with the vendor patterns
  they give none, and 11 and 6 documentation placeholders that are counted,
  not reported. A real key in a dependency still blocks.

Severity (spec table): high-confidence pattern -> BLOCK at every level;
potential secret (heuristics, JWT, URL credentials, a database URL to
localhost) -> WARN; placeholder (``AKIAIOSFODNN7EXAMPLE``) -> info. Values are
never put into a finding: only a 4-character prefix and a SHA-256 fingerprint.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from mtf_action.lockfiles.detect import NODE_LOCKFILES, PYTHON_LOCKFILES
from mtf_action.scan.context import ScanContext, is_vendored
from mtf_action.scan.control import Control
from mtf_action.scan.parallel import Pending, start_map
from mtf_action.scan.result import ControlOutcome, Finding, Severity
from mtf_action.scan.secrets.patterns import Confidence
from mtf_action.scan.secrets.placeholders import is_local_dev_credential
from mtf_action.scan.secrets.redact import redact

if TYPE_CHECKING:
    from mtf_action.scan.secrets.hit import SecretHit

# Opaque formats: never read (saves the read as well as the scan).
SKIP_SUFFIXES = (
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".tif", ".tiff", ".psd",
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".zip", ".gz", ".tgz", ".bz2", ".xz",
    ".7z", ".rar", ".jar", ".whl", ".pyc", ".pyo", ".so", ".dylib", ".dll", ".exe",
    ".node", ".wasm", ".class", ".o", ".a", ".lib", ".pdf", ".mp3", ".mp4", ".mo",
)  # fmt: skip
VENDORED_SKIP_SUFFIXES = (".map",)  # source maps repeat the sources next to them
MAX_FINDINGS_PER_FILE = 25
_LOCKFILES = frozenset({*PYTHON_LOCKFILES, *NODE_LOCKFILES, "yarn.lock", "Pipfile.lock"})
# Written by the build at the bundle root: digests, purls and URLs, no hand-typed values.
_GENERATED_AT_ROOT = frozenset({"sbom.cdx.json", "hashes.json"})
_REMEDIATION = (
    "Remove the value from the bundle and revoke / rotate it: anything published must be "
    "treated as leaked. Read credentials at run time from the environment (declare them in "
    "the manifest's user_config and pass them through server.mcp_config.env)."
)


class _Job(NamedTuple):
    path: str
    text: str
    vendored: bool
    generated: bool  # lockfile, SBOM, digests, signature: prefixed patterns only


def _scan(job: _Job) -> list[tuple[SecretHit, bool]]:
    """One file's hits, each with whether it is a documentation placeholder.

    Module level: it runs in a worker process when the search is forked.
    """
    # Imported here, in the worker: detect-secrets and the requests it pulls in
    # stay out of the scan's own process, whose imports are its critical path.
    from mtf_action.scan.secrets.detector import find_secrets
    from mtf_action.scan.secrets.placeholders import is_placeholder

    own = not job.vendored and not job.generated
    hits = find_secrets(job.path, job.text, vendored=job.vendored, heuristics=own, shapes=own)
    return [(hit, is_placeholder(hit.secret, hit.context)) for hit in hits]


class SecretDetection(Control):
    """CQ-01: detect-secrets' plugins plus mtf-attest's own rules over every text file."""

    id: ClassVar[str] = "CQ-01"

    def start(self, ctx: ScanContext) -> None:
        ctx.started[self.id] = self._search(ctx)

    def _search(
        self, ctx: ScanContext
    ) -> tuple[list[_Job], Pending[list[tuple[SecretHit, bool]]], Counter[str]]:
        """Read every text file and start the secret search over them (on other cores)."""
        stats: Counter[str] = Counter()
        jobs: list[_Job] = []
        for path in ctx.files:
            vendored = is_vendored(path)
            text = self._text(ctx, path, vendored, stats)
            if text is None:
                continue
            stats["vendored_files_scanned" if vendored else "server_files_scanned"] += 1
            # Lockfiles, the SBOM, the digest list and AI-03 signature members are
            # machine-written lists of hashes and base64 signatures: the unprefixed
            # shapes and entropy heuristics only find those; vendor-prefixed tokens
            # and credentials in URLs (a private index) are still searched.
            generated = (
                path.rsplit("/", 1)[-1] in _LOCKFILES
                or path in _GENERATED_AT_ROOT
                or path.startswith(".sigstore/")
            )
            jobs.append(_Job(path, text, vendored, generated))
        return jobs, start_map(_scan, jobs, weight=lambda job: len(job.text)), stats

    def evaluate(self, ctx: ScanContext) -> ControlOutcome:
        jobs, pending, stats = ctx.take_started(self.id) or self._search(ctx)
        findings: list[Finding] = []
        for (path, text, vendored, _), hits in zip(jobs, pending.result(), strict=True):
            per_file = 0
            for hit, placeholder in hits:
                finding = self._finding(hit, placeholder, path, text, vendored)
                if finding is None:
                    stats["vendored_placeholders_ignored"] += 1
                    continue
                stats[f"{finding.severity.value}"] += 1
                per_file += 1
                if per_file > MAX_FINDINGS_PER_FILE:
                    stats["findings_over_per_file_cap"] += 1
                    continue
                findings.append(finding)
        details: dict[str, object] = {
            "detectors": "detect-secrets plugins + mtf-attest rules",
            "scope": "server files: all rules; vendored dependencies: high-confidence "
            "prefix patterns only",
            **dict(sorted(stats.items())),
        }
        return ControlOutcome(findings=findings, details=details)

    # -- helpers -----------------------------------------------------------------
    @staticmethod
    def _text(ctx: ScanContext, path: str, vendored: bool, stats: Counter[str]) -> str | None:
        """The text to scan, or None for opaque and oversized files (counted).

        Files over the scan's text-size limit are refused by ``ctx.read_text``,
        which records them; the engine reports those as not analysed.
        """
        lower = path.lower()
        if lower.endswith(SKIP_SUFFIXES) or (vendored and lower.endswith(VENDORED_SKIP_SUFFIXES)):
            stats["skipped_opaque_type"] += 1
            return None
        if ctx.size(path) > ctx.options.max_text_size:
            ctx.read_text(path)  # records the refusal for the report
            stats["skipped_oversized"] += 1
            return None
        text = ctx.read_text(path)
        if text is None and not vendored:
            # Not UTF-8 but not binary either (Latin-1 config): still worth a look.
            data = ctx.read_bytes(path)
            text = None if b"\x00" in data[:8192] else data.decode("latin-1")
        if text is None:
            stats["skipped_binary"] += 1
        return text

    def _finding(
        self, hit: SecretHit, placeholder: bool, path: str, text: str, vendored: bool
    ) -> Finding | None:
        line = text.count("\n", 0, hit.start) + 1
        where = f"{path}:{line}"
        shown = redact(hit.secret, show_prefix=_shows_prefix(hit))
        if placeholder:
            if vendored:
                return None
            return self.finding(
                f"placeholder-{hit.slug}",
                Severity.INFO,
                f"Placeholder {hit.label}",
                f"{where} holds {_a(hit.label)} that looks like a documentation placeholder "
                f"({shown}); not treated as a secret.",
                blocks_at=None,
                file=path,
                line=line,
            )
        confidence = hit.confidence
        if hit.slug == "connection-string" and is_local_dev_credential(hit.context):
            confidence = Confidence.LOW
        if confidence is Confidence.HIGH:
            return self.finding(
                hit.slug,
                Severity.HIGH if vendored else Severity.CRITICAL,
                f"Hard-coded {hit.label}",
                f"{where} contains {_a(hit.label)} ({shown}) matching a high-confidence pattern"
                + (" in a vendored dependency" if vendored else "")
                + ". Anyone who obtains the bundle can use it.",
                blocks_at=1,
                file=path,
                line=line,
                remediation=_REMEDIATION,
            )
        secret_like = hit.slug != "high-entropy-string" or "secret-like" in hit.label
        return self.finding(
            hit.slug,
            Severity.MEDIUM if secret_like else Severity.LOW,
            f"Potential secret: {hit.label}",
            f"{where} contains a possible {hit.label} ({shown}); a low-confidence match, "
            "review whether it is a credential.",
            blocks_at=None,
            file=path,
            line=line,
            remediation=_REMEDIATION,
        )


# Rules whose matches start with a fixed vendor prefix: showing 4 characters
# says which kind of key it is and gives nothing of the random part away.
_PREFIXED = frozenset(
    {"stripe-live-key", "stripe-test-key", "github-token", "github-fine-grained-token",
     "slack-token", "slack-app-token", "google-api-key", "google-oauth-token",
     "google-oauth-client-secret", "anthropic-api-key", "openai-api-key", "openai-legacy-key",
     "huggingface-token", "groq-api-key", "xai-api-key", "perplexity-api-key", "replicate-token",
     "tavily-api-key", "npm-token", "pypi-token", "gitlab-token", "digitalocean-token",
     "shopify-token", "databricks-token", "linear-api-key", "notion-token", "postman-api-key",
     "sendgrid-api-key", "square-oauth-secret", "jwt"}
)  # fmt: skip
_AWS_KEY_ID_PREFIXES = ("AKIA", "ASIA", "ABIA", "ACCA", "A3T")


def _shows_prefix(hit: SecretHit) -> bool:
    if hit.slug == "aws-access-key":
        return hit.secret.startswith(_AWS_KEY_ID_PREFIXES)  # not the 40-char secret key
    return hit.slug in _PREFIXED


def _a(label: str) -> str:
    return ("an " if label[0].lower() in "aeiou" else "a ") + label
