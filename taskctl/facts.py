"""The facts in force now, kept per task at write time (table ``task_fact``, revision 0007).

A report as of D needs, per task, the status, due date, latest update and counts in force on D.
Replaying them from the dated tables takes seven correlated subqueries per task (``snapshot``): at
100,000 tasks and a million updates that is two seconds of SQL before anything is judged.  Yet for
almost every task nothing has changed since long before D.  So the database keeps, per task, the
facts in force *after its last dated change* and the date of that change (``changed_on``: the
latest date any progress, status change, extension or closing request of the task takes or loses
effect).  On any D on or after ``changed_on`` those facts are the facts in force on D; for the few
tasks changed after D the snapshot replays as before.  A report as of an earlier date therefore never
reads a fact recorded later: "recording something today never changes a report as of an earlier date".

Triggers keep the table (SQLite: one per table and operation and row; PostgreSQL: one per table and
operation and statement, over the statement's rows, in SECURITY DEFINER functions — so a unit role's
``progress add`` refreshes facts it may not write itself).  Every write
path — the ORM, the direct path, undo, imports, psql by hand — goes through them; nothing in taskctl
writes ``task_fact``.  A task without a row is replayed (never assumed empty), so a missing row costs
time, not correctness.  ``taskctl db check`` compares the table with a fresh computation and
``--repair`` rebuilds it.
"""

from __future__ import annotations

from collections.abc import Callable

TABLE = "task_fact"
# the tables whose rows are dated facts of a task (all with a task_id column)
DATED = ("progress", "status_change", "extension", "close_request")
COLUMNS = ("task_id", "changed_on", "status", "status_on", "due", "due_text", "extensions", "close_requests",
           "progress_id", "last_update", "percent", "invest_done", "stage")


def _latest(table: str, column: str, where: str = "") -> str:
    """The task's latest row of ``table`` (by date, then id): its ``column``."""
    return (f"(SELECT z.{column} FROM {table} z WHERE z.task_id = t.id{where} "
            f"ORDER BY z.on_date DESC, z.id DESC LIMIT 1)")


def _changed_on() -> str:
    parts = [f"SELECT (SELECT max(z.{col}) FROM {table} z WHERE z.task_id = t.id)"
             for table, col in (("progress", "on_date"), ("status_change", "on_date"), ("extension", "on_date"),
                                ("extension", "withdrawn_on"), ("close_request", "on_date"),
                                ("close_request", "returned_on"))]
    return "(SELECT max(m.v) FROM (" + " UNION ALL ".join(p + " AS v" for p in parts) + ") m)"


# The facts in force after the task's last dated change (the same rules as snapshot.SNAPSHOT_SQL on a
# date past every change: an extension or closing request is in force when not withdrawn / returned).
FACTS_SELECT = (
    "SELECT t.id, " + _changed_on() + ", "
    + _latest("status_change", "status") + ", " + _latest("status_change", "on_date") + ", "
    + _latest("extension", "new_due", " AND z.withdrawn_on IS NULL") + ", "
    + _latest("extension", "new_due_text", " AND z.withdrawn_on IS NULL") + ", "
    "(SELECT count(z.id) FROM extension z WHERE z.task_id = t.id AND z.withdrawn_on IS NULL), "
    "(SELECT count(z.id) FROM close_request z WHERE z.task_id = t.id AND z.returned_on IS NULL), "
    + _latest("progress", "id") + ", " + _latest("progress", "on_date") + ", " + _latest("progress", "percent") + ", "
    + _latest("progress", "invest_done", " AND z.invest_done IS NOT NULL") + ", "
    + _latest("progress", "stage", " AND z.stage IS NOT NULL") + " "
    "FROM task t"
)
INSERT = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) "


def refresh_sql(task: str) -> tuple[str, str]:
    """The two statements that bring the row of the task ``task`` (an SQL expression: ``NEW.task_id``, or
    ``ANY(ids)`` for every task of an array) up to date."""
    return (f"DELETE FROM {TABLE} WHERE task_id = {task}",
            INSERT + FACTS_SELECT + f" WHERE t.id = {task}")


REBUILD = (f"DELETE FROM {TABLE}", INSERT + FACTS_SELECT)


def new_task_sql(task: str) -> tuple[str, str]:
    """SQLite: the row of a task just added (``task``: its id) — no facts, written without computing them (an
    import adds 100,000 tasks), and only when no dated row already names the task (rows that a task deleted
    with foreign keys off — sqlite3's default — left behind): such a task gets no row and is replayed."""
    none_dated = " AND ".join(f"NOT EXISTS (SELECT 1 FROM {table} z WHERE z.task_id = {task})" for table in DATED)
    return (f"DELETE FROM {TABLE} WHERE task_id = {task}",
            f"INSERT INTO {TABLE} (task_id, extensions, close_requests) SELECT {task}, 0, 0 WHERE {none_dated}")


# PostgreSQL: the rows of the tasks a statement added (transition table new_rows), no facts.  Foreign keys
# are always enforced there, so no dated row can name a new task; and no lookup of the dated tables is
# made — PL/pgSQL keeps a plan made while they were empty, which scanned them whole for every new task as
# an import filled them (100 s for 100,000 tasks instead of 12).  A row left by a missing trigger is
# emptied.
PG_NEW_TASKS = (f"INSERT INTO {TABLE} (task_id, extensions, close_requests) SELECT n.id, 0, 0 FROM new_rows n "
                "ON CONFLICT (task_id) DO UPDATE SET " + ", ".join(
                    f"{c} = {'0' if c in ('extensions', 'close_requests') else 'NULL'}" for c in COLUMNS[1:]))


# ---------------------------------------------------------------- triggers

def _is_latest(table: str) -> str:
    """The row just added (NEW) is its task's latest of ``table`` by date, then id (undo adds rows back
    with their old ids, so a new row is not always the highest)."""
    return (f"NOT EXISTS (SELECT 1 FROM {table} z WHERE z.task_id = NEW.task_id AND (z.on_date > NEW.on_date "
            f"OR (z.on_date = NEW.on_date AND z.id > NEW.id)))")


_LATER = "changed_on = CASE WHEN changed_on IS NULL OR NEW.on_date > changed_on THEN NEW.on_date ELSE changed_on END"
# SQLite: what a new latest update or status changes in its task's row (the rest stays as kept: every other
# row of the table is earlier, so the latest *reported* investment and stage are NEW's or the kept ones)
_LATEST_SET = {
    "progress": (f"UPDATE {TABLE} SET progress_id = NEW.id, last_update = NEW.on_date, percent = NEW.percent, "
                 f"invest_done = COALESCE(NEW.invest_done, invest_done), stage = COALESCE(NEW.stage, stage), "
                 f"{_LATER} WHERE task_id = NEW.task_id"),
    "status_change": f"UPDATE {TABLE} SET status = NEW.status, status_on = NEW.on_date, {_LATER} WHERE task_id = NEW.task_id",
}


def _sqlite_triggers() -> list[tuple[str, str]]:
    """(name, CREATE TRIGGER) for SQLite: after each insert, update and delete of a dated row."""
    out = []
    for table in DATED:
        for op, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            name = f"{TABLE}_{table}_{op.lower()}"
            body = " ".join(f"{s};" for s in refresh_sql(f"{rows[0]}.task_id"))
            if len(rows) == 2:  # a row moved to another task: that task too
                body += " ".join(f" {s} AND NEW.task_id <> OLD.task_id;" for s in refresh_sql("NEW.task_id"))
            when = ""
            if op == "INSERT" and table in _LATEST_SET:  # the common case, a new latest row: set, not recompute
                when = f" WHEN NOT {_is_latest(table)}"
                out.append((name + "_latest", f"CREATE TRIGGER {name}_latest AFTER INSERT ON {table} FOR EACH ROW "
                                              f"WHEN {_is_latest(table)} BEGIN {_LATEST_SET[table]}; END"))
            out.append((name, f"CREATE TRIGGER {name} AFTER {op} ON {table} FOR EACH ROW{when} BEGIN {body} END"))
    # a new task starts with a row of no facts (so it is not replayed); a deleted one takes its row along
    name = f"{TABLE}_task_insert"
    out.append((name, f"CREATE TRIGGER {name} AFTER INSERT ON task FOR EACH ROW BEGIN "
                      f"{new_task_sql('NEW.id')[0]}; {new_task_sql('NEW.id')[1]}; END"))
    name = f"{TABLE}_task_delete"
    out.append((name, f"CREATE TRIGGER {name} AFTER DELETE ON task FOR EACH ROW BEGIN "
                      f"DELETE FROM {TABLE} WHERE task_id = OLD.id; END"))
    return out


PG_FUNCTIONS = ("taskctl_fact_refresh(integer[])", "taskctl_fact_inserted()", "taskctl_fact_updated()",
                "taskctl_fact_deleted()", "taskctl_fact_new_tasks()", "taskctl_fact_gone_tasks()")


def _postgresql_statements() -> list[str]:
    """PostgreSQL: statement-level triggers over the statement's rows (transition tables), so an import that
    inserts 1,000 rows in one statement refreshes its tasks once, set-wise, not 1,000 times."""
    delete, insert = refresh_sql("ANY(ids)")
    head = ("RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$ BEGIN ")
    out = [
        # SECURITY DEFINER: the owner keeps the table, whoever writes the dated row (a unit role may add
        # progress, not write task_fact); the owner reads every task, so the facts are whole
        "CREATE OR REPLACE FUNCTION taskctl_fact_refresh(ids integer[]) RETURNS void "
        "LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_catalog AS $$ "
        f"{delete}; {insert}; $$",
        "CREATE OR REPLACE FUNCTION taskctl_fact_inserted() " + head
        + "PERFORM taskctl_fact_refresh(ARRAY(SELECT DISTINCT task_id FROM new_rows)); RETURN NULL; END $$",
        "CREATE OR REPLACE FUNCTION taskctl_fact_updated() " + head
        + "PERFORM taskctl_fact_refresh(ARRAY(SELECT task_id FROM old_rows UNION SELECT task_id FROM new_rows)); "
          "RETURN NULL; END $$",
        "CREATE OR REPLACE FUNCTION taskctl_fact_deleted() " + head
        + "PERFORM taskctl_fact_refresh(ARRAY(SELECT DISTINCT task_id FROM old_rows)); RETURN NULL; END $$",
        "CREATE OR REPLACE FUNCTION taskctl_fact_new_tasks() " + head
        + f"{PG_NEW_TASKS}; RETURN NULL; END $$",
        "CREATE OR REPLACE FUNCTION taskctl_fact_gone_tasks() " + head
        + f"DELETE FROM {TABLE} WHERE task_id IN (SELECT id FROM old_rows); RETURN NULL; END $$",
    ]
    for table in DATED:
        for op, rows, fn in (("INSERT", "NEW TABLE AS new_rows", "inserted"),
                             ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", "updated"),
                             ("DELETE", "OLD TABLE AS old_rows", "deleted")):
            out.append(f"CREATE TRIGGER {TABLE}_{table}_{op.lower()} AFTER {op} ON {table} REFERENCING {rows} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION taskctl_fact_{fn}()")
    out.append(f"CREATE TRIGGER {TABLE}_task_insert AFTER INSERT ON task REFERENCING NEW TABLE AS new_rows "
               "FOR EACH STATEMENT EXECUTE FUNCTION taskctl_fact_new_tasks()")
    out.append(f"CREATE TRIGGER {TABLE}_task_delete AFTER DELETE ON task REFERENCING OLD TABLE AS old_rows "
               "FOR EACH STATEMENT EXECUTE FUNCTION taskctl_fact_gone_tasks()")
    return out


# PostgreSQL: a command that writes takes this lock before its first query, as SQLite's BEGIN IMMEDIATE
# takes the write lock.  Two commands writing the same task's facts at once would otherwise both compute
# them from their own REPEATABLE READ snapshot, and the second would fail ("could not serialize access");
# with the lock it waits for the first, then its snapshot (taken after the wait, at its first query) sees
# what the first wrote.  Readers are not blocked (plain reads take ACCESS SHARE).  Unit and leader roles
# hold UPDATE on the table only for this (no policy lets them change a row).
PG_WRITE_LOCK = f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE"


def trigger_names(dialect: str) -> list[tuple[str, str]]:
    """(trigger, table) of every trigger that keeps ``task_fact``."""
    if dialect == "sqlite":
        return [(name, sql.split(" ON ", 1)[1].split(" ", 1)[0]) for name, sql in _sqlite_triggers()]
    return ([(f"{TABLE}_{table}_{op}", table) for table in DATED for op in ("insert", "update", "delete")]
            + [(f"{TABLE}_task_insert", "task"), (f"{TABLE}_task_delete", "task")])


def create_triggers(execute: Callable[[str], object], dialect: str) -> None:
    """Install the triggers (``execute`` runs one statement)."""
    statements = ([sql for _name, sql in _sqlite_triggers()] if dialect == "sqlite"
                  else _postgresql_statements())
    for sql in statements:
        execute(sql)


def drop_triggers(execute: Callable[[str], object], dialect: str, *, functions: bool = False) -> None:
    for name, table in trigger_names(dialect):
        execute(f"DROP TRIGGER IF EXISTS {name}" + ("" if dialect == "sqlite" else f" ON {table}"))
    if functions and dialect != "sqlite":
        for fn in PG_FUNCTIONS:
            execute(f"DROP FUNCTION IF EXISTS {fn}")


def rebuild(execute: Callable[[str], object]) -> None:
    """Compute every task's row afresh (a new table, a bulk load without the triggers, a repair)."""
    for sql in REBUILD:
        execute(sql)


def mismatches(q) -> list[int]:
    """Ids of the tasks whose row differs from a fresh computation, or has none, or has no task (``q``:
    a ``Reader``).  Empty on a ledger the triggers kept."""
    stored = {row[0]: tuple(row) for row in q.rows(f"SELECT {', '.join(COLUMNS)} FROM {TABLE}")}
    wrong = []
    for row in q.rows(FACTS_SELECT):
        if stored.pop(row[0], None) != tuple(row):
            wrong.append(row[0])
    wrong += list(stored)  # rows of tasks that no longer exist
    return sorted(wrong)

