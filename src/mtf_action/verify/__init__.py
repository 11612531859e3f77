"""``mtf-attest verify``: check a released bundle and its attestations, check by check.

Modules: :mod:`.options` (what to trust, the signature verifier),
:mod:`.release` (the bundle read safely, the assets by name), one module per
group of checks (:mod:`.digest_check`, :mod:`.attestations`,
:mod:`.claim_check`, :mod:`.embedded_check`, :mod:`.level_checks`),
:mod:`.result` (check outcomes), :mod:`.chain` (the order and the verdict) and
:mod:`.render` (the human report).
"""

from mtf_action.verify.chain import verify_release
from mtf_action.verify.options import VerifyOptions

__all__ = ["VerifyOptions", "verify_release"]
