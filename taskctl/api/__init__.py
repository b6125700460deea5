"""taskctl as a library: ``Ledger`` opens a ledger and answers in the ledger's own terms.

    from taskctl import Ledger

    with Ledger.open("ledger.db") as ledger:
        report = ledger.overdue(as_of="3月底", unit="东城区")
        report.rows[0]["days_overdue"]; report.to_json(); report.to_csv()

Names (areas, units, leaders) and dates are taken as a user types them on the
command line and resolved here, once: "3月底", "发改委", "扩大投资".  Each call is
one transaction — a write that fails leaves the ledger as it was — and raises the
``TaskctlError`` classes of ``taskctl.errors`` (exported here too).  Settings —
the database, today, the user — belong to the ``Ledger`` object, not to the
process, so two ledgers can be open side by side.  Every command of the CLI is
a thin client of one method here.

The methods live by concern, one module each; ``Ledger`` gathers them:

    base.py       opening, transactions, today, the user
    resolve.py    names, dates, quarters and filters as typed (shared with nothing else)
    reports.py    the task list, one task, the reports, calendar, trend
    tasks.py      tasks, status, extensions, closing requests, instructions, progress
    directory.py  units, leaders, areas, users, holidays
    documents.py  the bulletin, notice slips, the ladder
    transfer.py   exports and imports (weekly, form, ledger, tasks, progress, minutes)
    admin.py      create, upgrade, info, check, backup, log, undo

Nothing here imports SQLAlchemy at module level: ``import taskctl.api`` stays light.
"""

from __future__ import annotations

from taskctl.api.admin import Admin
from taskctl.api.base import LedgerBase
from taskctl.api.directory import Directory
from taskctl.api.documents import Documents
from taskctl.api.reports import Reports
from taskctl.api.resolve import (
    DATE_RANGE, GROUP_WORDS, DateLike, choice, in_range, optional_day, parse_optional_day, resolve_day,
    resolve_filters, resolve_parsed, resolve_quarter, resolve_units, split_names, task_row,
)
from taskctl.api.tasks import Tasks
from taskctl.api.transfer import Transfer
from taskctl.errors import Conflict, DateParseError, InvalidValue, LedgerMissing, NotFound, TaskctlError

__all__ = ["Ledger", "TaskctlError", "NotFound", "InvalidValue", "Conflict", "LedgerMissing", "DateParseError",
           "DateLike", "GROUP_WORDS", "DATE_RANGE", "choice", "in_range", "optional_day", "parse_optional_day",
           "resolve_day", "resolve_filters", "resolve_parsed", "resolve_quarter", "resolve_units", "split_names",
           "task_row"]


class Ledger(Reports, Tasks, Directory, Documents, Transfer, Admin, LedgerBase):
    """One ledger (an SQLite file or a PostgreSQL database) and the settings it is used with.

    ``Ledger.open(db, today=, user=)`` an existing one; ``Ledger.create(db, year=)`` a new one.
    """
