"""Generate a big ledger fast: N tasks (default 100,000) with a year of dated history.

    .venv/bin/python bench/make_big_ledger.py /tmp/big.db                 # 100,000 tasks, SQLite
    .venv/bin/python bench/make_big_ledger.py /tmp/big.db --tasks 20000
    .venv/bin/python bench/make_big_ledger.py postgresql://postgres@127.0.0.1:5432/big   # an existing, empty database

The ledger is created like `taskctl init --year 2023` (schema, six areas), then filled
with bulk INSERTs through SQLAlchemy Core — no ORM objects, no history rows — in one
transaction.  Deterministic for a given --seed.  Per task, on average: 3 progress
updates (backdated through Q1), 0.4 co-operating units, 0.3 tags; 12% done, 3% paused,
2% cancelled (dated status changes), 6% extended; 20% with quarterly targets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

YEAR = 2023
KINDS = ("county", "zone", "department", "enterprise", "soe")
QUARTER_ENDS = (dt.date(YEAR, 3, 31), dt.date(YEAR, 6, 30), dt.date(YEAR, 9, 30), dt.date(YEAR, 12, 31))
TAGS = ("十五项重大工程", "省重点", "专班推进", "开门红", "数字经济")
NOTES = ("已完成项目备案", "正在办理用地手续", "主体工程施工中", "设备安装调试", "已签约待落地", None)
BATCH = 20000


def build(url: str, *, tasks: int, seed: int) -> dict[str, int]:
    from sqlalchemy import insert, select

    from taskctl import ledger as L
    from taskctl.config import database_url
    from taskctl.db import create_ledger, transaction
    from taskctl.models import Area, Extension, Leader, Progress, StatusChange, Task, TaskTag, TaskUnit, Unit

    rng = random.Random(seed)
    engine = create_ledger(database_url(url))
    with transaction(engine) as session:
        L.seed(session, year=YEAR)
        area_ids = list(session.execute(select(Area.id).order_by(Area.number)).scalars())
    now = dt.datetime(YEAR, 3, 31, 12, 0, tzinfo=dt.timezone.utc)

    units = [{"name": f"单位{i:03d}", "kind": KINDS[i % len(KINDS)], "contact_person": f"联系人{i:03d}",
              "contact_phone": f"0421-{2800000 + i}"} for i in range(1, 201)]
    leaders = [{"name": f"领导{i:02d}", "title": "副市长"} for i in range(1, 31)]
    counts = {"unit": len(units), "leader": len(leaders)}
    rows: dict[str, list[dict]] = {"task": [], "task_unit": [], "task_tag": [], "progress": [], "status_change": [],
                                   "extension": []}

    def flush(conn, force: bool = False) -> None:
        for name, model in (("task", Task), ("task_unit", TaskUnit), ("task_tag", TaskTag), ("progress", Progress),
                            ("status_change", StatusChange), ("extension", Extension)):
            if rows[name] and (force or len(rows[name]) >= BATCH):
                conn.execute(insert(model.__table__), rows[name])
                counts[name] = counts.get(name, 0) + len(rows[name])
                rows[name].clear()

    with engine.begin() as conn:
        conn.execute(insert(Unit.__table__), units)
        conn.execute(insert(Leader.__table__), leaders)
        unit_ids = list(range(1, len(units) + 1))
        leader_ids = list(range(1, len(leaders) + 1))
        for task_id in range(1, tasks + 1):
            start = dt.date(YEAR, 1, 1) if rng.random() < 0.7 else dt.date(YEAR, 1, 1) + dt.timedelta(rng.randrange(120))
            r = rng.random()
            due = None if r < 0.05 else start + dt.timedelta(days=rng.randrange(15, 365))
            if due is not None and due.year > YEAR:
                due = dt.date(YEAR, 12, 31)
            targeted = rng.random() < 0.2
            lead = rng.choice(unit_ids) if rng.random() > 0.01 else None
            rows["task"].append({
                "id": task_id, "area_id": rng.choice(area_ids), "title": f"重点任务{task_id:06d}",
                "lead_unit_id": lead, "leader_id": rng.choice(leader_ids) if rng.random() < 0.8 else None,
                "start": start, "due": due, "due_text": due.isoformat() if due else "长期坚持", "status": "active",
                "invest": float(rng.randrange(100, 200000)) if rng.random() < 0.4 else None,
                "target_q1": 20.0 if targeted else None, "target_q2": 50.0 if targeted else None,
                "target_q3": 80.0 if targeted else None, "target_q4": 100.0 if targeted else None,
                "created_at": now, "updated_at": now,
            })
            if rng.random() < 0.4:
                co = rng.choice(unit_ids)
                if co != lead:
                    rows["task_unit"].append({"task_id": task_id, "unit_id": co, "position": 0})
            if rng.random() < 0.3:
                rows["task_tag"].append({"task_id": task_id, "tag": rng.choice(TAGS)})
            percent = 0.0
            day = start
            for _ in range(rng.randrange(0, 7)):
                day = day + dt.timedelta(days=rng.randrange(5, 30))
                if day > dt.date(YEAR, 3, 31):
                    break
                percent = min(100.0, percent + rng.randrange(5, 30))
                rows["progress"].append({
                    "task_id": task_id, "on_date": day, "percent": percent,
                    "invest_done": float(rng.randrange(0, 50000)) if rng.random() < 0.3 else None,
                    "note": rng.choice(NOTES), "recorded_by": "bench", "recorded_at": now})
            r = rng.random()
            status_day = min(dt.date(YEAR, 3, 31), start + dt.timedelta(days=rng.randrange(10, 90)))
            status = "done" if r < 0.12 else "paused" if r < 0.15 else "cancelled" if r < 0.17 else None
            if status:
                rows["status_change"].append({"task_id": task_id, "status": status, "on_date": status_day,
                                              "recorded_by": "bench", "recorded_at": now})
                rows["task"][-1]["status"] = status
            if due is not None and rng.random() < 0.06:
                granted = min(dt.date(YEAR, 3, 31), start + dt.timedelta(days=rng.randrange(5, 80)))
                rows["extension"].append({"task_id": task_id, "on_date": granted, "old_due": due,
                                          "new_due": min(dt.date(YEAR, 12, 31), due + dt.timedelta(days=60)),
                                          "reason": "项目前期手续办理", "recorded_by": "bench", "recorded_at": now})
            if len(rows["task"]) >= BATCH:
                flush(conn, force=True)
        flush(conn, force=True)
        if engine.dialect.name == "postgresql":  # keep the sequences ahead of the explicit ids
            for table in ("task", "unit", "leader"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
    with engine.begin() as conn:  # planner statistics, as a ledger that has been in use would have
        conn.exec_driver_sql("ANALYZE")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="an SQLite file (must not exist) or an empty PostgreSQL database URL")
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    if "://" not in args.db and Path(args.db).exists():
        parser.error(f"{args.db} exists; give a new file")
    began = time.perf_counter()
    counts = build(args.db, tasks=args.tasks, seed=args.seed)
    took = time.perf_counter() - began
    print(f"{args.db}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" in {took:.1f}s")


if __name__ == "__main__":
    main()
