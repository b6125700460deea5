"""One hierarchy for user errors.

The CLI turns any ``TaskctlError`` into one translated line on stderr and its
``exit_code``; nothing else needs to catch them.  The message is a catalogue
key plus parameters so that it is rendered in the interface language.
"""

from __future__ import annotations


class TaskctlError(Exception):
    """A user error: bad input, unknown name, a refused operation."""

    exit_code = 1
    key = "error.generic"

    def __init__(self, key: str | None = None, /, **params: object) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.key)

    def message(self) -> str:
        from taskctl.cleaning import one_line
        from taskctl.i18n import catalogues, t

        # what the user typed is quoted on one line, whatever it holds (newlines, controls, surrogates)
        params = {k: one_line(v) if isinstance(v, str) else v for k, v in self.params.items()}
        known = catalogues()["en"]
        # `kind`, `field`, `status`, `stage` and `verb` name things of the ledger: show them in the interface language
        for name, prefix in (("kind", "kind_word."), ("field", "col."), ("status", "status."), ("stage", "stage."),
                             ("verb", "verb.")):
            value = params.get(name)
            if isinstance(value, str) and prefix + value in known:
                params[name] = t(prefix + value)
        return one_line(t(self.key, **params), limit=2000)

    def __str__(self) -> str:  # readable in tracebacks and test failures
        try:
            return self.message()
        except Exception:  # pragma: no cover - catalogue problems must not hide the error
            return f"{self.key} {self.params}"


class NotFound(TaskctlError):
    """An area, unit, leader, task or update that does not exist."""

    key = "error.not_found"


class InvalidValue(TaskctlError):
    """A value that cannot be accepted (percent of 150, empty title, ...)."""

    key = "error.invalid"


class Conflict(TaskctlError):
    """The change would break a rule of the ledger (duplicate name, ...)."""

    key = "error.conflict"


class LedgerMissing(TaskctlError):
    """No ledger where --db points (exit 3: the ledger cannot be used)."""

    exit_code = 3
    key = "error.no_ledger"


class DateParseError(InvalidValue):
    """Text that is not a date the parser understands."""

    key = "date.unreadable"


class LedgerUnusable(TaskctlError):
    """The ledger cannot be used: unreachable, corrupt, not taskctl's, a newer or outdated schema (exit 3)."""

    exit_code = 3
    key = "db.unusable"


class ChangedByOthers(TaskctlError):
    """Refused because someone else changed the same rows later (undo over another user's change; exit 4)."""

    exit_code = 4
    key = "undo.conflict"
