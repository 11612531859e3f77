"""Vendoring runtime dependencies into the bundle the way MCPB hosts expect them."""
