"""Synthetic, seeded Danish demo corpus (never real persons)."""
