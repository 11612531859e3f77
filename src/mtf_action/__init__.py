"""mtf-attest: reproducible, scanned, signed MCPB bundles for the mpak Trust Framework."""

__version__ = "0.1.0"
