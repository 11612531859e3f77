"""Identity policies for keyless verification (MTF AI-03 "verifiable against publisher identity").

sigstore-python matches certificate extensions exactly and has no glob or
"any ref of this workflow" policy, so the GitHub publisher policy is ours: it
implements sigstore's ``VerificationPolicy`` protocol (``verify(cert)``) and reads
the Fulcio v2 extensions (OIDs 1.3.6.1.4.1.57264.1.8 and up, DER UTF8String):

* issuer (1.8, falling back to the v1 raw extension 1.1 for old certificates):
  exact, default ``https://token.actions.githubusercontent.com``;
* ``--repository OWNER/REPO``: Source Repository URI (1.12) equals
  ``https://github.com/OWNER/REPO``, compared case-insensitively as GitHub does;
* ``--workflow``: Build Signer URI (1.9), the workflow that ran, as
  ``https://github.com/<repo>/.github/workflows/<file>@<ref>``. ``release.yml`` or
  ``.github/workflows/release.yml`` means that file in ``--repository``;
  ``OWNER/REPO/.github/workflows/F`` pins a reusable workflow of another repository;
  with ``@ref`` the whole URI must match exactly, else any ref of it matches;
* ``--ref GLOB``: Source Repository Ref (1.14), e.g. ``refs/tags/v*``, matched with
  :func:`fnmatch.fnmatchcase` (case-sensitive; ``*`` also matches ``/``).

For e-mail and other non-GitHub identities, :class:`ExactIdentity` matches the
certificate SAN and the issuer exactly (like ``cosign --certificate-identity``).

Each mismatch raises :class:`PolicyMismatch` (a sigstore ``VerificationError``,
so sigstore's ``AllOf``/``AnyOf`` compose with it) naming the failed check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

from cryptography.hazmat import asn1
from cryptography.x509 import (
    Certificate,
    ExtensionNotFound,
    ObjectIdentifier,
    OtherName,
    RFC822Name,
    SubjectAlternativeName,
    UniformResourceIdentifier,
)
from sigstore.errors import VerificationError
from sigstore.verify.policy import VerificationPolicy

from mtf_action.errors import UsageError

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
GITHUB = "https://github.com/"

_FULCIO = "1.3.6.1.4.1.57264.1."
OID_ISSUER_V1 = ObjectIdentifier(_FULCIO + "1")
OID_OTHERNAME = ObjectIdentifier(_FULCIO + "7")
OID_ISSUER_V2 = ObjectIdentifier(_FULCIO + "8")
OID_BUILD_SIGNER_URI = ObjectIdentifier(_FULCIO + "9")
OID_SOURCE_REPOSITORY_URI = ObjectIdentifier(_FULCIO + "12")
OID_SOURCE_REPOSITORY_DIGEST = ObjectIdentifier(_FULCIO + "13")
OID_SOURCE_REPOSITORY_REF = ObjectIdentifier(_FULCIO + "14")
OID_BUILD_CONFIG_URI = ObjectIdentifier(_FULCIO + "18")
OID_BUILD_TRIGGER = ObjectIdentifier(_FULCIO + "20")
OID_RUN_INVOCATION_URI = ObjectIdentifier(_FULCIO + "21")

_REPO = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*)/[A-Za-z0-9._-]+$")
_WORKFLOW_FILE = re.compile(r"^[A-Za-z0-9._-]+\.ya?ml$")


class PolicyMismatch(VerificationError):
    """The certificate is valid but names another identity; ``check`` says which part."""

    def __init__(self, check: str, message: str) -> None:
        super().__init__(message)
        self.check = check


def extension_text(cert: Certificate, oid: ObjectIdentifier) -> str | None:
    """A Fulcio v2 extension value (DER UTF8String), or None when absent."""
    try:
        ext = cert.extensions.get_extension_for_oid(oid).value
    except ExtensionNotFound:
        return None
    raw: bytes = getattr(ext, "value", b"")
    try:
        return asn1.decode_der(str, raw)
    except ValueError:
        return None


def certificate_issuer(cert: Certificate) -> str | None:
    """The OIDC issuer: v2 extension, else the v1 one (raw bytes)."""
    found = extension_text(cert, OID_ISSUER_V2)
    if found is not None:
        return found
    try:
        ext = cert.extensions.get_extension_for_oid(OID_ISSUER_V1).value
    except ExtensionNotFound:
        return None
    raw: bytes = getattr(ext, "value", b"")
    return raw.decode(errors="replace")


def certificate_sans(cert: Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(SubjectAlternativeName).value
    except ExtensionNotFound:
        return []
    values: list[str] = [*san.get_values_for_type(UniformResourceIdentifier)]
    values += san.get_values_for_type(RFC822Name)
    values += [
        o.value.decode(errors="replace")
        for o in san.get_values_for_type(OtherName)
        if o.type_id == OID_OTHERNAME
    ]
    return values


def _check_issuer(cert: Certificate, expected: str) -> None:
    actual = certificate_issuer(cert)
    if actual != expected:
        raise PolicyMismatch("issuer", f"OIDC issuer is {actual!r}, expected {expected!r}")


class ExactIdentity:
    """SAN equals ``identity`` and the issuer equals ``issuer`` (both exact)."""

    def __init__(self, *, identity: str, issuer: str) -> None:
        self.identity = identity
        self.issuer = issuer

    def verify(self, cert: Certificate) -> None:
        _check_issuer(cert, self.issuer)
        sans = certificate_sans(cert)
        if self.identity not in sans:
            raise PolicyMismatch(
                "identity",
                f"certificate identity is {', '.join(sans) or 'absent'}, expected {self.identity}",
            )


def _workflow_prefix(repository: str, workflow: str) -> tuple[str, bool]:
    """The Build Signer URI the workflow option stands for, and whether it is exact."""
    spec = workflow.removeprefix(GITHUB)
    exact = "@" in spec
    path = spec.split("@", 1)[0]
    if _WORKFLOW_FILE.match(path):
        uri = f"{GITHUB}{repository}/.github/workflows/{path}"
    elif path.startswith(".github/workflows/") and _WORKFLOW_FILE.match(path.rsplit("/", 1)[1]):
        uri = f"{GITHUB}{repository}/{path}"
    elif re.match(r"^[^/]+/[^/]+/\.github/workflows/[A-Za-z0-9._-]+\.ya?ml$", path):
        uri = f"{GITHUB}{path}"
    else:
        raise UsageError(
            f"--workflow {workflow!r}: expected FILE.yml, .github/workflows/FILE.yml or "
            "OWNER/REPO/.github/workflows/FILE.yml (optionally @REF)"
        )
    return (uri + "@" + spec.split("@", 1)[1], True) if exact else (uri + "@", False)


def _same_workflow(actual: str, wanted: str, *, exact: bool) -> bool:
    """Owner and repository compare case-insensitively (as on GitHub), the path exactly."""
    head_len = len(GITHUB) + len(wanted.removeprefix(GITHUB).split("/.github/", 1)[0])
    if actual[:head_len].casefold() != wanted[:head_len].casefold():
        return False
    rest, wanted_rest = actual[head_len:], wanted[head_len:]
    return rest == wanted_rest if exact else rest.startswith(wanted_rest)


class GitHubPublisher:
    """A GitHub Actions publisher: repository, optionally workflow and ref glob."""

    def __init__(
        self,
        repository: str,
        *,
        workflow: str | None = None,
        ref: str | None = None,
        issuer: str = GITHUB_ISSUER,
    ) -> None:
        repository = repository.removeprefix(GITHUB).removesuffix("/").removesuffix(".git")
        if not _REPO.match(repository):
            raise UsageError(f"--repository {repository!r}: expected OWNER/REPO")
        self.repository = repository
        self.issuer = issuer
        self.ref = ref
        self.workflow = _workflow_prefix(repository, workflow) if workflow else None

    def verify(self, cert: Certificate) -> None:
        _check_issuer(cert, self.issuer)
        expected_repo = GITHUB + self.repository
        repo = extension_text(cert, OID_SOURCE_REPOSITORY_URI)
        if repo is None or repo.casefold() != expected_repo.casefold():
            raise PolicyMismatch(
                "repository", f"source repository is {repo!r}, expected {expected_repo!r}"
            )
        if self.workflow is not None:
            signer = extension_text(cert, OID_BUILD_SIGNER_URI) or ""
            wanted, exact = self.workflow
            if not _same_workflow(signer, wanted, exact=exact):
                shown = wanted if exact else wanted + "*"
                raise PolicyMismatch(
                    "workflow", f"signing workflow is {signer!r}, expected {shown!r}"
                )
        if self.ref is not None:
            source_ref = extension_text(cert, OID_SOURCE_REPOSITORY_REF)
            if source_ref is None or not fnmatchcase(source_ref, self.ref):
                raise PolicyMismatch(
                    "ref", f"source ref is {source_ref!r}, which does not match {self.ref!r}"
                )


@dataclass(frozen=True)
class IdentityRequirement:
    """The identity options of ``verify``, before they become a policy."""

    repository: str | None = None
    workflow: str | None = None
    ref: str | None = None
    issuer: str | None = None
    identity: str | None = None


def build_policy(requirement: IdentityRequirement) -> VerificationPolicy:
    """The policy for the options; refuses combinations that would verify nothing."""
    r = requirement
    if r.identity and r.repository:
        raise UsageError("--identity and --repository are alternatives; give one")
    if r.identity:
        if r.workflow or r.ref:
            raise UsageError("--workflow and --ref need --repository, not --identity")
        if not r.issuer:
            raise UsageError("--identity needs --issuer (the OIDC issuer of that identity)")
        return ExactIdentity(identity=r.identity, issuer=r.issuer)
    if r.repository:
        return GitHubPublisher(
            r.repository, workflow=r.workflow, ref=r.ref, issuer=r.issuer or GITHUB_ISSUER
        )
    raise UsageError(
        "keyless verification needs an identity: --repository OWNER/REPO or --identity/--issuer"
    )
