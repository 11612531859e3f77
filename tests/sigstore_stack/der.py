"""The little DER the CT log needs: walk a TBSCertificate and drop one extension.

RFC 6962 section 3.2: the SCT of a precertificate signs the precertificate's TBSCertificate
*without* the poison extension. `cryptography` can build a precertificate (``PrecertPoison``)
and, on the final certificate, hand back the TBS without the SCT list
(``tbs_precertificate_bytes``), but it has no call that removes the poison from a
precertificate. A CT log receives only the precertificate, so it has to cut the poison out
itself: that is this module. Only definite-length DER (what X.509 uses) is handled.
"""

from __future__ import annotations

from cryptography.hazmat import asn1
from cryptography.x509 import ObjectIdentifier

_SEQUENCE = 0x30
_EXTENSIONS_TAG = 0xA3  # TBSCertificate.extensions is [3] EXPLICIT SEQUENCE OF Extension


class DerError(ValueError):
    """The bytes are not the DER structure we expected."""


def _read_length(data: bytes, pos: int) -> tuple[int, int]:
    """Decode a DER length at ``pos``; return (length, position of the content)."""
    first = data[pos]
    if first < 0x80:  # short form: the byte is the length
        return first, pos + 1
    count = first & 0x7F  # long form: the next `count` bytes hold the length, big-endian
    if count == 0 or count > 4:
        raise DerError("unsupported DER length form")
    return int.from_bytes(data[pos + 1 : pos + 1 + count], "big"), pos + 1 + count


def encode_length(length: int) -> bytes:
    """DER length octets: short form below 128, else 0x80|n followed by n big-endian bytes."""
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, content: bytes) -> bytes:
    """One tag-length-value element."""
    return bytes([tag]) + encode_length(len(content)) + content


def split(data: bytes) -> tuple[int, bytes]:
    """The tag and content of the single element that ``data`` must consist of."""
    tag = data[0]
    if tag & 0x1F == 0x1F:
        raise DerError("multi-byte tags are not used in X.509 and not supported")
    length, start = _read_length(data, 1)
    if start + length != len(data):
        raise DerError("trailing or missing bytes after a DER element")
    return tag, data[start : start + length]


def children(content: bytes) -> list[bytes]:
    """The complete TLV encodings of the elements inside a constructed value, in order."""
    out: list[bytes] = []
    pos = 0
    while pos < len(content):
        length, start = _read_length(content, pos + 1)
        end = start + length
        if end > len(content):
            raise DerError("DER element runs past its container")
        out.append(content[pos:end])
        pos = end
    return out


def remove_extension(tbs_der: bytes, oid: ObjectIdentifier) -> bytes:
    """Re-encode a TBSCertificate without the extension ``oid``; fail if it is absent.

    TBSCertificate ::= SEQUENCE { version [0], serialNumber, signature, issuer, validity,
    subject, subjectPublicKeyInfo, issuerUniqueID [1]?, subjectUniqueID [2]?,
    extensions [3] EXPLICIT SEQUENCE OF Extension }, and
    Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE,
    extnValue OCTET STRING }. Everything but the one extension is copied byte for byte.
    """
    tag, body = split(tbs_der)
    if tag != _SEQUENCE:
        raise DerError("TBSCertificate is not a SEQUENCE")
    oid_der = asn1.encode_der(oid)
    fields = children(body)
    found = False
    rebuilt: list[bytes] = []
    for field in fields:
        if field[0] == _EXTENSIONS_TAG:
            _, explicit = split(field)
            seq_tag, ext_list = split(explicit)
            if seq_tag != _SEQUENCE:
                raise DerError("extensions are not a SEQUENCE")
            kept = []
            for ext in children(ext_list):
                if children(split(ext)[1])[0] == oid_der:
                    found = True
                else:
                    kept.append(ext)
            field = tlv(_EXTENSIONS_TAG, tlv(_SEQUENCE, b"".join(kept)))
        rebuilt.append(field)
    if not found:
        raise DerError(f"extension {oid.dotted_string} not found in the TBSCertificate")
    return tlv(_SEQUENCE, b"".join(rebuilt))
