"""taskctl — a terminal task tracker for a supervision office's key-work ledger (督办台账)."""

__version__ = "0.1.0"


# `from taskctl import Ledger`: loaded on first use, so that `import taskctl` (and `taskctl --help`)
# stays free of SQLAlchemy.
_LAZY = {"Ledger", "TaskctlError", "NotFound", "InvalidValue", "Conflict", "LedgerMissing", "DateParseError"}


def __getattr__(name: str):
    if name in _LAZY:
        from taskctl import api

        return getattr(api, name)
    raise AttributeError(f"module 'taskctl' has no attribute {name!r}")
