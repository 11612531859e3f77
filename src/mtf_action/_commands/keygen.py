"""``mtf-attest keygen --output-dir DIR``: a key pair for key-mode signing (MTF AI-03, 5.2.2).

Writes ``mtf-signing.key`` (mode 0600; encrypted when ``--password-env VAR``
names a set environment variable) and ``mtf-signing.pub``; refuses to overwrite
either. The password is read from the environment, never from the command line,
where it would land in shell history and process listings.
"""

from __future__ import annotations

import argparse
from typing import Any

from mtf_action.console import Reporter


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    from mtf_action.signing.key_algorithms import KeyAlgorithm

    parser = subparsers.add_parser(
        "keygen",
        parents=[common],
        help="generate a signing key pair for --sign key (MTF AI-03)",
    )
    parser.add_argument("-o", "--output-dir", required=True, help="directory for the key files")
    parser.add_argument(
        "--algorithm",
        choices=[a.value for a in KeyAlgorithm],
        default=KeyAlgorithm.ECDSA_P256.value,
        help="key algorithm (default: %(default)s)",
    )
    parser.add_argument(
        "--password-env",
        metavar="VAR",
        help="encrypt the private key with the password held in environment variable VAR",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, reporter: Reporter) -> int:
    from mtf_action.signing.key_algorithms import KeyAlgorithm
    from mtf_action.signing.keygen import write_key_pair
    from mtf_action.signing.keys import password_from_env

    password = password_from_env(args.password_env)
    files = write_key_pair(args.output_dir, KeyAlgorithm(args.algorithm), password=password)
    reporter.summary(
        {
            "private_key": str(files.private_key),
            "public_key": str(files.public_key),
            "algorithm": files.algorithm.value,
            "fingerprint": files.fingerprint,
            "encrypted": files.encrypted,
        },
        [
            f"private key: {files.private_key} ({'encrypted' if files.encrypted else 'NOT encrypted'}, mode 0600)",
            f"public key:  {files.public_key}",
            f"algorithm:   {files.algorithm.value}",
            f"identity:    {files.fingerprint}",
        ],
    )
    return 0
