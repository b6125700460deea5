"""Reports: builders that read the ledger as of a date and return data (``model.Report``).

    model     Report, Column, Msg: rows with stable keys, column keys, which columns matter most
    rows      the task row every task-shaped report shares (``task_row``, ``task_columns``)
    lists     the ledger view (task list, task show) and the area, unit, leader, progress lists
    tasks     overdue_report 逾期 · due_soon_report 临期 · stale_report 未按时报送
    quarter   quarter_report 季度进展 · rank_report 通报排名
    calendar  calendar_report 日历 · trend_report 进度走势

Every builder reads the ledger through ``taskctl.snapshot.snapshot`` (one query for every
task's facts on D) and the Definitions in ``taskctl.rules``; none imports typer or rich,
and none says a word in the interface language — ``taskctl.render`` does.  Loaded lazily,
so ``taskctl.reports.model`` costs no SQLAlchemy.
"""

from __future__ import annotations

_HOMES = {"overdue_report": "tasks", "due_soon_report": "tasks", "stale_report": "tasks",
          "quarter_report": "quarter", "rank_report": "quarter", "quarter_as_of": "quarter"}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(f"taskctl.reports.{_HOMES[name]}"), name)
    raise AttributeError(name)
