"""Pseudonymisation: recognisers of identifiers in Danish text, consistent pseudonyms, the key vault."""
