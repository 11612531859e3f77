"""The test certificate authority: a root, an intermediate, and Fulcio-shaped leaves.

The layout follows the public-good Fulcio CA (ECDSA P-384 root and intermediate; the
intermediate carries the code-signing EKU that Fulcio requires for EKU chaining) and
Fulcio's `ca.MakeX509` / `baseca` for leaves: empty subject, critical SAN, 10 minutes of
validity, digitalSignature + codeSigning, then the OIDC extensions. A leaf is issued twice
from one `LeafSpec`: first as a precertificate (RFC 6962 poison extension last) for the CT
log, then as the final certificate with the SCT list in the poison's place, so that the
final certificate's TBS without the SCT list is byte-for-byte the precertificate's TBS
without the poison - exactly what the SCT signs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .keys import PublicKey

LEAF_VALIDITY = datetime.timedelta(minutes=10)  # Fulcio's MakeX509
_SIGNING_HASH = hashes.SHA384()  # both CA keys are P-384


@dataclass(frozen=True)
class LeafSpec:
    """Everything that fixes a leaf's TBSCertificate, so precert and final cert agree."""

    public_key: PublicKey
    san: x509.GeneralName
    extensions: list[x509.UnrecognizedExtension]  # the Fulcio OIDC extensions, in order
    not_before: datetime.datetime
    serial: int = field(default_factory=x509.random_serial_number)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sigstore.test"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


class CertificateAuthority:
    """Root and intermediate made fresh for each test session (nothing stored on disk)."""

    def __init__(self, now: datetime.datetime) -> None:
        self.root_key = ec.generate_private_key(ec.SECP384R1())
        self.intermediate_key = ec.generate_private_key(ec.SECP384R1())
        self.not_before = now - datetime.timedelta(days=1)
        not_after = now + datetime.timedelta(days=3650)
        root_ski = x509.SubjectKeyIdentifier.from_public_key(self.root_key.public_key())
        self.root = (
            x509.CertificateBuilder()
            .subject_name(_name("sigstore-test-root"))
            .issuer_name(_name("sigstore-test-root"))
            .public_key(self.root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(self.not_before)
            .not_valid_after(not_after)
            .add_extension(_ca_key_usage(), critical=True)
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(root_ski, critical=False)
            .sign(self.root_key, _SIGNING_HASH)
        )
        self.intermediate = (
            x509.CertificateBuilder()
            .subject_name(_name("sigstore-test-intermediate"))
            .issuer_name(self.root.subject)
            .public_key(self.intermediate_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(self.not_before)
            .not_valid_after(not_after)
            .add_extension(_ca_key_usage(), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.intermediate_key.public_key()),
                critical=False,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski),
                critical=False,
            )
            .sign(self.root_key, _SIGNING_HASH)
        )

    @property
    def chain(self) -> list[x509.Certificate]:
        """Issuer first, root last: the order of Fulcio's response and of the trusted root."""
        return [self.intermediate, self.root]

    def chain_pem(self) -> list[str]:
        return [c.public_bytes(serialization.Encoding.PEM).decode() for c in self.chain]

    def precertificate(self, spec: LeafSpec) -> x509.Certificate:
        """RFC 6962 section 3.1: the leaf plus the critical poison extension (ASN.1 NULL)."""
        builder = self._leaf_builder(spec).add_extension(x509.PrecertPoison(), critical=True)
        return builder.sign(self.intermediate_key, _SIGNING_HASH)

    def final_certificate(
        self, spec: LeafSpec, sct_list: x509.UnrecognizedExtension
    ) -> x509.Certificate:
        """The same leaf with the SCT list extension where the poison was."""
        builder = self._leaf_builder(spec).add_extension(sct_list, critical=False)
        return builder.sign(self.intermediate_key, _SIGNING_HASH)

    def _leaf_builder(self, spec: LeafSpec) -> x509.CertificateBuilder:
        issuer_ski = self.intermediate.extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier
        ).value
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([]))  # Fulcio leaves have no subject; the SAN says who
            .issuer_name(self.intermediate.subject)
            .public_key(spec.public_key)
            .serial_number(spec.serial)
            .not_valid_before(spec.not_before)
            .not_valid_after(spec.not_before + LEAF_VALIDITY)
            .add_extension(_leaf_key_usage(), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(spec.public_key), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski),
                critical=False,
            )
            # RFC 5280 4.2.1.6: the SAN is critical when the subject is empty.
            .add_extension(x509.SubjectAlternativeName([spec.san]), critical=True)
        )
        for ext in spec.extensions:
            builder = builder.add_extension(ext, critical=False)
        return builder


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _leaf_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
