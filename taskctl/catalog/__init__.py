"""Catalogue modules: each defines ZH and EN dicts with identical keys."""
