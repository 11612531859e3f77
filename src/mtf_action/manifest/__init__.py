"""manifest.json: safe loading, MCPB schema validation and the MTF rules of AI-01/CD-01."""
