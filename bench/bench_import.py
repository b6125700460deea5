"""How long a 100,000-row ledger takes to import, re-import and export.

    .venv/bin/python bench/bench_import.py                 # SQLite in a temporary directory
    .venv/bin/python bench/bench_import.py --pg            # a temporary PostgreSQL database (TASKCTL_TEST_PG)
    .venv/bin/python bench/bench_import.py --rows 20000 --xlsx
    .venv/bin/python bench/bench_import.py --import-only    # skip the exports (XLSX of 100,000 rows takes a minute)

It generates an office ledger as Excel on a Chinese desktop saves it (GBK CSV,
Chinese headers, deadlines written 6月底前 / 三季度 / 2023-09-30, units by name or
alias, co-operating units split by 、), creates a ledger with the units and
leaders it names, and runs the real command line (`taskctl import tasks`, one
transaction) as a subprocess, timing each step with the wall clock.  Not a
test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TASKCTL = [sys.executable, "-m", "taskctl"]
AREAS = ["扩大投资", "向上争取", "结构调整", "招商引资", "平台建设", "营商环境"]
UNITS = [("双塔区", "county", None), ("龙城区", "county", None), ("北票市", "county", None), ("凌源市", "county", None),
         ("朝阳县", "county", None), ("喀左县", "county", None), ("建平县", "county", None),
         ("朝阳经济技术开发区", "zone", "经开区"), ("市发展和改革委员会", "department", "市发改委"),
         ("市工业和信息化局", "department", "市工信局"), ("市商务局", "department", None), ("市科技局", "department", None),
         ("市财政局", "department", None), ("市营商环境建设局", "department", "市营商局"),
         ("市自然资源局", "department", None), ("市住建局", "department", None), ("朝阳钢铁集团", "enterprise", None),
         ("辽宁朝锂新能源科技有限公司", "enterprise", "朝锂新能源"), ("国家电投朝阳公司", "soe", "国家电投")]
LEADERS = ["杜鑫", "段家喜", "贾洪琳", "徐同连", "米金套", "任振波", "周伟山"]
DUES = ["3月底前", "6月底前", "上半年", "三季度", "年底前", "2023-09-30", "10月31日", "长期坚持", "二季度末", "2023年11月"]


def make_csv(path: Path, rows: int) -> None:
    rnd = random.Random(2023)
    names = [alias or name for name, _, alias in UNITS]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["2023年全市重点工作督办台账"])
    writer.writerow(["序号", "聚焦领域", "工作任务", "具体内容", "牵头单位", "配合单位", "责任领导", "开始时间", "完成时限",
                     "计划投资（万元）", "标签", "备注"])
    for i in range(1, rows + 1):
        co = rnd.sample(names, rnd.randint(0, 3))
        writer.writerow([str(i), AREAS[i % 6], f"第{i}号重点项目建设（{rnd.choice(['开工', '续建', '投产'])}）",
                         "按月调度，倒排工期，确保按期完成。", rnd.choice(names), "、".join(co), rnd.choice(LEADERS),
                         "", rnd.choice(DUES), f"{rnd.randint(100, 500000):,}", rnd.choice(["开门红", "十五项重大工程", ""]),
                         ""])
    path.write_bytes(buf.getvalue().encode("gbk"))


def make_xlsx(csv_path: Path, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    text = csv_path.read_bytes().decode("gbk")
    for row in csv.reader(io.StringIO(text)):
        ws.append(row)
    wb.save(path)


def cli(env: dict, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([*TASKCTL, *args], env=env, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"taskctl {' '.join(args)} failed:\n{proc.stderr}")
    return elapsed, (proc.stdout.strip().splitlines() or [""])[-1]


def seed(url: str) -> None:
    from taskctl import ledger as L
    from taskctl.db import open_ledger, transaction

    with transaction(open_ledger(url)) as session:
        for name, kind, alias in UNITS:
            L.add_unit(session, name=name, kind=kind, aliases=[alias] if alias else [])
        for name in LEADERS:
            L.add_leader(session, name=name)


def phases(url: str, big: Path) -> None:
    """The same import in-process, phase by phase, on a second fresh ledger."""
    import datetime as dt

    from taskctl import ledger as L
    from taskctl.db import create_ledger, open_ledger, transaction
    from taskctl.transfer import ledger_import as I
    from taskctl.transfer.source import read_table

    with transaction(create_ledger(url)) as session:
        L.seed(session, year=2023)
    seed(url)
    clock = time.perf_counter
    t0 = clock()
    table = read_table(big, "tasks")
    t1 = clock()
    with transaction(open_ledger(url)) as session:
        result, parsed, ctx = I.plan_tasks(session, table, today=dt.date(2023, 3, 31), year=2023)
        t2 = clock()
        I.apply_tasks(session, result, parsed, ctx, today=dt.date(2023, 3, 31))
        t3 = clock()
    t4 = clock()
    print(f"in-process: read {t1 - t0:.1f}s, check {t2 - t1:.1f}s, write {t3 - t2:.1f}s, commit {t4 - t3:.1f}s "
          f"= {t4 - t0:.1f}s for {result.added:,} tasks", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true", help="use a temporary PostgreSQL database")
    parser.add_argument("--xlsx", action="store_true", help="also time an XLSX import of the same rows")
    parser.add_argument("--import-only", action="store_true", help="skip the (slow) exports")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        pg_name = None
        admin = os.environ.get("TASKCTL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
        if args.pg:
            import psycopg

            pg_name = f"taskctl_bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{pg_name}"')
            url = f"{admin.rsplit('/', 1)[0]}/{pg_name}"
        else:
            url = str(tmp_path / "ledger.db")
        env = dict(os.environ, TASKCTL_DB=url, TASKCTL_TODAY="2023-03-31", TASKCTL_LANG="en", TASKCTL_USER="bench")
        second = None
        try:
            from taskctl.config import database_url

            results = []
            big = tmp_path / "ledger-100k.csv"
            t0 = time.perf_counter()
            make_csv(big, args.rows)
            print(f"generated {args.rows:,} rows ({big.stat().st_size / 1e6:.1f} MB, GBK) in "
                  f"{time.perf_counter() - t0:.1f}s", flush=True)
            cli(env, "init", "--year", "2023")
            seed(database_url(url))
            for label, cmd in (
                ("import tasks --dry-run (check only)", ["import", "tasks", str(big), "--dry-run"]),
                ("import tasks (one transaction)", ["import", "tasks", str(big)]),
                ("import tasks again (all matched, unchanged)", ["import", "tasks", str(big)]),
                ("export ledger --format csv", ["export", "ledger", "-o", str(tmp_path / "out.csv")]),
                ("export ledger --format xlsx", ["export", "ledger", "-o", str(tmp_path / "out.xlsx")]),
                ("export weekly --format xlsx", ["export", "weekly", "-o", str(tmp_path / "weekly.xlsx")]),
            ):
                if args.import_only and cmd[0] == "export":
                    continue
                elapsed, last = cli(env, *cmd)
                if "--dry-run" in cmd:
                    last = last.split(" — ")[-1]
                results.append((label, elapsed, last))
                print(f"{elapsed:7.1f}s  {label}: {last}", flush=True)
            if args.xlsx:
                xlsx = tmp_path / "ledger-100k.xlsx"
                make_xlsx(big, xlsx)
                elapsed, last = cli(env, "import", "tasks", str(xlsx), "--dry-run")
                print(f"{elapsed:7.1f}s  import tasks FILE.xlsx --dry-run: {last.split(' — ')[-1]}", flush=True)
            if args.pg:
                import psycopg

                second = f"{pg_name}_b"
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{second}"')
                phases(database_url(f"{admin.rsplit('/', 1)[0]}/{second}"), big)
            else:
                phases(database_url(str(tmp_path / "second.db")), big)
            backend = "PostgreSQL" if args.pg else "SQLite"
            print(f"\n{backend}, {args.rows:,} rows, Python {sys.version.split()[0]} — wall-clock times include "
                  "start-up (about 0.5 s)")
        finally:
            if pg_name:
                import psycopg

                from taskctl.db import dispose_all

                dispose_all()
                with psycopg.connect(admin, autocommit=True) as conn:
                    for name in (pg_name, second):
                        if name:
                            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
