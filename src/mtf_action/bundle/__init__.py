"""Deterministic MCPB archives: file selection, zip writing, naming, content hashes."""
