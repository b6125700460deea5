"""The ledger's names and calendar: units, leaders, areas, users (PostgreSQL roles), holidays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from taskctl.api.resolve import resolve_day
from taskctl.errors import InvalidValue

if TYPE_CHECKING:
    from taskctl.reports.model import Report

MAX_HOLIDAY_RANGE = 366


class Directory:
    # ---------------------------------------------------------------- units

    def add_unit(self, name: str, *, kind: str, aliases: Sequence[str] = (), contact: str | None = None,
                 phone: str | None = None, report: str | None = None) -> dict[str, Any]:
        """A unit (kind: county/县区, zone/经济区, department/部门, enterprise/重点企业, soe/央企); its id,
        name and kind.  ``report``: the default reporting duty of its tasks (每周二前)."""
        from taskctl import ledger as L
        from taskctl.duties import parse_duty

        with self.transaction() as session:
            unit = L.add_unit(session, name=name, kind=kind, aliases=list(aliases or []), contact_person=contact,
                              contact_phone=phone, report_rule=parse_duty(report))
            return {"id": unit.id, "name": unit.name, "kind": unit.kind}

    def units(self, kind: str | None = None) -> "Report":
        """The units (`unit list`), of one kind if given."""
        from taskctl.values import unit_kind
        from taskctl.reports.lists import unit_list

        with self.reading() as q:
            return unit_list(q, unit_kind(kind) if kind else None)

    def unit(self, name: str) -> "tuple[dict[str, Any], Report]":
        """One unit's row (with its reporting duty) and the list of its tasks as of today (`unit show`)."""
        from taskctl.config import today
        from taskctl.duties import describe
        from taskctl.names import unit_id
        from taskctl.snapshot import Filters
        from taskctl.reports.lists import task_list, unit_list

        with self.reading() as q:
            uid = unit_id(q, name)
            info = next(r for r in unit_list(q).rows if r["id"] == uid)
            report = task_list(q, today(), Filters(unit_id=uid))
            rule = q.scalar("SELECT report_rule FROM unit WHERE id = :u", {"u": uid})
            info["report_duty"] = describe(rule)  # the default duty of its tasks
            return info, report

    def edit_unit(self, name: str, *, kind: str | None = None, contact: str | None = None, phone: str | None = None,
                  add_aliases: Sequence[str] = (), remove_aliases: Sequence[str] = (),
                  report: str | None = None) -> dict[str, Any]:
        """Change what is given; the unit's name and the changed fields."""
        from taskctl.duties import parse_duty
        from taskctl.ledger import edit_unit, find_unit

        with self.transaction() as session:
            unit = find_unit(session, name)
            changes = edit_unit(session, unit, kind=kind, contact_person=contact, contact_phone=phone,
                                add_aliases=list(add_aliases or []), remove_aliases=list(remove_aliases or []),
                                report_rule=(parse_duty(report) or "") if report is not None else None)
            return {"name": unit.name, "changes": list(changes)}

    def rename_unit(self, name: str, new_name: str) -> dict[str, str]:
        """A new name (the old one is kept as an alias); the old and the new name."""
        from taskctl.ledger import find_unit, rename_unit

        with self.transaction() as session:
            unit = find_unit(session, name)
            old = unit.name
            rename_unit(session, unit, new_name)
            return {"old": old, "new": unit.name}

    def delete_unit(self, name: str) -> str:
        """Delete a unit no task names; its name."""
        from taskctl.ledger import delete_unit, find_unit

        with self.transaction() as session:
            unit = find_unit(session, name)
            gone = unit.name
            delete_unit(session, unit)
        return gone

    def merge_units(self, name: str, *, into: str) -> dict[str, Any]:
        """Fold one unit into another; the tasks moved as lead (``lead``) and as co-operating unit (``co``)."""
        from taskctl.ledger import find_unit, merge_units

        with self.transaction() as session:
            gone, kept = find_unit(session, name), find_unit(session, into)
            gone_name = gone.name
            moved = merge_units(session, gone, kept)
            return {"gone": gone_name, "kept": kept.name, "lead": moved["lead"], "co": moved["co"]}

    def reassign_units(self, name: str, to: str, *, open_only: bool = False) -> dict[str, Any]:
        """Hand one unit's tasks (only the open ones if asked) to another; the tasks moved."""
        from taskctl.ledger import find_unit, reassign_units

        with self.transaction() as session:
            src, dst = find_unit(session, name), find_unit(session, to)
            moved = reassign_units(session, src, dst, open_only=open_only)
            return {"src": src.name, "dst": dst.name, "lead": moved["lead"], "co": moved["co"]}

    # ---------------------------------------------------------------- leaders

    def add_leader(self, name: str, *, title: str | None = None) -> dict[str, Any]:
        """A leader (领导); its id and name."""
        from taskctl.ledger import add_leader

        with self.transaction() as session:
            leader = add_leader(session, name=name, title=title)
            return {"id": leader.id, "name": leader.name}

    def leaders(self) -> "Report":
        from taskctl.reports.lists import leader_list

        with self.reading() as q:
            return leader_list(q)

    def edit_leader(self, name: str, *, new_name: str | None = None, title: str | None = None) -> dict[str, Any]:
        """A new name or title; the leader's name and the changed fields."""
        from taskctl.ledger import edit_leader, find_leader

        with self.transaction() as session:
            leader = find_leader(session, name)
            changes = edit_leader(session, leader, name=new_name, title=title)
            return {"name": leader.name, "changes": list(changes)}

    def delete_leader(self, name: str) -> str:
        from taskctl.ledger import delete_leader, find_leader

        with self.transaction() as session:
            leader = find_leader(session, name)
            gone = leader.name
            delete_leader(session, leader)
        return gone

    def merge_leaders(self, name: str, *, into: str) -> dict[str, Any]:
        """Fold one leader into another; the tasks and instructions moved."""
        from taskctl.ledger import find_leader, merge_leaders

        with self.transaction() as session:
            gone, kept = find_leader(session, name), find_leader(session, into)
            gone_name = gone.name
            moved = merge_leaders(session, gone, kept)
            return {"gone": gone_name, "kept": kept.name, "tasks": moved["tasks"],
                    "instructions": moved["instructions"]}

    def reassign_leaders(self, name: str, to: str, *, open_only: bool = False) -> dict[str, Any]:
        from taskctl.ledger import find_leader, reassign_leaders

        with self.transaction() as session:
            src, dst = find_leader(session, name), find_leader(session, to)
            moved = reassign_leaders(session, src, dst, open_only=open_only)
            return {"src": src.name, "dst": dst.name, "tasks": moved}

    # ---------------------------------------------------------------- areas

    def areas(self) -> "Report":
        from taskctl.reports.lists import area_list

        with self.reading() as q:
            return area_list(q)

    def area(self, ref: str) -> "tuple[dict[str, Any], Report]":
        """One area (by number, key or name) and the list of its tasks as of today (`area show`)."""
        from taskctl.config import today
        from taskctl.names import area_id
        from taskctl.snapshot import Filters
        from taskctl.reports.lists import task_list

        with self.reading() as q:
            aid = area_id(q, ref)
            number, key, name_zh, name_en, description = q.one(
                "SELECT number, key, name_zh, name_en, description FROM area WHERE id = :a", {"a": aid})
            info = {"number": number, "key": key, "name": name_zh, "name_en": name_en, "description": description}
            return info, task_list(q, today(), Filters(area_id=aid))

    def add_area(self, key: str, *, name: str, name_en: str | None = None,
                 description: str | None = None) -> dict[str, Any]:
        """A new area (聚焦领域); its number, key and name."""
        from taskctl.ledger import add_area

        with self.transaction() as session:
            area = add_area(session, key=key, name_zh=name, name_en=name_en, description=description)
            return {"number": area.number, "key": area.key, "name": area.name_zh}

    # ---------------------------------------------------------------- users (PostgreSQL roles)

    def users(self) -> list[dict[str, Any]]:
        """The ledger's users (PostgreSQL): name, kind, unit, leader, disabled."""
        from taskctl.roles import list_users

        with self.transaction(write=False) as session:
            return list_users(session)

    def add_user(self, name: str, *, kind: str, unit: str | None = None, leader: str | None = None,
                 password: "str | Callable[[], str] | None" = None) -> dict[str, Any]:
        """A login role for one person in the office, unit or leader group role (PostgreSQL).  ``password``
        may be a function asking for it: it is called once the names are known to be right."""
        from taskctl import ledger as L
        from taskctl.roles import KINDS, _require_pg, add_user

        if kind not in KINDS:
            raise InvalidValue("roles.one_kind")
        with self.transaction() as session:
            _require_pg(session)
            the_unit = L.find_unit(session, unit) if unit is not None else None
            the_leader = L.find_leader(session, leader) if leader is not None else None
            secret = password() if callable(password) else password
            add_user(session, name, kind=kind, unit=the_unit, leader=the_leader, password=secret)
            return {"name": name, "kind": kind,
                    "of": the_unit.name if the_unit else the_leader.name if the_leader else None}

    def disable_user(self, name: str) -> None:
        from taskctl.roles import disable_user

        with self.transaction() as session:
            disable_user(session, name)

    def remove_user(self, name: str) -> None:
        from taskctl.roles import remove_user

        with self.transaction() as session:
            remove_user(session, name)

    # ---------------------------------------------------------------- holidays and adjusted working days

    def holidays(self, year: int | None = None) -> "Report":
        """The year's holidays and adjusted working days (default: the ledger's year)."""
        from taskctl.ledger import ledger_year
        from taskctl.workdays import holiday_list

        with self.transaction(write=False) as session:
            return holiday_list(session, year or ledger_year(session))

    def add_holidays(self, dates: str, *, kind: str = "holiday", note: str | None = None) -> list[dt.date]:
        """One date or FROM..TO marked as holidays (kind "holiday") or working days ("workday"); the days."""
        from taskctl.workdays import add_overrides

        if kind not in ("holiday", "workday"):
            raise InvalidValue("workdays.need_kind", value=dates)
        with self.transaction() as session:
            days = _days(session, dates)
            add_overrides(session, days=days, workday=kind == "workday", note=note)
        return days

    def remove_holidays(self, dates: str) -> list[dt.date]:
        """Back to the ordinary calendar for one date or FROM..TO; the days."""
        from taskctl.workdays import remove_overrides

        with self.transaction() as session:
            days = _days(session, dates)
            remove_overrides(session, days=days)
        return days


def _days(session, text: str) -> list[dt.date]:
    """One date, or FROM..TO (both included): 2030-02-02..2030-02-08."""
    if ".." in text:
        first_text, _, last_text = text.partition("..")
        first, last = resolve_day(session, first_text.strip()), resolve_day(session, last_text.strip())
        if last < first or (last - first).days >= MAX_HOLIDAY_RANGE:
            raise InvalidValue("workdays.bad_date_range", value=text, n=MAX_HOLIDAY_RANGE)
        return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [resolve_day(session, text)]
