"""Readers for dependency lockfiles (uv, poetry, pip requirements, npm, pnpm)."""
