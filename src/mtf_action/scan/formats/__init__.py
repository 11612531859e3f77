"""Renderers of a scan report: json, sarif, markdown, text."""
