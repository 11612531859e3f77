"""State shared by the checks of one ``verify`` run.

Later checks read what earlier ones established: the VSA and ``min-level``
use the claim only once the ``claim`` check has verified it (signature,
identity, subject, bytes, schema, digests); the level a consumer may rely on is
that claim's verified level, lowered to the rescan's when one ran.
"""

from __future__ import annotations

from dataclasses import dataclass

from mtf_action.console import Reporter
from mtf_action.models.claim import Claim
from mtf_action.verify.options import Verification, VerifyOptions
from mtf_action.verify.release import Release


@dataclass
class VerifyContext:
    options: VerifyOptions
    release: Release
    verification: Verification
    reporter: Reporter
    claim: Claim | None = None  # set by the claim check when it passed
    rescan_level: int | None = None  # set by the rescan check when it ran

    def trusted_level(self) -> int | None:
        """The level a consumer may rely on (see ``VerificationResult.level``)."""
        if self.claim is None:
            return None  # an unverified claim vouches for nothing; a rescan alone has no signer
        claimed = self.claim.predicate.level.verified
        if self.rescan_level is None:
            return claimed
        return min(claimed, self.rescan_level)
