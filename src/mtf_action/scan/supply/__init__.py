"""Shared views of a scan target for the supply-chain and artifact controls.

Lockfiles, vendored packages, the SBOM, bundle member headers: each is derived
once per scan context (through the context's read-once file access) and shared
by SC-01, SC-03, SC-05, AI-04 and AI-05.
"""
