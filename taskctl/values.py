"""Values as people type them — statuses, unit kinds, stages, percents, amounts, dates — checked without
the database: each returns the value taskctl keeps, or raises one line naming what was wrong."""

from __future__ import annotations

import datetime as dt

from taskctl.config import today
from taskctl.errors import InvalidValue

UNIT_KIND_ALIASES = {
    "county": "county", "县区": "county", "县": "county", "区": "county", "县市区": "county", "district": "county",
    "zone": "zone", "经济区": "zone", "开发区": "zone", "园区": "zone",
    "department": "department", "部门": "department", "dept": "department",
    "enterprise": "enterprise", "重点企业": "enterprise", "企业": "enterprise",
    "soe": "soe", "央企": "soe", "central-soe": "soe",
}
STAGE_ALIASES = {
    "started": "started", "开工": "started", "building": "building", "建设": "building", "在建": "building",
    "producing": "producing", "投产": "producing", "effective": "effective", "见效": "effective", "达效": "effective",
}
STATUS_WORDS = {
    "active": "active", "open": "active", "在办": "active", "进行中": "active", "推进中": "active", "正在推进": "active",
    "未完成": "active", "done": "done", "已完成": "done", "完成": "done", "办结": "done", "已办结": "done",
    "paused": "paused", "pause": "paused", "暂缓": "paused", "暂停": "paused",
    "cancelled": "cancelled", "canceled": "cancelled", "cancel": "cancelled", "已取消": "cancelled", "取消": "cancelled",
    "撤销": "cancelled",
}


def status_word(text: str) -> str | None:
    """A status as people write it (done, 已完成, 暂缓 …) -> active/done/paused/cancelled, or None."""
    text = (text or "").strip()
    return STATUS_WORDS.get(text.lower()) or STATUS_WORDS.get(text)


def unit_kind(value: str) -> str:
    kind = UNIT_KIND_ALIASES.get((value or "").strip().lower()) or UNIT_KIND_ALIASES.get((value or "").strip())
    if kind is None:
        raise InvalidValue("error.unit_kind", value=value, choices="county/县区, zone/经济区, department/部门, "
                                                                   "enterprise/重点企业, soe/央企")
    return kind


def not_after_today(on: dt.date) -> dt.date:
    """Progress, status changes, extensions and instructions happen on a day that has come."""
    now = today()
    if on > now:
        raise InvalidValue("error.future_date", on=on.isoformat(), today=now.isoformat())
    return on


def check_percent(value: float, field: str = "percent") -> float:
    """A percent (progress or a quarterly target) as kept: 0–100, to six decimals — nobody reports finer,
    and a value like 1e-320 would make PostgreSQL's judgement in SQL fail on underflow."""
    if value is None or not (0 <= value <= 100) or value != value:
        raise InvalidValue("error.percent_range", field=field, value=value)
    return round(float(value), 6)


def check_amount(value: float | None, field: str) -> float | None:
    if value is None:
        return None
    if value < 0 or value != value or value in (float("inf"),):
        raise InvalidValue("error.negative", field=field, value=value)
    return float(value)


def stage(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    found = STAGE_ALIASES.get(value.strip().lower()) or STAGE_ALIASES.get(value.strip())
    if found is None:
        raise InvalidValue("error.stage", value=value, choices="started/开工, building/建设, producing/投产, effective/见效")
    return found
