"""Settings read from the environment: today, the user, the database location."""

from __future__ import annotations

import datetime as dt
import os

from taskctl.errors import InvalidValue


def today() -> dt.date:
    """The system date, or TASKCTL_TODAY (an ISO date) when set."""
    pinned = os.environ.get("TASKCTL_TODAY", "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            raise InvalidValue("config.bad_today", value=pinned) from None
    return dt.date.today()


def current_user() -> str:
    """TASKCTL_USER, else the login name."""
    user = os.environ.get("TASKCTL_USER", "").strip()
    if user:
        return user
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def default_db_path() -> str:
    from platformdirs import user_data_dir

    return os.path.join(user_data_dir("taskctl", appauthor=False), "ledger.db")


def database_url(option: str | None = None) -> str:
    """--db, else TASKCTL_DB, else the SQLite file in the user's data directory.

    A value with ``://`` is a SQLAlchemy URL; anything else is a SQLite file path.
    """
    raw = option or os.environ.get("TASKCTL_DB", "").strip() or default_db_path()
    if "://" in raw:
        if raw.startswith("postgres://"):
            raw = "postgresql://" + raw[len("postgres://"):]
        if raw.startswith("postgresql://"):
            raw = "postgresql+psycopg://" + raw[len("postgresql://"):]
        return raw
    return "sqlite:///" + os.path.abspath(os.path.expanduser(raw))
