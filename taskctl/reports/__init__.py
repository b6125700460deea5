"""The reports the secretariat opens taskctl for — each a pure builder returning a ``Report``.

    overdue_report    逾期任务: most overdue first, optionally one table per unit/area/leader
    due_soon_report   临期任务: open tasks due within N days
    stale_report      未按时报送: active tasks with no update for N days, by lead unit with its contact
    quarter_report    季度进展: coverage per PRODUCT.md, per area/unit/leader and in total
    rank_report       通报排名: lead units in PRODUCT.md's order, ties share a rank, last three flagged

Every builder reads the ledger through ``taskctl.snapshot.snapshot`` (one query) and
the Definitions in ``taskctl.rules``; none imports typer or rich.
"""

from taskctl.reports.quarter import quarter_as_of, quarter_report, rank_report
from taskctl.reports.tasks import due_soon_report, overdue_report, stale_report

__all__ = ["due_soon_report", "overdue_report", "quarter_as_of", "quarter_report", "rank_report", "stale_report"]
