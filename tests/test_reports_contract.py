"""THE CONTRACT: a ledger with a known past, and what every report must say about it.

``tests/data/asof_contract_ledger.txt`` builds the ledger through the CLI (backdated
progress, a task done late, one done after an as-of date, an extension granted after an
as-of date, a paused and a cancelled task, an ongoing task, quarterly targets checked
mid-quarter).  ``asof_contract.csv`` is the per-task table (task, as-of date) -> state,
light, percent, expected percent, worked out by hand; ``asof_reports.toml`` is the
expected output of every report at three dates, also by hand.  Both backends.
"""

from __future__ import annotations

import csv
import json
import shlex
import tomllib
import uuid
from pathlib import Path

import pytest

from conftest import PG_ADMIN, require_pg, run

DATA = Path(__file__).parent / "data"
DATES = ("2023-02-15", "2023-03-03", "2023-03-31")
STAT_KEYS = ("tasks", "done", "done_late", "overdue", "behind", "on_track", "not_started", "paused",
             "percent_actual", "percent_expected", "invest_planned", "invest_done", "extensions")


def build_contract_ledger(url: str) -> None:
    """Run the contract ledger's commands on a fresh 2023 ledger at ``url``."""
    result = run("--db", url, "init", "--year", "2023")
    assert result.exit_code == 0, result.output
    for line in (DATA / "asof_contract_ledger.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        result = run("--db", url, *shlex.split(line))
        assert result.exit_code == 0, f"{line}\n{result.output}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def contract_db(request, tmp_path_factory):
    """The contract ledger, built once per backend for this module."""
    from taskctl.db import dispose_all

    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("contract") / "ledger.db")
        build_contract_ledger(url)
        yield url
        dispose_all()
        return
    require_pg()
    import psycopg

    name = f"taskctl_contract_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    try:
        build_contract_ledger(url)
        yield url
    finally:
        dispose_all()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            from conftest import drop_group_roles

            drop_group_roles(conn, name)  # roles are cluster-wide


def cli_json(url: str, *args: str):
    result = run("--db", url, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def expected_reports() -> dict:
    return tomllib.loads((DATA / "asof_reports.toml").read_text(encoding="utf-8"))


def _null(value):
    return None if value == "null" else value


def _number(text: str):
    if text == "":
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


# ---------------------------------------------------------------- per task

def contract_rows() -> list[dict[str, str]]:
    with open(DATA / "asof_contract.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_contract_table_covers_every_task_at_the_three_dates():
    rows = contract_rows()
    pairs = {(int(r["task"]), r["as_of"]) for r in rows}
    assert {(task, d) for task in range(1, 16) for d in DATES} <= pairs
    assert {r["state"] for r in rows} == {"cancelled", "paused", "done", "overdue", "not_started", "behind", "on_track"}


def test_every_task_as_of_every_date_matches_the_hand_table(contract_db):
    by_date: dict[str, list[dict[str, str]]] = {}
    for row in contract_rows():
        by_date.setdefault(row["as_of"], []).append(row)
    failures = []
    for as_of, expected_rows in sorted(by_date.items()):
        listed = {r["id"]: r for r in cli_json(contract_db, "task", "list", "--as-of", as_of)}
        for exp in expected_rows:
            got = listed[int(exp["task"])]
            want = {"state": exp["state"], "light": exp["light"] or None, "percent": _number(exp["percent"]),
                    "percent_expected": _number(exp["percent_expected"]), "done_late": exp["done_late"] == "true"}
            have = {k: got[k] for k in want}
            if have != want:
                failures.append(f"T{exp['task']} @ {as_of}: want {want}, got {have}  ({exp['arithmetic'][:70]})")
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------- the reports at three dates

@pytest.mark.parametrize("as_of", DATES)
def test_overdue(contract_db, as_of):
    doc = cli_json(contract_db, "overdue", "--as-of", as_of)
    assert doc["report"] == "overdue" and doc["as_of"] == as_of
    assert [[r["id"], r["days_overdue"]] for r in doc["rows"]] == expected_reports()["overdue"][as_of]
    assert doc["total"] == len(doc["rows"])
    assert all(r["state"] == "overdue" and r["light"] == "red" for r in doc["rows"])


def test_overdue_keeps_the_original_due_date_of_an_extended_task(contract_db):
    doc = cli_json(contract_db, "overdue", "--as-of", "2023-03-03")
    t4 = next(r for r in doc["rows"] if r["id"] == 4)
    assert (t4["due"], t4["original_due"], t4["extensions"]) == ("2023-03-01", "2023-03-01", 0)
    # after the extension (granted 3-05) the due date in force moves; the original stays
    t4_later = next(r for r in cli_json(contract_db, "task", "list", "--as-of", "2023-03-31") if r["id"] == 4)
    assert (t4_later["due"], t4_later["original_due"], t4_later["extensions"]) == ("2023-04-30", "2023-03-01", 1)


def test_overdue_grouped_by_unit(contract_db):
    doc = cli_json(contract_db, "overdue", "--as-of", "2023-03-03", "--group-by", "unit")
    want = expected_reports()["overdue_by_unit"]["2023-03-03"]
    assert [[g["name"], g["count"]] for g in doc["groups"]] == want
    assert doc["group_by"] == "unit"
    assert [r["lead_unit"] for r in doc["rows"]] == [name for name, n in want for _ in range(n)]


@pytest.mark.parametrize("as_of", DATES)
def test_due_soon(contract_db, as_of):
    doc = cli_json(contract_db, "due-soon", "--as-of", as_of)
    assert [[r["id"], r["days_left"]] for r in doc["rows"]] == expected_reports()["due_soon"][as_of]
    assert doc["days"] == 7


@pytest.mark.parametrize("as_of", DATES)
def test_stale(contract_db, as_of):
    doc = cli_json(contract_db, "stale", "--as-of", as_of)
    assert [[r["id"], r["days_since_report"]] for r in doc["rows"]] == expected_reports()["stale"][as_of]
    # every group carries its unit's contact, and the groups add up to the rows
    assert sum(g["count"] for g in doc["groups"]) == doc["total"]
    contacts = {g["lead_unit"]: (g["contact_person"], g["contact_phone"]) for g in doc["groups"]}
    if "市发改委" in contacts:
        assert contacts["市发改委"] == ("王敏", "0311-86001111")
    if "高新区" in contacts:
        assert contacts["高新区"] == ("李强", None)


def _quarter_rows(doc: dict, by_name: bool = False) -> dict[str, list]:
    out = {}
    for row in doc["rows"]:
        key = (row["name"] or "(none)") if by_name else row["key"]
        out[key] = [row[k] for k in STAT_KEYS]
    out["total"] = [doc["totals"][k] for k in STAT_KEYS]
    return out


@pytest.mark.parametrize("as_of", DATES)
def test_quarter_by_area(contract_db, as_of):
    doc = cli_json(contract_db, "quarter", "2023Q1", "--as-of", as_of)
    want = {k: [_null(v) for v in vals] for k, vals in expected_reports()["quarter"][as_of]["area"].items()}
    assert doc["as_of"] == as_of and doc["quarter"] == "2023Q1" and doc["by"] == "area"
    assert _quarter_rows(doc) == want
    assert [r["key"] for r in doc["rows"]] == [k for k in want if k != "total"]  # area order


@pytest.mark.parametrize("by", ["unit", "leader"])
def test_quarter_by_unit_and_leader(contract_db, by):
    doc = cli_json(contract_db, "quarter", "--quarter", "2023Q1", "--by", by)
    want = {k: [_null(v) for v in vals] for k, vals in expected_reports()["quarter"]["2023-03-31"][by].items()}
    got = _quarter_rows(doc, by_name=True)
    assert got == want
    assert list(got) == list(want)  # the order too
    assert doc["rows"][-1]["key"] == "none" and doc["rows"][-1]["name"] is None


def test_quarter_figures_add_up(contract_db):
    for as_of in DATES:
        for by in ("area", "unit", "leader"):
            doc = cli_json(contract_db, "quarter", "2023Q1", "--as-of", as_of, "--by", by)
            for row in doc["rows"] + [doc["totals"]]:
                parts = sum(row[k] for k in ("done", "overdue", "behind", "on_track", "not_started", "paused"))
                assert parts == row["tasks"] and row["done_late"] <= row["done"]
            for k in ("tasks", "done", "done_late", "overdue", "behind", "on_track", "not_started", "paused",
                      "extensions"):
                assert sum(r[k] for r in doc["rows"]) == doc["totals"][k]


def test_a_later_quarter_is_reported_as_of_today(contract_db):
    doc = cli_json(contract_db, "quarter", "2023Q2")
    want = expected_reports()["quarter_q2"]
    assert doc["as_of"] == want["as_of"] and doc["from"] == "2023-04-01" and doc["to"] == "2023-06-30"
    assert [doc["totals"][k] for k in STAT_KEYS] == [_null(v) for v in want["total"]]


@pytest.mark.parametrize("as_of", DATES)
def test_rank(contract_db, as_of):
    doc = cli_json(contract_db, "rank", "--quarter", "2023Q1", "--as-of", as_of)
    assert [[r["name"], r["rank"], r["flagged"]] for r in doc["rows"]] == expected_reports()["rank"][as_of]
    quarter = cli_json(contract_db, "quarter", "2023Q1", "--as-of", as_of, "--by", "unit")
    by_unit = {r["name"]: r for r in quarter["rows"]}
    for row in doc["rows"]:  # a rank row carries the same figures as the unit's quarter row
        assert {k: row[k] for k in STAT_KEYS} == {k: by_unit[row["name"]][k] for k in STAT_KEYS}


def test_builders_agree_with_the_cli(contract_db):
    """The weekly export calls the builders directly: same figures as the commands."""
    import datetime as dt

    from taskctl.config import database_url
    from taskctl.db import open_ledger, transaction
    from taskctl.render import to_json
    from taskctl.reports import overdue_report, quarter_report, rank_report
    from taskctl.snapshot import Filters

    with transaction(open_ledger(database_url(contract_db))) as session:
        d2 = dt.date(2023, 3, 3)
        assert json.loads(to_json(overdue_report(session, as_of=d2, filters=Filters()))) == \
            cli_json(contract_db, "overdue", "--as-of", "2023-03-03")
        q = quarter_report(session, year=2023, quarter=1, filters=Filters(), as_of=d2)
        assert q.meta["totals"]["tasks"] == 12 and q.as_of == d2  # T11 starts 3-15
        assert json.loads(to_json(q)) == cli_json(contract_db, "quarter", "2023Q1", "--as-of", "2023-03-03")
        r = rank_report(session, year=2023, quarter=1)
        assert [row["name"] for row in r.rows][0] == "市发改委"  # as of min(3-31, today 3-31)
