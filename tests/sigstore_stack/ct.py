"""A Certificate Transparency log front end (RFC 6962) that Fulcio submits precertificates to.

Only what Fulcio uses is served: ``POST <log>/ct/v1/add-pre-chain`` with
``{"chain": [base64 DER precert, base64 DER issuer, ...]}``, answered with an SCT as JSON
(RFC 6962 section 4.1). Several logs share one HTTP service, each under its own path prefix,
as ctfe.sigstore.dev serves ``/2022``; the stack runs a ``trusted`` log (its key is in the
test trusted root) and a ``rogue`` one (not in any root) for negative tests.

The byte layouts (RFC 6962 section 3.2, TLS presentation language, big-endian):

    digitally-signed data = sct_version(1) | signature_type(1) = 0 certificate_timestamp
        | timestamp(8, ms) | entry_type(2) = 1 precert_entry
        | issuer_key_hash(32) | tbs_certificate<u24 length> | extensions<u16 length>
    SignedCertificateTimestamp = sct_version(1) | log_id(32) | timestamp(8)
        | extensions<u16> | hash_alg(1) = 4 sha256 | sig_alg(1) = 3 ecdsa | signature<u16>
    SignedCertificateTimestampList = <u16 total> { <u16 length> SCT }*
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import struct
import threading
import time
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat import asn1
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtensionOID

from . import der
from .keys import key_id, sign, spki_der
from .server import HttpError, Request, Response

SCT_LIST_OID = ExtensionOID.PRECERT_SIGNED_CERTIFICATE_TIMESTAMPS  # 1.3.6.1.4.1.11129.2.4.2
_V1 = 0
_CERTIFICATE_TIMESTAMP = 0
_PRECERT_ENTRY = 1
_HASH_SHA256 = 4
_SIG_ECDSA = 3


def _u24(length: int) -> bytes:
    return length.to_bytes(3, "big")


def _u16_prefixed(data: bytes) -> bytes:
    return struct.pack("!H", len(data)) + data


@dataclass(frozen=True)
class SignedCertificateTimestamp:
    log_id: bytes
    timestamp_ms: int
    signature: bytes  # the TLS DigitallySigned struct: hash_alg | sig_alg | <u16> signature
    extensions: bytes = b""

    def to_json(self) -> dict[str, object]:
        """The add-pre-chain response body (RFC 6962 section 4.1)."""
        return {
            "sct_version": _V1,
            "id": base64.b64encode(self.log_id).decode(),
            "timestamp": self.timestamp_ms,
            "extensions": base64.b64encode(self.extensions).decode(),
            "signature": base64.b64encode(self.signature).decode(),
        }

    @classmethod
    def from_json(cls, body: dict[str, object]) -> SignedCertificateTimestamp:
        try:
            return cls(
                log_id=base64.b64decode(str(body["id"])),
                timestamp_ms=int(str(body["timestamp"])),
                signature=base64.b64decode(str(body["signature"])),
                extensions=base64.b64decode(str(body.get("extensions", ""))),
            )
        except (KeyError, ValueError, binascii.Error) as exc:
            raise ValueError(f"malformed SCT response: {exc}") from exc

    def serialize(self) -> bytes:
        """The TLS encoding of the SCT that goes into the certificate's SCT list."""
        return (
            struct.pack("!B32sQ", _V1, self.log_id, self.timestamp_ms)
            + _u16_prefixed(self.extensions)
            + self.signature
        )


def sct_list_extension(scts: list[SignedCertificateTimestamp]) -> x509.UnrecognizedExtension:
    """RFC 6962 section 3.3: extnValue = OCTET STRING wrapping the TLS SCT list."""
    tls_list = _u16_prefixed(b"".join(_u16_prefixed(s.serialize()) for s in scts))
    return x509.UnrecognizedExtension(SCT_LIST_OID, asn1.encode_der(tls_list))


class CTLog:
    """One log: a key, the roots it accepts, and the precertificates it has promised."""

    def __init__(self, name: str, key: ec.EllipticCurvePrivateKey, roots: list[x509.Certificate]):
        self.name = name
        self.key = key
        self.roots = roots
        self.log_id = key_id(key.public_key())
        self._lock = threading.Lock()
        self.entries: list[bytes] = []  # DER precertificates, in submission order

    def add_pre_chain(self, chain: list[x509.Certificate]) -> SignedCertificateTimestamp:
        if len(chain) < 2:
            raise HttpError(400, "a precertificate chain needs the precertificate and its issuer")
        precert, issuer = chain[0], chain[1]
        try:
            poison = precert.extensions.get_extension_for_class(x509.PrecertPoison)
        except x509.ExtensionNotFound:
            raise HttpError(400, "not a precertificate: no poison extension") from None
        if not poison.critical:
            raise HttpError(400, "the precertificate poison extension must be critical")
        self._check_chain(chain)
        tbs = der.remove_extension(precert.tbs_certificate_bytes, poison.oid)
        issuer_key_hash = hashlib.sha256(spki_der(issuer.public_key())).digest()
        timestamp_ms = int(time.time() * 1000)
        signed = (
            struct.pack("!BBQH", _V1, _CERTIFICATE_TIMESTAMP, timestamp_ms, _PRECERT_ENTRY)
            + issuer_key_hash
            + _u24(len(tbs))
            + tbs
            + _u16_prefixed(b"")  # no CT extensions
        )
        signature = struct.pack("!BB", _HASH_SHA256, _SIG_ECDSA) + _u16_prefixed(
            sign(self.key, signed)
        )
        with self._lock:
            self.entries.append(precert.public_bytes(serialization.Encoding.DER))
        return SignedCertificateTimestamp(self.log_id, timestamp_ms, signature)

    def _check_chain(self, chain: list[x509.Certificate]) -> None:
        """Each certificate is issued by the next; the last one is, or is issued by, a root."""
        try:
            for child, parent in itertools.pairwise(chain):
                child.verify_directly_issued_by(parent)
            last = chain[-1]
            if last not in self.roots and not any(_issued_by(last, r) for r in self.roots):
                raise HttpError(400, "the chain does not end at a root this log accepts")
        except (ValueError, TypeError, InvalidSignature) as exc:
            raise HttpError(400, f"invalid precertificate chain: {exc}") from exc


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


class CTService:
    """The HTTP face of several logs: ``/<log name>/ct/v1/add-pre-chain``."""

    def __init__(self, logs: list[CTLog]) -> None:
        self.logs = {log.name: log for log in logs}

    def handle(self, request: Request) -> Response:
        name, _, rest = request.path.strip("/").partition("/")
        log = self.logs.get(name)
        if log is None or rest != "ct/v1/add-pre-chain":
            raise HttpError(404, f"no such endpoint: {request.path}")
        if request.method != "POST":
            raise HttpError(405, "add-pre-chain takes POST")
        body = request.json()
        try:
            chain = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in body["chain"]]
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise HttpError(400, f"malformed add-pre-chain request: {exc}") from exc
        return Response.json(200, log.add_pre_chain(chain).to_json())


def error_body(status: int, message: str) -> object:
    return {"error": message}
