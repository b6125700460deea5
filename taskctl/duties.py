"""Reporting duties (报送要求): 每周二前, 每月5日前, 每季度首月10日前 … as RFC 5545 rules.

A duty is written the way offices write it, or in a short ASCII form, and kept in
the ledger as an RRULE string that ``dateutil.rrule`` reads:

    每周二前 / weekly:TU             FREQ=WEEKLY;BYDAY=TU
    每月5日前 / monthly:5            FREQ=MONTHLY;BYMONTHDAY=5
    每月底前 / monthly:-1            FREQ=MONTHLY;BYMONTHDAY=-1
    每季度首月10日前 / quarterly:10   FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=10
    FREQ=…                           any RRULE dateutil accepts (its dates are the report days;
                                     DTSTART is 2000-01-03, so INTERVAL=2 has one phase for all)

A report day that falls on a holiday moves to the next working day (the calendar
of ``taskctl.workdays``).  The missed-report rule (PRODUCT.md, "Stale"): as of D,
the report days before D are judged — the due day itself is still in time —
and a report day is missed when no update is dated in (previous report day, that
report day].  A task is stale when its latest report day before D was missed;
``missed_in_row`` counts the missed report days up to it without a kept one between.

Report days are counted from the later of the task's start and the day its
current active status took effect (a reopened task owes nothing for the time it
was paused or done): only report days after that day are judged.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from taskctl.errors import InvalidValue

CLEAR_WORDS = frozenset({"", "none", "无", "不需报送", "off"})
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_CN_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
               "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_QUARTER_MONTHS = "1,4,7,10"

_BY = r"(?:之前|以前|前)?(?:报送|报)?"
_WEEKLY_CN = re.compile(rf"每周(?:星期|周|礼拜)?(?P<d>[一二三四五六日天七1-7]){_BY}")
_MONTHLY_CN = re.compile(rf"每月(?:(?P<n>[0-9]{{1,2}}|[一二三四五六七八九十廿]{{1,3}})[日号]|(?P<end>底|末)){_BY}")
_QUARTERLY_CN = re.compile(
    rf"每季度?(?:首月|第一个月|初)(?P<n>[0-9]{{1,2}}|[一二三四五六七八九十廿]{{1,3}})[日号]{_BY}")
_WEEKLY_EN = re.compile(r"weekly:(?P<d>mo|tu|we|th|fr|sa|su)")
_MONTHLY_EN = re.compile(r"monthly:(?P<n>-1|[0-9]{1,2})")
_QUARTERLY_EN = re.compile(r"quarterly:(?P<n>[0-9]{1,2})")

ACCEPTED = "每周二前, 每月5日前, 每月28日前, 每月底前, 每季度首月10日前, weekly:TU, monthly:5, quarterly:10, none"


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip().lower()
    return "".join(ch for ch in text if not ch.isspace())


def _day_number(text: str, raw: str) -> int:
    from taskctl.dates import _number

    n = _number(text)
    if n is None:
        raise InvalidValue("duty.unreadable", value=raw, forms=ACCEPTED)
    if not 1 <= n <= 28:
        raise InvalidValue("duty.bad_day", value=raw, day=n)
    return n


def parse_duty(text: str | None) -> str | None:
    """The RRULE string of a duty as typed; None clears it (``none``, ``无``).

    Raises InvalidValue (duty.unreadable / duty.bad_day) for anything else.
    """
    raw = (text or "").strip()
    s = _normal(raw)
    if s in CLEAR_WORDS:
        return None
    if m := (_WEEKLY_CN.fullmatch(s) or None):
        return f"FREQ=WEEKLY;BYDAY={WEEKDAYS[_CN_WEEKDAY[m['d']]]}"
    if m := _WEEKLY_EN.fullmatch(s):
        return f"FREQ=WEEKLY;BYDAY={m['d'].upper()}"
    if m := _MONTHLY_CN.fullmatch(s):
        return "FREQ=MONTHLY;BYMONTHDAY=" + ("-1" if m["end"] else str(_day_number(m["n"], raw)))
    if m := _MONTHLY_EN.fullmatch(s):
        return "FREQ=MONTHLY;BYMONTHDAY=" + ("-1" if m["n"] == "-1" else str(_day_number(m["n"], raw)))
    if m := (_QUARTERLY_CN.fullmatch(s) or _QUARTERLY_EN.fullmatch(s)):
        return f"FREQ=MONTHLY;BYMONTH={_QUARTER_MONTHS};BYMONTHDAY={_day_number(m['n'], raw)}"
    if s.startswith(("freq=", "rrule:")):
        rule = raw.upper().removeprefix("RRULE:").replace(" ", "")
        try:
            from dateutil.rrule import rrulestr

            rrulestr(rule, dtstart=dt.datetime(2000, 1, 1))
        except (ValueError, TypeError):
            raise InvalidValue("duty.bad_rrule", value=raw) from None
        if any(part.startswith(("COUNT=", "UNTIL=", "DTSTART")) for part in rule.split(";")):
            raise InvalidValue("duty.bad_rrule", value=raw)
        return rule
    raise InvalidValue("duty.unreadable", value=raw, forms=ACCEPTED)


def describe(rule: str | None) -> str | None:
    """The duty in the interface language (每周二前 / by Tuesday every week); the RRULE if unusual."""
    from taskctl.i18n import t

    if not rule:
        return None
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    freq, byday, bymonth, bymday = parts.get("FREQ"), parts.get("BYDAY"), parts.get("BYMONTH"), parts.get("BYMONTHDAY")
    if set(parts) == {"FREQ", "BYDAY"} and freq == "WEEKLY" and byday in WEEKDAYS:
        return t("duty.weekly", day=t(f"duty.weekday.{byday}"))
    if set(parts) == {"FREQ", "BYMONTHDAY"} and freq == "MONTHLY":
        return t("duty.month_end") if bymday == "-1" else t("duty.monthly", day=bymday)
    if set(parts) == {"FREQ", "BYMONTH", "BYMONTHDAY"} and freq == "MONTHLY" and bymonth == _QUARTER_MONTHS:
        return t("duty.quarterly", day=bymday)
    return rule


# ---------------------------------------------------------------------- report days


# A rule that depends on where it starts (INTERVAL=2, FREQ=MONTHLY alone) starts here, so that its
# days are the same for every task and every report; the plain forms do not depend on it.
EPOCH = dt.datetime(2000, 1, 3)  # a Monday


def _plain(rule: str) -> bool:
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    return (set(parts) == {"FREQ", "BYDAY"} and parts["FREQ"] == "WEEKLY" and parts["BYDAY"] in WEEKDAYS) or (
        parts.get("FREQ") == "MONTHLY" and set(parts) in ({"FREQ", "BYMONTHDAY"}, {"FREQ", "BYMONTH", "BYMONTHDAY"}))


def _nominal(rule: str, after: dt.date, until: dt.date) -> list[dt.date]:
    """The rule's days in [after, until] (before moving holidays)."""
    from dateutil.rrule import rrulestr

    if until < after:
        return []
    start = dt.datetime.combine(after, dt.time())
    end = dt.datetime.combine(until, dt.time())
    anchor = start if _plain(rule) else min(EPOCH, start)
    return [d.date() for d in rrulestr(rule, dtstart=anchor).between(start, end, inc=True)]


def report_days(rule: str, first: dt.date, last: dt.date, calendar) -> list[dt.date]:
    """Report days in [first, last] after moving each holiday one to the next working day."""
    nominal = _nominal(rule, first - dt.timedelta(days=40), last)  # a day before `first` may move into it
    days = sorted({calendar.next_workday(d) for d in nominal})
    return [d for d in days if first <= d <= last]


@dataclass(frozen=True)
class Missed:
    missed_report: dt.date | None  # the latest report day before D, when it was missed
    missed_in_row: int  # missed report days in a row, ending with it (0 when none)
    last_report_day: dt.date | None  # the latest report day before D (kept or missed)
    next_report_day: dt.date | None  # the first report day on or after D

    @property
    def stale(self) -> bool:
        return self.missed_report is not None


def judge_duty(rule: str, *, counted_from: dt.date, as_of: dt.date, updates: Sequence[dt.date],
               calendar) -> Missed:
    """The missed-report rule for one task as of ``as_of`` (see the module docstring).

    ``counted_from`` is the task's start (or the day its active status began): report
    days after it are judged.  ``updates`` are the task's progress dates (any order).
    """
    cache = getattr(calendar, "duty_cache", None)  # tasks share their duty and often their start
    key = (rule, counted_from, as_of)
    days = cache.get(key) if cache is not None else None
    if days is None:
        days = _days_around(rule, counted_from, as_of, calendar)
        if cache is not None:
            cache[key] = days
    updates = sorted(updates)
    judged_idx = [i for i, d in enumerate(days) if counted_from < d < as_of]
    nxt = next((d for d in days if d >= as_of), None)
    if not judged_idx:
        return Missed(None, 0, None, nxt)

    def kept(i: int) -> bool:
        low = days[i - 1] if i > 0 else dt.date.min
        high = days[i]
        k = bisect.bisect_right(updates, low)
        return k < len(updates) and updates[k] <= high

    last = judged_idx[-1]
    if kept(last):
        return Missed(None, 0, days[last], nxt)
    row = 0
    for i in reversed(judged_idx):
        if kept(i):
            break
        row += 1
    return Missed(days[last], row, days[last], nxt)


def _days_around(rule: str, counted_from: dt.date, as_of: dt.date, calendar) -> list[dt.date]:
    """Report days from the last one on or before ``counted_from`` (the first window's lower bound)
    to the first one on or after ``as_of``.

    Only these nominal days are moved with the calendar, so years far from the task raise
    no "unknown year" warning.
    """
    nominal = _nominal(rule, counted_from - dt.timedelta(days=100), as_of + dt.timedelta(days=400))
    lo = max(bisect.bisect_right(nominal, counted_from) - 1, 0)
    moved: set[dt.date] = set()
    for d in nominal[lo:]:
        moved_day = calendar.next_workday(d)
        moved.add(moved_day)
        if moved_day >= as_of:
            break
    return sorted(moved)


def duties_of(source, task_ids: Sequence[int] | None = None) -> dict[int, str]:
    """Each task's duty in force: its own, else its lead unit's. Tasks without one are left out."""
    from taskctl.reader import reader_of

    out = {}
    wanted = set(task_ids) if task_ids is not None else None
    for tid, own, unit_rule in reader_of(source).rows(
            "SELECT t.id, t.report_rule, u.report_rule FROM task t LEFT JOIN unit u ON u.id = t.lead_unit_id "
            "WHERE t.report_rule IS NOT NULL OR u.report_rule IS NOT NULL"):
        if wanted is not None and tid not in wanted:
            continue
        out[tid] = own or unit_rule
    return out


def update_dates(source, task_ids: Sequence[int], as_of: dt.date) -> dict[int, list[dt.date]]:
    """Progress dates on or before ``as_of`` of the given tasks."""
    from taskctl.reader import in_chunks, reader_of

    q = reader_of(source)
    out: dict[int, list[dt.date]] = {tid: [] for tid in task_ids}
    for chunk in in_chunks(list(task_ids)):
        for tid, on in q.rows("SELECT task_id, on_date FROM progress WHERE task_id IN (:ids) AND on_date <= :d",
                              {"ids": list(chunk), "d": as_of}, dates=(1,)):
            out[tid].append(on)
    return out
