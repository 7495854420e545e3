"""Matching: the stable clearing match (engine/ is the pure library; the CLI is `ausbildung match`)."""
