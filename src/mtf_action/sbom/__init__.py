"""CycloneDX 1.6 SBOM of what a bundle actually vendors (SC-01)."""
