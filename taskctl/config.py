"""Settings read from the environment: today, the user, the database location."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass

from taskctl.errors import InvalidValue


@dataclass(frozen=True)
class Settings:
    """What a ``Ledger`` is used with, when not the process's environment: today and the user."""

    today: dt.date | None = None
    user: str | None = None


_settings: contextvars.ContextVar[Settings | None] = contextvars.ContextVar("taskctl_settings", default=None)


@contextlib.contextmanager
def settings_in_force(settings: Settings) -> Iterator[None]:
    token = _settings.set(settings)
    try:
        yield
    finally:
        _settings.reset(token)


def today() -> dt.date:
    """The ledger's pinned today, else TASKCTL_TODAY (an ISO date) when set, else the system date."""
    settings = _settings.get()
    if settings is not None and settings.today is not None:
        return settings.today
    pinned = os.environ.get("TASKCTL_TODAY", "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            raise InvalidValue("config.bad_today", value=pinned) from None
    return dt.date.today()


def current_user() -> str:
    """The ledger's user, else TASKCTL_USER, else the login name."""
    settings = _settings.get()
    if settings is not None and settings.user:
        return settings.user
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
