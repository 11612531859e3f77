"""Signing and signature verification for MTF AI-03 (bundle signature) and PR-03 (attestations).

Modules, smallest first:

* :mod:`.canonical` RFC 8785 and strict (I-JSON) reading;
* :mod:`.payload` the AI-03 signed payload (MTF section 5.1);
* :mod:`.intoto` single-subject in-toto Statement v1;
* :mod:`.keys`, :mod:`.keygen` long-lived keys (MTF 5.2.2);
* :mod:`.dsse` DSSE envelopes and PAE (key mode);
* :mod:`.keybundle` Sigstore bundle v0.3 documents signed with a key;
* :mod:`.signers`, :mod:`.sigstore_signer` the ``Signer`` interface: none, key, sigstore;
* :mod:`.retry` bounded retries and token scrubbing; :mod:`.trust` which instance to trust;
* :mod:`.policy` identity policies; :mod:`.verify`, :mod:`.verify_keyless`,
  :mod:`.verify_key` verification.

Importing this package does not import sigstore's signing or verification
machinery; import the submodules you need.
"""
