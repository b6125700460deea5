"""Generate a benchmark ledger: N tasks with M progress updates each, deterministic by seed.

    .venv/bin/python bench/generate.py out/bench/big.db --tasks 100000 --updates 10
    .venv/bin/python bench/generate.py postgresql://postgres@127.0.0.1:5432/taskctl_big --tasks 100000
    .venv/bin/python bench/generate.py out/bench/big.db --tasks 1000 --csv out/bench/1000.csv --taskwarrior out/bench/1000.json
    .venv/bin/python bench/generate.py --tasks 1000 --csv out/bench/1000.csv     # files only, no ledger
    .venv/bin/python bench/generate.py out/bench/skeleton.db --tasks 0           # units and leaders only

The ledger is created by the real `taskctl --db DB init --year 2023` (a PostgreSQL
database that does not exist yet is created first), then filled with bulk inserts
(SQLAlchemy Core executemany on SQLite, COPY on PostgreSQL) into the tables as the
ledger has them (reflected, so a column added later does not break the generator),
in one transaction, without history rows.  Same seed, same N and M, same --as-of =
the same tasks on either backend, in the CSV and in the Taskwarrior JSON.

What a task looks like: six areas; about 100 units of the five kinds (counties and
districts, economic zones, departments, key enterprises, central SOEs), some with a
short name; 20 leaders; start on 1 January for most, else spread over the months
before --as-of; due dates over the year as offices write them (3月底前, 上半年, 年底前,
2023-05-20 …; 5 % ongoing), 15 % with quarterly targets, 40 % with planned
investment; 30 % done, 4 % paused, 2 % cancelled (dated status changes); 8 %
extended (a few twice); M updates per task on average (5 % of open tasks have none
yet, 5 % have 2·M) dated from the start up to --as-of, with cumulative percent,
investment done, stage, and the three parts of a report.  All history is dated on
or before --as-of, so the ledger is the one the office holds on that day.

--csv writes the same tasks as an office ledger for `taskctl import tasks`
(UTF-8 with BOM, Chinese headers, deadlines as typed, status and its date).
--taskwarrior writes them as a JSON array for `task import`: project = area key,
entry = start, due = the due date in force at the end of its day, status
pending/completed/deleted (paused = waiting until 2099, without its due date,
which Taskwarrior would count as overdue), UDAs unit, leader and
percent (the latest update); --tw-annotations adds every update as an annotation.
Taskwarrior judges "overdue" against the real clock, so every date in that file is
moved by (--tw-today − --as-of) days: `task overdue` today lists the tasks that
`taskctl overdue` lists as of --as-of.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from taskctl import facts

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2023
AS_OF = dt.date(2023, 7, 1)
BATCH = 10_000
# Bump when the same seed, N and M would give different ledgers or files: bench/run.py keys its cache on it.
GENERATOR_VERSION = 5  # 3: task_fact filled once after the load; 4, 5: its triggers changed
SOURCE = "2023年全市重点工作调度推进会议"
AREAS = (("investment", "扩大投资"), ("upward", "向上争取"), ("structure", "结构调整"), ("attraction", "招商引资"),
         ("platform", "平台建设"), ("environment", "营商环境"))
AREA_WEIGHTS = (30, 12, 16, 18, 12, 12)

COUNTIES = ("双塔区", "龙城区", "北票市", "凌源市", "朝阳县", "喀左县", "建平县", "东城区", "西城区", "南山县", "北岭县",
            "河口市")
ZONES = ("朝阳经济技术开发区", "朝阳高新技术产业开发区", "北票经济开发区", "凌源经济开发区", "喀左经济开发区",
         "建平经济开发区", "朝阳县经济开发区", "双塔经济开发区", "龙城经济开发区", "朝阳综合保税区")
DEPARTMENTS = (("市发展和改革委员会", "市发改委"), ("市工业和信息化局", "市工信局"), ("市商务局", None), ("市科技局", None),
               ("市财政局", None), ("市营商环境建设局", "市营商局"), ("市自然资源局", None),
               ("市住房和城乡建设局", "市住建局"), ("市交通运输局", None), ("市水务局", None), ("市农业农村局", None),
               ("市生态环境局", None), ("市人力资源和社会保障局", "市人社局"), ("市教育局", None),
               ("市卫生健康委员会", "市卫健委"), ("市文化旅游和广播电视局", "市文旅局"), ("市应急管理局", None),
               ("市市场监督管理局", "市市场监管局"), ("市税务局", None), ("市统计局", None), ("市审计局", None),
               ("市司法局", None), ("市民政局", None), ("市公安局", None), ("市城市管理综合行政执法局", "市城管局"),
               ("市国有资产监督管理委员会", "市国资委"), ("市金融发展局", None), ("市数据局", None),
               ("市政务服务中心", None), ("市公共资源交易中心", None), ("市林业和草原局", None), ("市能源局", None),
               ("市粮食和物资储备局", None), ("市医疗保障局", "市医保局"), ("市退役军人事务局", None), ("市体育局", None),
               ("市信访局", None), ("市档案局", None), ("市机关事务服务中心", None), ("市投资促进中心", "市投促中心"),
               ("市住房公积金管理中心", None), ("市供销合作社", "市供销社"), ("市科学技术协会", "市科协"),
               ("市工商业联合会", "市工商联"), ("市气象局", None), ("市人民防空办公室", "市人防办"),
               ("市地方金融监督管理局", "市金融局"), ("市外事办公室", "市外办"), ("市乡村振兴局", None),
               ("市口岸办公室", None))
ENTERPRISES = ("朝阳钢铁集团", ("辽宁朝锂新能源科技有限公司", "朝锂新能源")) + tuple(
    f"朝阳{w}有限公司" for w in ("新材料", "装备制造", "光伏科技", "风电设备", "食品", "医药", "汽车零部件", "冶金",
                              "化工", "农产品加工", "数字科技", "现代物流", "建材", "电子信息", "氢能", "纺织", "环保科技",
                              "文旅发展", "陶瓷", "镁业", "硅业", "精密机械"))
SOES = (("国家电投朝阳公司", "国家电投"), ("国网朝阳供电公司", "朝阳供电公司"), ("华能朝阳电厂", None),
        ("中国能建辽宁电力设计院", "中国能建"), ("中国铁建朝阳项目部", None))
LEADERS = (("周伟山", "市委书记"), ("任振波", "市长"), ("杜鑫", "市委常委、常务副市长"), ("段家喜", "副市长"),
           ("贾洪琳", "副市长"), ("徐同连", "副市长"), ("米金套", "副市长"), ("王建华", "副市长"), ("李志刚", "副市长"),
           ("张丽娟", "副市长"), ("刘海涛", "市委常委、秘书长"), ("陈国栋", "市委常委、组织部部长"),
           ("赵红梅", "市委常委、宣传部部长"), ("孙立新", "市委常委、政法委书记"), ("高永胜", "市人大常委会副主任"),
           ("马春雷", "市政协副主席"), ("郑晓东", "市政府秘书长"), ("黄志明", "市政府副秘书长"),
           ("林文杰", "市政府副秘书长"), ("何建军", "市发改委主任"))
PROJECTS = ("年产{n}万吨{p}项目", "{p}产业园建设", "{p}项目前期工作", "{p}技改扩能项目", "{p}基地二期工程",
            "{p}招商对接", "{p}重点项目集中开工", "争取{p}中央预算内资金", "{p}专项债券项目申报", "{p}营商环境专项整治")
PRODUCTS = ("新材料", "锂电池正极材料", "风光储一体化", "抽水蓄能", "光伏组件", "氢能装备", "钢铁深加工", "镁质材料",
            "农产品精深加工", "数字经济", "冷链物流", "生物医药", "汽车零部件", "城市更新", "老旧小区改造", "高标准农田",
            "污水处理", "5G基站", "工业互联网", "文旅康养")
DETAILS = ("按月调度，倒排工期，确保按期完成。", "明确专班，挂图作战，每周报送进展。", "压实包保责任，协调解决用地、资金等问题。",
           "对标省考核指标，逐项分解落实。", "加快前期手续办理，力争早开工、早建设、早投产、早见效。", None)
NOTES = ("已完成项目备案，正在办理用地手续。", "主体工程施工中，累计完成投资稳步增长。", "设备安装调试中，计划下月试生产。",
         "已签约待落地，正在对接项目选址。", "专项债券资金已到位，工程加快推进。", "组织召开专题调度会，协调解决问题3个。",
         "完成可研批复和用地预审。", "已向省发改委报送申报材料。", "征地拆迁工作基本完成。", "本周无新进展。")
PROBLEMS = ("用地指标不足。", "资金到位慢。", "环评审批周期长。", "施工受天气影响。", "企业融资困难。")
NEXT_STEPS = ("加快推进施工进度。", "协调解决用地问题。", "争取省级资金支持。", "组织专班现场调度。", "督促企业加快设备采购。")
TAGS = ("十五项重大工程", "省重点", "专班推进", "开门红", "数字经济", "央地合作", "三争取")
STAGES = ("started", "building", "producing", "effective")
DUE_WORDS = (("3月底前", dt.date(YEAR, 3, 31)), ("一季度", dt.date(YEAR, 3, 31)), ("4月30日", dt.date(YEAR, 4, 30)),
             ("5月底前", dt.date(YEAR, 5, 31)), ("上半年", dt.date(YEAR, 6, 30)), ("6月底前", dt.date(YEAR, 6, 30)),
             ("二季度末", dt.date(YEAR, 6, 30)), ("三季度", dt.date(YEAR, 9, 30)), ("10月31日", dt.date(YEAR, 10, 31)),
             ("11月底前", dt.date(YEAR, 11, 30)), ("年底前", dt.date(YEAR, 12, 31)), ("年内", dt.date(YEAR, 12, 31)))
KIND_ZH = {"county": "县区", "zone": "经济区", "department": "部门", "enterprise": "重点企业", "soe": "央企"}
STATUS_ZH = {"active": "在办", "done": "已完成", "paused": "暂缓", "cancelled": "已取消"}


@dataclass
class Unit:
    name: str
    alias: str | None
    kind: str


@dataclass
class Update:
    on: dt.date
    percent: float
    invest_done: float | None
    stage: str | None
    note: str | None
    problems: str | None
    next_steps: str | None


@dataclass
class GenTask:
    id: int
    area: int  # index into AREAS
    ref: str
    title: str
    detail: str | None
    lead: str
    co: list[str]
    leader: str | None
    start: dt.date
    due: dt.date | None
    due_text: str
    status: str  # the status in force on --as-of (the current one)
    status_on: dt.date | None
    invest: float | None
    targets: tuple[float, float, float, float] | None
    tags: list[str]
    extensions: list[tuple[dt.date, dt.date, dt.date]] = field(default_factory=list)  # (granted, old, new)
    updates: list[Update] = field(default_factory=list)

    @property
    def due_in_force(self) -> dt.date | None:
        return self.extensions[-1][2] if self.extensions else self.due


def units() -> list[Unit]:
    """About 100 units of the five kinds (the same for every seed)."""
    out = [Unit(n, None, "county") for n in COUNTIES] + [Unit(n, None, "zone") for n in ZONES]
    out += [Unit(n, a, "department") for n, a in DEPARTMENTS]
    out += [Unit(*(e if isinstance(e, tuple) else (e, None)), kind="enterprise") for e in ENTERPRISES]
    out += [Unit(n, a, "soe") for n, a in SOES]
    return out


def tasks(n: int, *, updates: int, seed: int, as_of: dt.date = AS_OF) -> Iterator[GenTask]:
    """The N tasks, one at a time (a million updates never sit in memory at once)."""
    rng = random.Random(seed)
    unit_list = units()
    short = [u.alias or u.name for u in unit_list]
    by_kind_weights = [{"county": 3, "zone": 2, "department": 2, "enterprise": 1, "soe": 1}[u.kind] for u in unit_list]
    year_start, year_end = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
    latest_start = max(year_start, as_of - dt.timedelta(days=30))
    per_area = [0] * len(AREAS)
    for task_id in range(1, n + 1):
        area = rng.choices(range(len(AREAS)), AREA_WEIGHTS)[0]
        per_area[area] += 1
        lead_i = rng.choices(range(len(unit_list)), by_kind_weights)[0]
        co = [short[i] for i in sorted(set(rng.sample(range(len(unit_list)), rng.choice((0, 0, 1, 1, 2, 3)))))
              if i != lead_i]
        product = rng.choice(PRODUCTS)
        title = (short[lead_i] + rng.choice(PROJECTS).format(n=rng.randrange(1, 50), p=product) +
                 f"（{task_id:06d}）")  # unique: an import matches tasks by area + title
        if rng.random() < 0.55:
            start = year_start
        else:
            start = year_start + dt.timedelta(days=rng.randrange(1, (latest_start - year_start).days + 1))
        r = rng.random()
        if r < 0.05:
            due, due_text = None, "长期坚持"
        elif r < 0.65:
            due_text, due = rng.choice(DUE_WORDS)
        else:
            due = start + dt.timedelta(days=rng.randrange(20, 330))
            due_text = due.isoformat()
        if due is not None and (due < start + dt.timedelta(days=14) or due > year_end):
            due, due_text = year_end, "年底前"
        invest = float(rng.randrange(500, 500_000)) if rng.random() < 0.4 else None
        targets = (25.0, 50.0, 75.0, 100.0) if rng.random() < 0.15 else None
        task = GenTask(id=task_id, area=area, ref=f"{area + 1}-{per_area[area]}", title=title,
                       detail=rng.choice(DETAILS), lead=unit_list[lead_i].name, co=co,
                       leader=rng.choice(LEADERS)[0] if rng.random() < 0.9 else None, start=start, due=due,
                       due_text=due_text, status="active", status_on=None, invest=invest, targets=targets,
                       tags=sorted(set(rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2))))))
        span = (as_of - start).days  # >= 30
        r = rng.random()
        if r < 0.30:
            task.status, task.status_on = "done", start + dt.timedelta(days=rng.randrange(7, span + 1))
        elif r < 0.34:
            task.status, task.status_on = "paused", start + dt.timedelta(days=rng.randrange(7, span + 1))
        elif r < 0.36:
            task.status, task.status_on = "cancelled", start + dt.timedelta(days=rng.randrange(7, span + 1))
        if due is not None and rng.random() < 0.08:
            granted = start + dt.timedelta(days=rng.randrange(1, min(span, max(1, (due - start).days)) + 1))
            new = min(year_end, max(due, granted) + dt.timedelta(days=rng.randrange(30, 91)))
            if new > due:
                task.extensions.append((granted, due, new))
                if rng.random() < 0.12 and granted < as_of and new < year_end:
                    again = granted + dt.timedelta(days=rng.randrange(1, (as_of - granted).days + 1))
                    task.extensions.append((again, new, min(year_end, new + dt.timedelta(days=30))))
        # updates: from the start up to the last report (a lag before --as-of makes some tasks stale)
        end = task.status_on if task.status != "active" else as_of
        r = rng.random()
        count = 0 if (task.status == "active" and r < 0.05) else 2 * updates if r > 0.95 else updates
        lag = rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 8, 10, 14, 20, 30, 45, 60)) if task.status == "active" else 0
        last = max(start, end - dt.timedelta(days=lag))
        days = (last - start).days
        count = min(count, days + 1)
        if count:
            offsets = sorted(rng.sample(range(days + 1), count))
            if task.status == "done" or (lag == 0 and offsets[-1] != days):
                offsets[-1] = days
            due_now = task.due_in_force
            if task.status == "done":
                final = 100.0
            elif due_now is not None and due_now > start:
                final = min(99.0, 100.0 * days / (due_now - start).days * rng.uniform(0.55, 1.2))
            else:
                final = rng.uniform(10, 90)
            steps = sorted(rng.random() for _ in range(count - 1)) + [1.0]
            stage_i = -1
            for offset, share in zip(offsets, steps):
                percent = float(round(final * share))
                invest_done = round(invest * percent / 100 * rng.uniform(0.7, 1.0), 1) if invest else None
                if invest and percent > 0:
                    stage_i = max(stage_i, 0 if percent < 20 else 1 if percent < 80 else 2 if percent < 100 else 3)
                task.updates.append(Update(
                    on=start + dt.timedelta(days=offset), percent=percent,
                    invest_done=invest_done if rng.random() < 0.5 else None,
                    stage=STAGES[stage_i] if stage_i >= 0 and rng.random() < 0.4 else None,
                    note=rng.choice(NOTES), problems=rng.choice(PROBLEMS) if rng.random() < 0.3 else None,
                    next_steps=rng.choice(NEXT_STEPS) if rng.random() < 0.5 else None))
        yield task


# ---------------------------------------------------------------- the ledger

def run_taskctl(db: str, *args: str, as_of: dt.date = AS_OF) -> None:
    env = dict(os.environ, TASKCTL_TODAY=as_of.isoformat(), TASKCTL_USER="bench", NO_COLOR="1")
    env.pop("TASKCTL_DB", None)
    proc = subprocess.run([sys.executable, "-m", "taskctl", "--db", db, *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"taskctl --db {db} {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")


def ensure_pg_database(url: str) -> None:
    """Create the PostgreSQL database named in the URL when it does not exist yet."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    admin = u.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (u.database,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{u.database}"')


def sqlalchemy_url(db: str) -> str:
    if "://" not in db:
        return f"sqlite:///{Path(db).resolve()}"
    if db.startswith("postgresql://") or db.startswith("postgres://"):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


class LedgerSink:
    """Bulk inserts into the ledger's own tables (reflected after `taskctl init`)."""

    def __init__(self, db: str, *, as_of: dt.date) -> None:
        from sqlalchemy import MetaData, create_engine, select, text

        self.url = sqlalchemy_url(db)
        self.pg = self.url.startswith("postgresql")
        if self.pg:
            ensure_pg_database(db)
        elif Path(db).exists():
            sys.exit(f"{db} exists; give a new file")
        run_taskctl(db, "init", "--year", str(as_of.year), as_of=as_of)
        self.engine = create_engine(self.url)
        self.meta = MetaData()
        self.meta.reflect(self.engine)
        self.conn = self.engine.connect()
        self.tx = self.conn.begin()
        if self.conn.execute(text("SELECT count(*) FROM task")).scalar():
            sys.exit(f"{db} already holds tasks; give a new ledger")
        # task_fact's triggers would recompute a task's facts per row written: off during the load, then
        # back on and every task's row computed once (close)
        facts.drop_triggers(self.conn.exec_driver_sql, self.engine.dialect.name)
        area = self.meta.tables["area"]
        self.area_ids = {key: id_ for key, id_ in self.conn.execute(select(area.c.key, area.c.id))}
        self.now = dt.datetime.combine(as_of, dt.time(18, 0))
        self.rows: dict[str, list[dict]] = {}
        self.counts: dict[str, int] = {}
        self.unit_ids: dict[str, int] = {}
        self.leader_ids: dict[str, int] = {}
        self.next_task_id = 1

    def add_units_and_leaders(self) -> None:
        for i, unit in enumerate(units(), start=1):
            self.unit_ids[unit.name] = i
            self.put("unit", {"id": i, "name": unit.name, "kind": unit.kind, "contact_person": f"联系人{i:03d}",
                              "contact_phone": f"0421-{2_800_000 + i}"})
        for unit in units():
            if unit.alias:
                self.put("unit_alias", {"unit_id": self.unit_ids[unit.name], "alias": unit.alias})
        for i, (name, title) in enumerate(LEADERS, start=1):
            self.leader_ids[name] = i
            self.put("leader", {"id": i, "name": name, "title": title})
        self.flush(force=True)

    def put(self, table: str, row: dict) -> None:
        self.rows.setdefault(table, []).append(row)

    def add(self, task: GenTask) -> None:
        stamp = dt.datetime.combine(task.start, dt.time(9, 0))
        t = {"id": task.id, "area_id": self.area_ids[AREAS[task.area][0]], "title": task.title,
             "detail": task.detail, "lead_unit_id": self.unit_ids[task.lead],
             "leader_id": self.leader_ids[task.leader] if task.leader else None, "start": task.start,
             "due": task.due, "due_text": task.due_text, "status": task.status, "invest": task.invest,
             "target_q1": None, "target_q2": None, "target_q3": None, "target_q4": None, "works_start": None,
             "production": None, "ref": task.ref, "source": SOURCE, "created_at": stamp, "updated_at": self.now}
        if task.targets:
            t.update(zip(("target_q1", "target_q2", "target_q3", "target_q4"), task.targets))
        self.put("task", t)
        short_to_id = self._short_ids()
        for position, name in enumerate(task.co):
            self.put("task_unit", {"task_id": task.id, "unit_id": short_to_id[name], "position": position})
        for tag in task.tags:
            self.put("task_tag", {"task_id": task.id, "tag": tag})
        if task.status != "active":
            self.put("status_change", {"task_id": task.id, "status": task.status, "on_date": task.status_on,
                                       "note": None, "recorded_by": "bench",
                                       "recorded_at": dt.datetime.combine(task.status_on, dt.time(17, 0))})
        for granted, old, new in task.extensions:
            self.put("extension", {"task_id": task.id, "on_date": granted, "old_due": old, "new_due": new,
                                   "new_due_text": new.isoformat(), "reason": "项目前期手续办理时间较长，申请延期",
                                   "recorded_by": "bench", "recorded_at": dt.datetime.combine(granted, dt.time(16, 0))})
        for u in task.updates:
            self.put("progress", {"task_id": task.id, "on_date": u.on, "percent": u.percent,
                                  "invest_done": u.invest_done, "stage": u.stage, "note": u.note,
                                  "problems": u.problems, "next_steps": u.next_steps, "recorded_by": "bench",
                                  "recorded_at": dt.datetime.combine(u.on, dt.time(10, 0))})
        self.next_task_id = task.id + 1
        if len(self.rows.get("progress", ())) >= BATCH or len(self.rows["task"]) >= BATCH:
            self.flush(force=True)

    def _short_ids(self) -> dict[str, int]:
        if not hasattr(self, "_shorts"):
            self._shorts = {(u.alias or u.name): self.unit_ids[u.name] for u in units()}
        return self._shorts

    def flush(self, force: bool = False) -> None:
        # parents first: the foreign keys are checked as rows go in
        for name in ("unit", "unit_alias", "leader", "task", "task_unit", "task_tag", "status_change", "extension",
                     "progress"):
            rows = self.rows.get(name)
            if not rows:
                continue
            table = self.meta.tables[name]
            present = [c for c in rows[0] if c in table.c]  # a column the schema no longer has is left out
            missing = [c.name for c in table.c if c.name not in rows[0] and not c.nullable and c.server_default is None
                       and not c.primary_key]
            if missing:
                sys.exit(f"the generator does not know the required column(s) {name}.{', '.join(missing)}: "
                         "update bench/generate.py")
            if self.pg:
                self._copy(name, present, rows)
            else:
                self._executemany(name, present, rows)
            self.counts[name] = self.counts.get(name, 0) + len(rows)
            rows.clear()

    def _executemany(self, name: str, columns: list[str], rows: list[dict]) -> None:
        """SQLite: the driver's own executemany, values stored as SQLAlchemy stores them (ISO text dates)."""
        cursor = self.conn.connection.driver_connection.cursor()
        cols = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        cursor.executemany(f'INSERT INTO "{name}" ({cols}) VALUES ({marks})',
                           [tuple(_sqlite_value(r[c]) for c in columns) for r in rows])

    def _copy(self, name: str, columns: list[str], rows: list[dict]) -> None:
        cursor = self.conn.connection.driver_connection.cursor()
        cols = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f'COPY "{name}" ({cols}) FROM STDIN') as copy:
            for r in rows:
                copy.write_row([r[c] for c in columns])

    def close(self) -> dict[str, int]:
        from sqlalchemy import text

        self.flush(force=True)
        facts.create_triggers(self.conn.exec_driver_sql, self.engine.dialect.name)
        facts.rebuild(self.conn.exec_driver_sql)
        high = self.next_task_id - 1
        if self.pg:  # explicit ids: move the sequences past them
            for table in ("unit", "leader", "task"):
                self.conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                       f"GREATEST((SELECT max(id) FROM {table}), 1))"))
        if "setting" in self.meta.tables and high:
            self.conn.execute(text("UPDATE setting SET value = :v WHERE key = 'task_id_high'"), {"v": str(high)})
        self.tx.commit()
        self.conn.close()
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))  # planner statistics, as a ledger in use would have them
        self.engine.dispose()
        return self.counts


def _sqlite_value(value):
    """A value as SQLAlchemy's SQLite dialect stores it: dates 'YYYY-MM-DD', datetimes with microseconds."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# ---------------------------------------------------------------- the files

CSV_HEADERS = ("序号", "聚焦领域", "工作任务", "具体内容", "牵头单位", "配合单位", "责任领导", "开始时间", "完成时限",
               "计划投资（万元）", "一季度目标", "二季度目标", "三季度目标", "四季度目标", "标签", "状态", "状态日期", "来源")


class CsvSink:
    """The tasks as an office ledger for `taskctl import tasks` (an extended deadline shows its new date)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(path, "w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.file, lineterminator="\r\n")
        self.writer.writerow([f"{YEAR}年全市重点工作督办台账"])
        self.writer.writerow(CSV_HEADERS)
        self.short = {u.name: u.alias or u.name for u in units()}

    def add(self, task: GenTask) -> None:
        due = task.extensions[-1][2].isoformat() if task.extensions else task.due_text
        targets = [f"{q:g}" for q in task.targets] if task.targets else ["", "", "", ""]
        self.writer.writerow([task.ref, AREAS[task.area][1], task.title, task.detail or "", self.short[task.lead],
                              "、".join(task.co), task.leader or "", task.start.isoformat(), due,
                              f"{task.invest:,.0f}" if task.invest else "", *targets, "、".join(task.tags),
                              STATUS_ZH[task.status], task.status_on.isoformat() if task.status_on else "", SOURCE])

    def close(self) -> None:
        self.file.close()


def tw_date(day: dt.date, shift: int, end_of_day: bool = False) -> str:
    moved = day + dt.timedelta(days=shift)
    return moved.strftime("%Y%m%dT235959Z" if end_of_day else "%Y%m%dT090000Z")


class TaskwarriorSink:
    """The tasks as a JSON array for `task import`, dates moved by ``shift`` days."""

    def __init__(self, path: Path, *, shift: int, seed: int, annotations: bool) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(path, "w", encoding="utf-8")
        self.file.write("[\n")
        self.first = True
        self.shift, self.seed, self.annotations = shift, seed, annotations

    def add(self, task: GenTask) -> None:
        self.write(taskwarrior_record(task, shift=self.shift, seed=self.seed, annotations=self.annotations))

    def write(self, record: dict) -> None:
        self.file.write(("" if self.first else ",\n") + json.dumps(record, ensure_ascii=False))
        self.first = False

    def close(self) -> None:
        self.file.write("\n]\n")
        self.file.close()


def taskwarrior_record(task: GenTask, *, shift: int, seed: int, annotations: bool = False) -> dict:
    status = {"active": "pending", "paused": "pending", "done": "completed", "cancelled": "deleted"}[task.status]
    record: dict = {"uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"taskctl-bench/{seed}/{task.id}")),
                    "description": task.title, "project": AREAS[task.area][0], "status": status,
                    "entry": tw_date(task.start, shift), "modified": tw_date(task.updates[-1].on if task.updates
                                                                            else task.start, shift)}
    if task.due_in_force is not None and task.status != "paused":  # Taskwarrior has no pause: a waiting task
        record["due"] = tw_date(task.due_in_force, shift, end_of_day=True)  # with a due date would be overdue
    if task.status in ("done", "cancelled"):
        record["end"] = tw_date(task.status_on, shift)
    if task.status == "paused":
        record["wait"] = "20991231T000000Z"
    if task.tags:
        record["tags"] = list(task.tags)
    record["unit"] = task.lead
    if task.leader:
        record["leader"] = task.leader
    if task.updates:
        record["percent"] = task.updates[-1].percent
    if annotations and task.updates:
        record["annotations"] = [{"entry": tw_date(u.on, shift), "description": u.note or "—"} for u in task.updates]
    return record


# ---------------------------------------------------------------- command line

def generate(dbs: list[str] | str | None, *, n: int, updates: int, seed: int, as_of: dt.date = AS_OF,
             csv_path: Path | None = None, tw_path: Path | None = None, tw_today: dt.date | None = None,
             tw_annotations: bool = False) -> dict[str, int]:
    """Write the same N tasks to every ledger in ``dbs`` and to the files asked for, in one pass."""
    sinks: list = []
    ledgers = []
    for db in [dbs] if isinstance(dbs, str) else dbs or []:
        ledger = LedgerSink(db, as_of=as_of)
        ledger.add_units_and_leaders()
        ledgers.append(ledger)
    sinks += ledgers
    if csv_path:
        sinks.append(CsvSink(csv_path))
    if tw_path:
        shift = ((tw_today or dt.datetime.now(dt.timezone.utc).date()) - as_of).days
        sinks.append(TaskwarriorSink(tw_path, shift=shift, seed=seed, annotations=tw_annotations))
    counts = {"task": 0, "progress": 0}
    for task in tasks(n, updates=updates, seed=seed, as_of=as_of):
        counts["task"] += 1
        counts["progress"] += len(task.updates)
        for sink in sinks:
            sink.add(task)
    for sink in sinks:
        result = sink.close()
        if ledgers and sink is ledgers[0]:
            counts = result
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="See bench/README.md.")
    parser.add_argument("db", nargs="?", help="a new SQLite file, or a PostgreSQL URL (created if missing, no tasks)")
    parser.add_argument("--tasks", "-n", type=int, default=1000, help="how many tasks (0: units and leaders only)")
    parser.add_argument("--updates", "-m", type=int, default=10, help="progress updates per task, on average")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF, help="the ledger's today (2023-07-01)")
    parser.add_argument("--csv", type=Path, help="also write the tasks as a CSV for `taskctl import tasks`")
    parser.add_argument("--taskwarrior", type=Path, help="also write the tasks as JSON for `task import`")
    parser.add_argument("--tw-today", type=dt.date.fromisoformat, help="the date Taskwarrior will run on (today)")
    parser.add_argument("--tw-annotations", action="store_true", help="every update as a Taskwarrior annotation")
    args = parser.parse_args(argv)
    if not (args.db or args.csv or args.taskwarrior):
        parser.error("give a ledger, --csv or --taskwarrior")
    began = time.perf_counter()
    counts = generate(args.db, n=args.tasks, updates=args.updates, seed=args.seed, as_of=args.as_of,
                      csv_path=args.csv, tw_path=args.taskwarrior, tw_today=args.tw_today,
                      tw_annotations=args.tw_annotations)
    where = ", ".join(str(p) for p in (args.db, args.csv, args.taskwarrior) if p)
    print(f"{where}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) +
          f" in {time.perf_counter() - began:.1f}s")


if __name__ == "__main__":
    main()
