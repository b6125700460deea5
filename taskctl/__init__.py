"""taskctl — a terminal task tracker for a supervision office's key-work ledger (督办台账)."""

__version__ = "0.1.0"
