"""Pydantic v2 models of every document mtf-attest reads or writes."""
