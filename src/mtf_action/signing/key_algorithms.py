"""The key algorithms ``keygen`` makes, without loading cryptography (the CLI lists them)."""

from __future__ import annotations

import enum


class KeyAlgorithm(enum.StrEnum):
    """The algorithms ``keygen`` makes (RSA-4096 is accepted but not generated: slow, large)."""

    ECDSA_P256 = "ecdsa-p256"
    ECDSA_P384 = "ecdsa-p384"
    ED25519 = "ed25519"
