"""The MTF control engine: one parsed view of a bundle, controls run in spec order, a verified level."""
