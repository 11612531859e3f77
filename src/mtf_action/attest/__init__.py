"""Attestations of a release: sealed AI-03 signature, provenance, claim, SBOM, VSA."""
