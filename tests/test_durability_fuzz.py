"""The CLI never shows a traceback: every command, discovered from the Click app (so commands added
later are covered too), run in-process with generated arguments — control, surrogate, wide and
zero-width characters, huge and negative numbers, extreme dates, hostile files.

Asserted for every invocation: the exit code is 0–4 (2 is Typer's usage error); no exception escapes
(the real entry point would print a traceback) and none is reported as an internal error; an error
(1, 3, 4) is one line on stderr; after any non-zero exit the ledger holds exactly what it held before.
"""

from __future__ import annotations

import os
import sqlite3
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


# ---------------------------------------------------------------- the commands, as the app defines them


def _app_command():
    import typer

    from taskctl.cli.app import app

    return typer.main.get_command(app)


def leaf_commands() -> list[tuple[list[str], object]]:
    out = []

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in sorted(subs.items()):
                walk(sub, path + [name])
        else:
            out.append((path, cmd))

    walk(_app_command(), [])
    return out


# ---------------------------------------------------------------- what a hostile user types

WEIRD_TEXT = [
    "", " ", "\u200b", "\ufeff", "\u200b\u200c\ufeff", "控制\x01字符", "响\x07铃", "单位\x0b名", "空\x00字", "\udce4",
    "a\udcffb", "名称\n换行", "\t", "x" * 3000, "市发改委", "发改委", "杜鑫", "investment", "招商引资", "1", "Q1=10,Q1=20",
    "Q1=25,Q2=50,Q3=75,Q4=100", "Q5=1", "=1+1", "@SUM(A1)", "-", "--", "'", '"', "\\", "%s", "{title}", "{0}",
    "ｆｕｌｌｗｉｄｔｈ", "😀" * 5, "\u202e反转", "done", "active", "暂缓", "county", "开工", "2023Q1", "2023-W13",
]
HOSTILE = ["控制\x01字符", "空\x00字", "\udce4", "\u200b\ufeff", "名称\n换行", "x" * 3000, "", "18446744073709551616",
           "9999-12-31", "😀\u202e"]
DATES = [
    "0001-01-01", "9999-12-31", "2023-03-31", "2023-02-30", "3月底前", "一季度", "年底前", "长期坚持", "立行立改",
    "eom", "eoy", "+3d", "+99999999d", "-99999999d", "+999999999999w", "today", "2023W53", "19000101", "0000-00-00",
]
NUMBERS = [
    "0", "1", "-1", "36", "101", "2147483648", "9223372036854775808", "18446744073709551616", "1" + "0" * 30,
    "-" + "9" * 25, "1e309", "-1e309", "nan", "inf", "-inf", "0.5", "1,000", "²", "١٢", "0x10", "99999999",
]
FORMATS = ["table", "json", "csv", "md", "xlsx", "TABLE", "docx", ""]


def hostile_files(folder) -> list[str]:
    """Files an import or a backup may be pointed at."""
    files = {}
    files["nul.csv"] = "任务,聚焦领域,牵头单位\n空\x00字任务,1,市发改委\n".encode()
    files["huge.csv"] = ("任务,聚焦领域\n" + "长" * 140_000 + ",1\n").encode()
    files["gbk.csv"] = "任务,聚焦领域\n任务甲,1\n".encode("gbk")
    files["empty.csv"] = b""
    files["bom.csv"] = "\ufeff".encode()
    files["id.csv"] = "编号,完成进度\n²,50\n18446744073709551616,10\n".encode()
    files["notzip.xlsx"] = b"PK\x03\x04 not really"
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with zipfile.ZipFile(folder / "nosheets.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook><sheets></sheets>")
    (folder / "adir.csv").mkdir()
    return [str(folder / n) for n in [*files, "nosheets.xlsx", "adir.csv"]] + [
        str(folder / "missing.csv"), str(folder / "out.xlsx"), str(folder / "out.csv"), str(folder / "b.db"),
        "/nonexistent/dir/b.db", "/dev/null", str(folder), str(folder / "x.tmp"),
    ]


def _annotation(param):
    """The Python type a parameter was declared with (Optional and list unwrapped), or None."""
    import enum
    import typing

    ann = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    for _ in range(3):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if args and typing.get_origin(ann) is not None and not (isinstance(ann, type) and issubclass(ann, enum.Enum)):
            ann = args[0]
    return ann


SMALL_IDS = [str(i) for i in (1, 2, 3, 4, 5, 10, 21, 36, 100, 162, 163)]


def value_for(param, files: list[str]) -> st.SearchStrategy[str]:
    import enum
    import pathlib

    name = (param.name or "").lower()
    ann = _annotation(param)
    pools = [WEIRD_TEXT, DATES, NUMBERS]
    if isinstance(ann, type) and issubclass(ann, enum.Enum):
        pools = [[m.value for m in ann], [m.value for m in ann], FORMATS]
    elif ann is int or "id" in name.split("_"):
        pools = [SMALL_IDS, SMALL_IDS, NUMBERS]
    elif ann is float or name in ("percent", "invest", "invest_done", "days", "limit", "year"):
        pools = [SMALL_IDS, NUMBERS]
    elif name in ("as_of", "on", "due", "start", "to", "works_start", "production", "week") or "quarter" in name:
        pools = [DATES, DATES, WEIRD_TEXT, NUMBERS]
    elif name in ("fmt", "format"):
        pools = [FORMATS]
    elif ann is pathlib.Path or name in ("file", "output", "path") or "file" in name:
        pools = [files, files, WEIRD_TEXT]
    random_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)
    return st.one_of(*[st.sampled_from(p) for p in pools], random_text)


@st.composite
def invocations(draw, commands, files):
    path, cmd = draw(st.sampled_from(commands))
    args = list(path)
    for param in cmd.params:
        if getattr(param, "param_type_name", "") == "option":
            if not draw(st.booleans()):
                continue
            if param.name in ("help",):
                continue
            opt = draw(st.sampled_from(param.opts))
            if getattr(param, "is_flag", False):
                args.append(opt)
            else:
                args += [opt, draw(value_for(param, files))]
        else:
            if draw(st.integers(0, 9)) == 0:
                continue  # a missing argument: Typer's usage error
            args.append(draw(value_for(param, files)))
    return args


# ---------------------------------------------------------------- the checks


def fingerprint(url: str, backend: str):
    """The ledger's content: count and digest of every table (each row cast to text)."""
    if backend != "sqlite":
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            tables = [r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                                 "WHERE table_schema = 'public' ORDER BY 1")]
            return {t: conn.execute(f'SELECT count(*), md5(string_agg(x::text, \'|\' ORDER BY x::text)) '
                                    f'FROM "{t}" x').fetchone() for t in tables}
    with sqlite3.connect(f"file:{url}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        out = {}
        for table in tables:
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            concat = " || '|' || ".join(f'coalesce(quote("{c}"), \'\')' for c in cols)
            out[table] = conn.execute(f'SELECT count(*), total(length({concat})), '
                                      f'group_concat(hex(substr({concat}, 1, 40))) FROM "{table}"').fetchone()
    conn.close()
    return out


def check(runner, cmd, args, url, backend, seen):
    before = fingerprint(url, backend)
    result = runner.invoke(cmd, args, input="", catch_exceptions=True)
    shown = f"taskctl {' '.join(map(repr, args))}\nexit {result.exit_code}\nstderr: {result.stderr!r}"
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), shown + f"\nexception: {exc!r}"
    assert result.exit_code in (0, 1, 2, 3, 4), shown
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, shown
    assert "internal error" not in result.stderr, shown
    if result.exit_code in (1, 3, 4):
        # one error line, last; only an import lists what it refused above it
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("error: ")]
        assert len(errors) == 1 and lines[-1] == errors[0], shown
        if args[:1] != ["import"]:  # an import lists what it refused (rows, unknown names) above its error
            assert all(line.startswith(("row ", "error: ")) for line in lines), shown
    if result.exit_code != 0:
        assert fingerprint(url, backend) == before, shown
    seen[result.exit_code] = seen.get(result.exit_code, 0) + 1


@pytest.fixture
def fuzz_setup(demo_env, tmp_path, monkeypatch, backend):
    import typer.testing
    from typer.testing import CliRunner


    cmd = _app_command()
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: cmd)  # build the Click tree once
    monkeypatch.chdir(tmp_path)
    files = hostile_files(tmp_path)
    url = demo_env
    return CliRunner(), cmd, files, url


@pytest.mark.parametrize("examples", [2000])
def test_every_command_survives_generated_arguments(fuzz_setup, backend, examples):
    runner, cmd, files, url = fuzz_setup
    commands = leaf_commands()
    assert len(commands) >= 40  # every command of the app, including those added later
    seen: dict[int, int] = {}
    n = examples if backend == "sqlite" else 150

    @settings(max_examples=n, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(invocations(commands, files))
    def run_one(args):
        check(runner, cmd, args, url, backend, seen)

    run_one()
    assert sum(seen.values()) >= n * 0.9
    assert seen.get(0) and seen.get(1) and seen.get(2), seen  # successes, refusals and usage errors all met


def test_each_command_once_with_every_hostile_text(fuzz_setup, backend):
    """Not left to chance: every command's every text parameter gets each weird text once."""
    runner, cmd, files, url = fuzz_setup
    seen: dict[int, int] = {}
    texts = HOSTILE if backend == "sqlite" else HOSTILE[:4]
    for path, command in leaf_commands():
        required = [p for p in command.params if getattr(p, "param_type_name", "") == "argument"]
        for text in texts:
            args = list(path) + [("1" if "id" in (p.name or "") else text) for p in required]
            check(runner, cmd, args, url, backend, seen)
    assert seen.get(1) and seen.get(0), seen
