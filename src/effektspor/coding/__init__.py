"""Codebook format, rule-based auto-coder, suggestion models, REFI-QDA exchange."""
