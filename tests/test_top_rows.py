"""A table shows the first rows: the reports build only those, and say exactly what the whole report says.

`overdue` and `due-soon` on a terminal show 50 rows; at 100,000 tasks building every row to show 50 cost
seconds.  With ``first=N`` the builder orders the tasks by their due date in force in SQL and reads only
N of them whole — the rows must be the first N of the full report, and the count and footer the full ones.
"""

from __future__ import annotations

import datetime as dt
import io

from tests.conftest import as_json, ok

DAYS = [dt.date(2023, 1, 15), dt.date(2023, 2, 28), dt.date(2023, 3, 31), dt.date(2023, 6, 30), dt.date(2023, 9, 1)]


def _same(full, part, first: int) -> None:
    from taskctl.i18n import speaking

    assert part.rows == full.rows[:first]
    assert part.total == full.total
    with speaking("zh"):
        assert part.to_json(first) == full.to_json(first)
        assert part.to_markdown(first) == full.to_markdown(first)


def test_the_first_overdue_rows_are_the_full_reports_first(demo_env):
    from taskctl.api import Ledger

    compared = 0
    with Ledger.open(demo_env) as ledger:
        for day in DAYS:
            full = ledger.overdue(as_of=day)
            for first in (0, 1, 2, 3, 50):
                _same(full, ledger.overdue(as_of=day, first=first), first)
                compared += 1
            assert ledger.overdue(as_of=day, unit="朝阳经济技术开发区", first=1).total == \
                ledger.overdue(as_of=day, unit="朝阳经济技术开发区").total
        # grouped: every member is needed for the groups' order, so first= builds them all
        grouped = ledger.overdue(as_of=dt.date(2023, 6, 30), group_by="unit", first=1)
        assert grouped.rows == ledger.overdue(as_of=dt.date(2023, 6, 30), group_by="unit").rows
        assert len(grouped.rows) > 1
    assert compared == 25
    assert ledger.overdue(as_of=dt.date(2023, 6, 30)).total > 3  # the cut really cuts


def test_the_first_due_soon_rows_are_the_full_reports_first(demo_env):
    from taskctl.api import Ledger

    cut = 0
    with Ledger.open(demo_env) as ledger:
        for day in DAYS:
            for days, working in ((7, False), (30, False), (20, True), (90, False)):
                full = ledger.due_soon(as_of=day, days=days, working=working)
                for first in (0, 1, 2, 50):
                    _same(full, ledger.due_soon(as_of=day, days=days, working=working, first=first), first)
                    cut += first < full.total
    assert cut > 10


def test_a_terminal_table_builds_fifty_and_a_pipe_builds_all():
    from taskctl.render import TERMINAL_ROWS, rows_shown

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert rows_shown("table", None, False, Tty()) == TERMINAL_ROWS == 50
    assert rows_shown("table", None, False, io.StringIO()) is None  # a pipe: every row, as before
    assert rows_shown("table", 7, False, io.StringIO()) == 7
    assert rows_shown("json", None, False, Tty()) is None
    assert rows_shown("table", 7, True, Tty()) is None


def test_the_table_says_how_many_rows_it_left_out(demo_env):
    out = ok("overdue", "--as-of", "2023-06-30", "--limit", "2")
    full = ok("overdue", "--as-of", "2023-06-30")
    total = as_json("overdue", "--as-of", "2023-06-30")["total"]
    assert total > 2 and f"{total} overdue" in out
    assert f"{total - 2} more rows" in out
    assert out.splitlines()[-2] == full.splitlines()[-1]  # the footer counts every overdue task


def test_the_first_rows_of_the_task_list_and_its_state_counts(demo_env):
    """The ledger's first rows, with a footer that still counts every task's state."""
    from taskctl.api import Ledger

    compared = 0
    with Ledger.open(demo_env) as ledger:
        for day in DAYS:
            for filters in ({}, {"open_only": True}, {"area": "扩大投资"}, {"status": "已完成"}):
                full = ledger.tasks(as_of=day, **filters)
                for first in (0, 1, 5, 50):
                    part = ledger.tasks(as_of=day, first=first, **filters)
                    _same(full, part, first)
                    assert part.footer == full.footer
                    compared += first < full.total
    assert compared > 40


def test_the_first_stale_rows_are_the_full_lists_first_with_every_groups_size(demo_env):
    """Stale is grouped by lead unit (most stale units first): the first rows in that order, and each
    group's title still counts its whole group."""
    from taskctl.api import Ledger
    from taskctl.render.cells import group_counts

    cut = 0
    with Ledger.open(demo_env) as ledger:
        for day in DAYS:
            for days in (0, 7, 30):
                full = ledger.stale(as_of=day, days=days)
                for first in (0, 1, 3, 50):
                    part = ledger.stale(as_of=day, days=days, first=first)
                    assert [r["id"] for r in part.rows] == [r["id"] for r in full.rows[:first]]
                    assert part.total == full.total and part.meta == full.meta and part.footer == full.footer
                    whole = group_counts(full)
                    assert all(whole[k] == v for k, v in group_counts(part).items())
                    cut += 0 < first < full.total and len(full.meta["groups"]) > 1
    assert cut > 5
