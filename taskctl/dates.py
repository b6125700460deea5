"""Dates as people write them in supervision ledgers.

Deadlines arrive as ISO strings, spreadsheet cells, Taskwarrior shortcuts and,
most often, the phrases of Chinese work plans: 3月底前, 一季度, 上半年, 年内,
长期坚持.  ``parse_date`` turns each into one date plus the kind of phrase it
was, so a ledger can keep the text as typed and still sort and compare dates.

The parser is strict on purpose: a phrase it does not know, or a date that does
not exist (2月30日, 13月), is an error that quotes the input.  It never guesses
and never lets a day roll over into the next month.

Nothing here reads the clock or the environment: callers pass the ledger year
and the pinned "today", so the same text always means the same date.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from taskctl.errors import DateParseError

__all__ = [
    "ACCEPTED_FORMS",
    "COUNTED",
    "DATE",
    "IMMEDIATE",
    "KINDS",
    "ONGOING",
    "PERIOD",
    "RELATIVE",
    "ParsedDate",
    "format_date",
    "parse_date",
    "parse_quarter",
    "parse_week",
    "quarter_bounds",
    "quarter_of",
]

DATE = "date"  # an explicit day: 2023-03-31, 3月31日
PERIOD = "period"  # a month, ten days, quarter, half or year: 3月底, 一季度, 年内
RELATIVE = "relative"  # counted from today: eom, +3d, 明天
ONGOING = "ongoing"  # no due date: 长期坚持
IMMEDIATE = "immediate"  # 立行立改: due on the task's start date
COUNTED = "counted"  # counted from the task's start: 5个工作日内, 15日内
KINDS = (DATE, PERIOD, RELATIVE, ONGOING, IMMEDIATE, COUNTED)

# Shown in the "cannot read" message; the same examples serve both languages.
ACCEPTED_FORMS = (
    "2023-03-31, 2023/3/31, 3月31日, 3月底(前), 三月中旬, 一季度, Q1, 上半年, 年底前, "
    "2023年5月, eom, eoq, eoy, +3d, +2w, +5wd, today, 5个工作日内, 15日内, 长期坚持, 立行立改"
)


@dataclass(frozen=True)
class ParsedDate:
    """A deadline as typed and as understood."""

    date: datetime.date | None  # None = ongoing (no due date)
    kind: str  # one of KINDS
    text: str  # the text as typed (stripped); for date objects, the ISO string


# --------------------------------------------------------------------------- words

_ONGOING_WORDS = frozenset(
    {
        "长期坚持", "持续推进", "长期", "ongoing", "常态化", "长期推进",
        "持续", "长期开展", "持续开展", "常态化推进", "常态长效",
    }
)
_IMMEDIATE_WORDS = frozenset({"立行立改", "立即", "即知即改"})


def _shift(**delta: int) -> Callable[[datetime.date], datetime.date]:
    return lambda today: today + relativedelta(**delta)


def _quarter_start(today: datetime.date) -> datetime.date:
    return quarter_bounds(*quarter_of(today))[0]


def _quarter_end(today: datetime.date) -> datetime.date:
    return quarter_bounds(*quarter_of(today))[1]


# Shortcuts counted from today (not from the ledger year).
_SHORTCUTS: dict[str, Callable[[datetime.date], datetime.date]] = {
    "today": _shift(), "今天": _shift(), "今日": _shift(),
    "tomorrow": _shift(days=1), "明天": _shift(days=1), "明日": _shift(days=1),
    "yesterday": _shift(days=-1), "昨天": _shift(days=-1), "昨日": _shift(days=-1),
    "eom": _shift(day=31), "本月底": _shift(day=31), "本月末": _shift(day=31), "月底": _shift(day=31),
    "som": _shift(day=1),
    "eoq": _quarter_end, "本季度末": _quarter_end,
    "soq": _quarter_start,
    "eoy": _shift(month=12, day=31),
    "soy": _shift(month=1, day=1),
}
_OFFSET = re.compile(r"(?P<sign>[+-])(?P<n>[0-9]{1,7})(?P<unit>[dwmy])")
_OFFSET_UNITS = {"d": "days", "w": "weeks", "m": "months", "y": "years"}
_WD_OFFSET = re.compile(r"\+(?P<n>[0-9]{1,4})wd")  # +5wd: working days from today

# Counted from the task's start (the first day after it is day 1): 5个工作日内, 3个工作日内办结, 15日内, 30天内.
_COUNT_TAIL = r"(?:以内|之内|内)?(?:办结|完成|反馈|报送|答复|回复|落实)?"
_WORKDAYS_COUNT = re.compile(rf"(?P<n>[0-9]{{1,4}}|[〇零一二三四五六七八九十廿卅]{{1,3}})个?工作日{_COUNT_TAIL}")
_DAYS_COUNT = re.compile(
    r"(?P<n>[0-9]{1,4}|[〇零一二三四五六七八九十廿卅]{1,3})(?:个自然日|自然日|日|天)(?:以内|之内|内)"
    r"(?:办结|完成|反馈|报送|答复|回复|落实)?")

# "前" (by) is inclusive and "完成" (be done) adds nothing: 3月底前完成 = 3月底.
_BY = re.compile(r"(?:之前|以前|前)?(?:完成)?\Z")

# A time after a spreadsheet's date ("2023-03-31 00:00:00") carries no meaning here.
_TIME = re.compile(r"(?<=[0-9])(?:t|\s+)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?\Z")

# --------------------------------------------------------------------------- numbers

_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DIGITS = "".join(_CN_DIGIT)
_CN_SMALL = re.compile(r"(?P<tens>[一二三四五六七八九]?十|廿|卅)?(?P<ones>[一二三四五六七八九])?")


def _number(text: str) -> int | None:
    """ASCII digits, a Chinese year read digit by digit (二〇二三), or 1-39 (三, 十二, 三十一, 廿一)."""
    if text.isascii():
        return int(text)
    if len(text) == 1 and text in "〇零":
        return 0
    if len(text) == 4 and all(ch in _CN_DIGIT for ch in text):
        return int("".join(str(_CN_DIGIT[ch]) for ch in text))
    m = _CN_SMALL.fullmatch(text)
    if m is None:
        return None
    tens = m["tens"] or ""
    if tens == "廿":
        value = 20
    elif tens == "卅":
        value = 30
    elif tens:
        value = 10 * (_CN_DIGIT[tens[0]] if len(tens) == 2 else 1)
    else:
        value = 0
    return value + (_CN_DIGIT[m["ones"]] if m["ones"] else 0)


# --------------------------------------------------------------------------- patterns

# An optional year before a Chinese phrase: 2023年, 二〇二三年, 今年, 本年度.
_Y = rf"(?:(?P<year>[0-9]{{4}}|[{_CN_DIGITS}]{{4}})年|(?:今|本)年度?)?"
_N = rf"[0-9]{{1,2}}|[{_CN_DIGITS}十廿卅]{{1,3}}"  # a month or day number
_END = r"(?P<end>底|末|内)?"  # 底/末 name the last day; 内 (within) is the period itself

_ISO = re.compile(r"(?P<year>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})")
_COMPACT = re.compile(r"(?P<year>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})")
_YEAR_MONTH = re.compile(r"(?P<year>[0-9]{4})[-/.](?P<m>[0-9]{1,2})")
_MONTH_DAY = re.compile(r"(?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})")
_CN_DAY = re.compile(rf"{_Y}(?P<m>{_N})月(?P<d>{_N})[日号]?")
_CN_MONTH = re.compile(rf"{_Y}(?P<m>{_N})月份?(?P<part>底|末|内|上旬|中旬|下旬)?")
_QUARTER_CN = re.compile(rf"{_Y}第?(?P<q>[0-9]|[{_CN_DIGITS}])季度?{_END}")
_QUARTER_Q = re.compile(rf"(?:(?P<year>[0-9]{{4}})(?:年|[-/.])?)?q(?P<q>[0-9]{{1,2}}){_END}")
_HALF = re.compile(rf"{_Y}(?P<half>上|下)半年度?{_END}")
_WHOLE_YEAR = re.compile(
    rf"(?:(?P<year>[0-9]{{4}}|[{_CN_DIGITS}]{{4}})年?|(?:今|本)年?)?(?:全年度?|年度?{_END})"
)
_WEEK = re.compile(
    r"(?:(?P<year>[0-9]{4})-?)?w(?P<w>[0-9]{1,2})"  # 2023-W05, 2023W5, W05
    r"|(?:(?P<cyear>[0-9]{4})年)?第?(?P<cw>[0-9]{1,2})周"  # 2023年第5周
)

_TEN_DAYS = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, None)}  # None: the month's last day


_Found = tuple[datetime.date | None, str]  # (date, kind)


class _NoSuchDate(Exception):
    """Readable text naming a day that does not exist; reported as date.impossible."""


class _Unreadable(Exception):
    """Text shaped like a known form that still names nothing (十十月, a bare 年)."""


@dataclass(frozen=True)
class _Context:
    year: int  # the ledger year, for text without one
    today: datetime.date
    first: bool  # role "start": a period means its first day
    start: datetime.date | None
    workdays: Callable[[datetime.date, int], datetime.date] | None = None


def _day(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _NoSuchDate from None


def _month_end(year: int, month: int) -> datetime.date:
    return _day(year, month, 1) + relativedelta(day=31)


def _period(
    first: datetime.date, last: datetime.date, ctx: _Context, *, end: str | None = None
) -> _Found:
    """A period is its last day, or its first for a start date, unless 底/末 named the end."""
    if ctx.first and end not in ("底", "末"):
        return first, PERIOD
    return last, PERIOD


def _year_of(m: re.Match[str], ctx: _Context) -> int:
    text = m.groupdict().get("year")
    if text is None:
        return ctx.year
    value = _number(text)
    assert value is not None  # four digits, ASCII or Chinese, always read
    return value


def _number_of(m: re.Match[str], group: str = "m") -> int:
    value = _number(m[group])
    if value is None:
        raise _Unreadable
    return value


def _read_iso(m: re.Match[str], ctx: _Context) -> _Found:
    return _day(int(m["year"]), int(m["m"]), int(m["d"])), DATE


def _read_month_day(m: re.Match[str], ctx: _Context) -> _Found:
    return _day(_year_of(m, ctx), _number_of(m), _number_of(m, "d")), DATE


def _read_year_month(m: re.Match[str], ctx: _Context) -> _Found:
    year, month = _year_of(m, ctx), _number_of(m)
    return _period(_day(year, month, 1), _month_end(year, month), ctx)


def _read_cn_month(m: re.Match[str], ctx: _Context) -> _Found:
    year, month = _year_of(m, ctx), _number_of(m)
    part = m["part"]
    if part in _TEN_DAYS:
        first, last = _TEN_DAYS[part]
        end = _month_end(year, month) if last is None else _day(year, month, last)
        return _period(_day(year, month, first), end, ctx)
    return _period(_day(year, month, 1), _month_end(year, month), ctx, end=part)


def _quarter_number(m: re.Match[str]) -> int:
    q = _number_of(m, "q")
    if not 1 <= q <= 4:
        raise _NoSuchDate
    return q


def _read_quarter(m: re.Match[str], ctx: _Context) -> _Found:
    year, q = _year_of(m, ctx), _quarter_number(m)
    _day(year, 1, 1)  # year 0 is no such date, like 13月
    return _period(*quarter_bounds(year, q), ctx, end=m["end"])


def _read_half(m: re.Match[str], ctx: _Context) -> _Found:
    year = _year_of(m, ctx)
    months = (1, 6) if m["half"] == "上" else (7, 12)
    return _period(_day(year, months[0], 1), _month_end(year, months[1]), ctx, end=m["end"])


def _read_whole_year(m: re.Match[str], ctx: _Context) -> _Found:
    if m[0] == "年":  # a bare 年 names no year
        raise _Unreadable
    year = _year_of(m, ctx)
    return _period(_day(year, 1, 1), _day(year, 12, 31), ctx, end=m["end"])


_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], _Context], _Found]], ...] = (
    (_ISO, _read_iso),
    (_COMPACT, _read_iso),
    (_YEAR_MONTH, _read_year_month),
    (_MONTH_DAY, _read_month_day),
    (_CN_DAY, _read_month_day),
    (_CN_MONTH, _read_cn_month),
    (_QUARTER_CN, _read_quarter),
    (_QUARTER_Q, _read_quarter),
    (_HALF, _read_half),
    (_WHOLE_YEAR, _read_whole_year),
)


# --------------------------------------------------------------------------- parsing


def _normalise(text: str) -> str:
    """Full-width to half-width (３月底, Ｑ１), lower case, no spaces or invisible marks."""
    text = unicodedata.normalize("NFKC", text).lower().strip()
    text = _TIME.sub("", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def _shown(text: str) -> str:
    """The input as quoted in a one-line message: no line breaks or control characters."""
    shown = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _unreadable(text: str) -> DateParseError:
    return DateParseError("date.unreadable", value=_shown(text), forms=ACCEPTED_FORMS)


def _read(text: str, ctx: _Context) -> _Found | None:
    if text in _ONGOING_WORDS:
        return None, ONGOING
    if text in _IMMEDIATE_WORDS:
        return (ctx.start or ctx.today), IMMEDIATE
    text = _BY.sub("", text, count=1)
    if text in _SHORTCUTS:
        return _relative(lambda: _SHORTCUTS[text](ctx.today))
    if (counted := _counted(text, ctx)) is not None:
        return counted
    if m := _OFFSET.fullmatch(text):
        n = int(m["n"]) * (-1 if m["sign"] == "-" else 1)
        return _relative(lambda: ctx.today + relativedelta(**{_OFFSET_UNITS[m["unit"]]: n}))
    for pattern, read in _FORMS:
        if m := pattern.fullmatch(text):
            try:
                return read(m, ctx)
            except _Unreadable:
                return None
    return None


def _counted(text: str, ctx: _Context) -> _Found | None:
    """+5wd (from today), 5个工作日内 (working days) and 15日内 (calendar days) from the start."""
    m = _WD_OFFSET.fullmatch(text)
    working = m is not None
    anchor, kind = ctx.today, RELATIVE
    if m is None:
        m = _WORKDAYS_COUNT.fullmatch(text)
        working = m is not None
        m = m or _DAYS_COUNT.fullmatch(text)
        if m is None:
            return None
        anchor, kind = (ctx.start or ctx.today), COUNTED
    n = _number(m["n"])
    if n is None:  # 一一个工作日
        return None
    if n < 1:
        raise DateParseError("date.zero_count", value=text)
    if not working:
        return _relative(lambda: anchor + relativedelta(days=n))[0], kind
    if ctx.workdays is None:  # a caller that cannot count working days
        raise DateParseError("date.no_workdays", value=text)
    return _relative(lambda: ctx.workdays(anchor, n))[0], kind


def _relative(compute: Callable[[], datetime.date]) -> _Found:
    try:
        return compute(), RELATIVE
    except (OverflowError, ValueError):  # beyond year 9999 or before year 1
        raise _NoSuchDate from None


def parse_date(
    value: str | datetime.date | datetime.datetime,
    *,
    year: int,
    today: datetime.date,
    role: str = "end",
    start: datetime.date | None = None,
    workdays: Callable[[datetime.date, int], datetime.date] | None = None,
) -> ParsedDate:
    """Read a deadline as a ledger writes it.

    ``year`` fills in text without a year; ``today`` anchors shortcuts; ``role``
    "start" makes a period mean its first day (--start) instead of its last;
    ``start`` is the task's start date, on which 立行立改 falls due and from which 5个工作日内 and
    15日内 are counted (the first day after it is day 1; without a start, from today);
    ``workdays(day, n)`` gives the n-th working day after a day (``WorkCalendar.add_workdays``).
    Raises DateParseError (date.unreadable or date.impossible) and nothing else.
    """
    if role not in ("end", "start"):
        raise ValueError(f"role must be 'end' or 'start', not {role!r}")
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return ParsedDate(value, DATE, value.isoformat())
    raw = "" if value is None else str(value).strip()
    text = _normalise(raw)
    if not text:
        raise _unreadable(raw)
    ctx = _Context(year=year, today=today, first=role == "start", start=start, workdays=workdays)
    try:
        found = _read(text, ctx)
    except _NoSuchDate:
        raise DateParseError("date.impossible", value=_shown(raw)) from None
    except DateParseError as exc:
        if "value" in exc.params:  # quote the input as typed
            exc.params["value"] = _shown(raw)
        raise
    if found is None:
        raise _unreadable(raw)
    return ParsedDate(found[0], found[1], raw)


# --------------------------------------------------------------------------- quarters and weeks


def quarter_of(d: datetime.date) -> tuple[int, int]:
    """(year, quarter 1..4) of a day."""
    return d.year, (d.month - 1) // 3 + 1


def quarter_bounds(year: int, q: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of quarter ``q`` of ``year``."""
    if not (1 <= q <= 4 and datetime.MINYEAR <= year <= datetime.MAXYEAR):
        raise DateParseError("date.bad_quarter", value=f"{year}Q{q}")
    first = datetime.date(year, 3 * q - 2, 1)
    return first, first + relativedelta(months=2, day=31)


def parse_quarter(text: str | None, *, today: datetime.date) -> tuple[int, int]:
    """A report's quarter: 2023Q1, 2023-Q1, Q1, 2023年一季度, 一季度; none = today's quarter.

    A quarter without a year is in today's year, as a report is usually about now.
    """
    raw = (text or "").strip()
    normal = _normalise(raw)
    if not normal:
        return quarter_of(today)
    for pattern in (_QUARTER_Q, _QUARTER_CN):
        if m := pattern.fullmatch(normal):
            year = _number(m["year"]) if m["year"] else today.year
            q = _number(m["q"])
            if year and q and 1 <= q <= 4:
                return year, q
    raise DateParseError("date.bad_quarter", value=_shown(raw))


def parse_week(text: str | None, *, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """An ISO week (2023-W05, 2023W05, 2023-W5, 2023年第5周) as (Monday, Sunday); none = this week.

    A week without a year is in today's ISO year.
    """
    raw = (text or "").strip()
    normal = _normalise(raw)
    if not normal:
        monday = today - datetime.timedelta(days=today.weekday())
        return monday, monday + datetime.timedelta(days=6)
    m = _WEEK.fullmatch(normal)
    if m:
        year_text = m["year"] or m["cyear"]
        year = int(year_text) if year_text else today.isocalendar().year
        week = int(m["w"] or m["cw"])
        try:
            monday = datetime.date.fromisocalendar(year, week, 1)
            return monday, datetime.date.fromisocalendar(year, week, 7)
        except ValueError:  # week 53 of a 52-week year, week 0, year 0
            pass
    raise DateParseError("date.bad_week", value=_shown(raw))


def format_date(d: datetime.date | None) -> str:
    """ISO text of a date, or "" for none (ongoing)."""
    if d is None:
        return ""
    if isinstance(d, datetime.datetime):
        d = d.date()
    return d.isoformat()
