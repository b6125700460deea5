"""Opening a ledger, its transactions and its settings (today, the user)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from taskctl.api.resolve import DateLike, iso_day, resolve_day
from taskctl.config import Settings, settings_in_force

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from taskctl.reader import Reader


class LedgerBase:
    """One ledger (an SQLite file or a PostgreSQL database) and the settings it is used with."""

    def __init__(self, url: str, engine: "Engine | None", settings: Settings) -> None:
        self.url = url
        self._engine = engine
        self.settings = settings

    @classmethod
    def open(cls, db: str | None = None, *, today: DateLike = None, user: str | None = None,
             lazy: bool = False):
        """An existing ledger: a path or SQLAlchemy URL, else TASKCTL_DB, else the user's data directory.

        ``today`` pins the date reports default to (else TASKCTL_TODAY, else the system date);
        ``user`` is who the history records (else TASKCTL_USER, else the login name).  ``lazy``: the
        ledger is checked (it exists, its schema is current) on its first transaction, not now — the
        command line opens it so, so that a wrong option is reported before a missing ledger.
        """
        from taskctl.config import database_url

        ledger = cls(database_url(db), None, Settings(today=iso_day(today), user=user))
        if not lazy:
            ledger.engine  # noqa: B018 — opens it
        return ledger

    @property
    def engine(self) -> "Engine":
        if self._engine is None:
            from taskctl.db import open_ledger

            with settings_in_force(self.settings):
                self._engine = open_ledger(self.url)
        return self._engine

    def close(self) -> None:
        from taskctl.db import dispose

        dispose(self.url)

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self, *, write: bool = True) -> Iterator["Session"]:
        """The ORM session of one transaction, with this ledger's settings in force (for scripts that
        need more than the methods); ``write=False`` for one that only reads (on SQLite it then never
        waits for a writer)."""
        from taskctl import roles
        from taskctl.db import transaction

        engine = self.engine
        roles.note_task(None)
        with settings_in_force(self.settings):
            who = None
            try:
                with transaction(engine, write=write) as session:
                    who = roles.caller(session)
                    yield session
            except Exception as exc:
                # the database refused the caller's role (RLS, grants): one line naming no other unit's task
                if who is not None and roles.is_refusal(exc):
                    raise roles.refusal(who) from None
                raise

    @contextlib.contextmanager
    def reading(self) -> Iterator["Reader"]:
        """A ``Reader`` for one read-only transaction: the database driver itself (sqlite3, psycopg) with
        no SQLAlchemy, when the ledger is plainly there and current — what makes a report instant at the
        desk.  Anything else (a missing file, an older schema, a server that does not answer, an SQLite
        database in memory) goes through ``transaction``, which upgrades the ledger or says in one line
        what is wrong."""
        with self._direct(write=False) as reader:
            yield reader

    @contextlib.contextmanager
    def writing(self) -> Iterator["Reader"]:
        """A ``Reader`` for one transaction that writes with SQL text (``taskctl.updates``): committed on
        success, rolled back on any error; the driver itself when it can be, else ``transaction``'s."""
        with self._direct(write=True) as writer:
            yield writer

    @contextlib.contextmanager
    def _direct(self, *, write: bool) -> Iterator["Reader"]:
        from taskctl import roles
        from taskctl.reader import close_reader, open_reader, reader_of

        roles.note_task(None)
        with settings_in_force(self.settings):
            reader = open_reader(self.url, write=write)
            if reader is None:
                with self.transaction(write=write) as session:
                    yield reader_of(session)
                return
            who = None
            done = False
            try:
                who = roles.caller(reader)
                yield reader
                done = True
            except Exception as exc:
                # the database refused the caller's role (RLS, grants): one line naming no other unit's task
                if who is not None and roles.is_refusal(exc):
                    raise roles.refusal(who) from None
                raise
            finally:
                close_reader(reader, commit=done and write)

    @contextlib.contextmanager
    def settings_in_force(self) -> Iterator[None]:
        """This ledger's today and user for code run outside a transaction."""
        with settings_in_force(self.settings):
            yield

    def today(self) -> dt.date:
        from taskctl.config import today

        with settings_in_force(self.settings):
            return today()

    def user(self) -> str:
        """Who the history records for this ledger's changes."""
        from taskctl.config import current_user

        with settings_in_force(self.settings):
            return current_user()

    def date(self, text: DateLike, *, role: str = "end") -> dt.date:
        """A date as the ledger reads it ("3月底", "2023-03-31", "eom"); None means today."""
        with self.reading() as q:
            return resolve_day(q, text, role=role)
