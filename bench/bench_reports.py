"""How long the reports take on a big ledger (see make_big_ledger.py).

    .venv/bin/python bench/make_big_ledger.py /tmp/big.db          # once: 100,000 tasks
    .venv/bin/python bench/bench_reports.py /tmp/big.db            # in-process builders + the real command line
    .venv/bin/python bench/bench_reports.py /tmp/big.db --repeat 5

Two views of each report, both with the wall clock, best of --repeat runs:
  build    snapshot() + the report builder in this process (what the weekly export pays)
  command  `taskctl REPORT --format json` (and `--format table` for overdue and quarter) as a
           subprocess writing to /dev/null: start-up, query, rendering — what a user waits for.
Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AS_OF = dt.date(2023, 3, 31)


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="the ledger (SQLite file or URL)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from taskctl.config import database_url
    from taskctl.db import open_ledger, transaction
    from taskctl.reports import due_soon_report, overdue_report, quarter_report, rank_report, stale_report
    from taskctl.snapshot import Filters, snapshot

    engine = open_ledger(database_url(args.db))
    builders = {
        "snapshot (all tasks)": lambda s: snapshot(s, AS_OF, Filters()),
        "overdue": lambda s: overdue_report(s, as_of=AS_OF, filters=Filters()),
        "overdue --group-by unit": lambda s: overdue_report(s, as_of=AS_OF, filters=Filters(), group_by="unit"),
        "due-soon": lambda s: due_soon_report(s, as_of=AS_OF, filters=Filters()),
        "stale": lambda s: stale_report(s, as_of=AS_OF, filters=Filters()),
        "quarter 2023Q1": lambda s: quarter_report(s, year=2023, quarter=1, filters=Filters(), as_of=AS_OF),
        "quarter 2023Q1 --by unit": lambda s: quarter_report(s, year=2023, quarter=1, by="unit", filters=Filters(),
                                                             as_of=AS_OF),
        "rank 2023Q1": lambda s: rank_report(s, year=2023, quarter=1, filters=Filters(), as_of=AS_OF),
    }
    print(f"ledger: {args.db}; as of {AS_OF}; best of {args.repeat}")
    print(f"{'build (in process)':<34}{'seconds':>9}{'rows':>10}")
    for name, build in builders.items():
        def run():
            with transaction(engine) as session:
                return build(session)
        took, result = best(run, args.repeat)
        rows = len(result) if isinstance(result, list) else len(result.rows)
        print(f"{name:<34}{took:>9.2f}{rows:>10,}")

    env = dict(os.environ, TASKCTL_DB=args.db, TASKCTL_TODAY=AS_OF.isoformat(), TASKCTL_LANG="zh")
    commands = [["overdue", "--format", "json"], ["overdue"], ["due-soon", "--format", "json"],
                ["stale", "--format", "json"], ["quarter", "--format", "json"], ["quarter"],
                ["quarter", "--by", "unit", "--format", "json"], ["rank", "--format", "json"]]
    print(f"\n{'command (subprocess, stdout to /dev/null)':<44}{'seconds':>9}")
    for command in commands:
        def run_cli():
            with open(os.devnull, "w") as sink:
                subprocess.run([sys.executable, "-m", "taskctl", *command], env=env, stdout=sink, check=True)
        took, _ = best(run_cli, args.repeat)
        print(f"{'taskctl ' + ' '.join(command):<44}{took:>9.2f}")


if __name__ == "__main__":
    main()
