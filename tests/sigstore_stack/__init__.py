"""A faithful local Sigstore instance for offline tests (Fulcio v2, Rekor v1, CT, OIDC).

sigstore-python's real signer and verifier run against it unchanged: the services produce
real SCTs, signed entry timestamps, inclusion proofs and signed checkpoints under keys that
only the test trusted root knows. See `stack.SigstoreStack` and the fixtures in `fixtures`.
"""

from .oidc import GITHUB_ISSUER
from .stack import SigstoreStack, StackFaults

__all__ = ["GITHUB_ISSUER", "SigstoreStack", "StackFaults"]
