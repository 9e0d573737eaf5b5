"""The standard: GB/T 9704's numbers per form (``gbt9704``), shared positions (``geometry``), units."""

from docgen.standard.gbt9704 import DEFAULT_PROFILE, GBT9704, PROFILES, StyleProfile, TextStyle, profile

__all__ = ["DEFAULT_PROFILE", "GBT9704", "PROFILES", "StyleProfile", "TextStyle", "profile"]
