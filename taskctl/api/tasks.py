"""Writing tasks and their events: add, edit, delete, status, extensions, closing requests,
instructions, progress updates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from taskctl.api.resolve import (
    DateLike, optional_day, parse_optional_day, resolve_day, resolve_parsed, resolve_units, task_row,
)
from taskctl.errors import InvalidValue

if TYPE_CHECKING:
    from taskctl.reports.model import Report


class Tasks:
    # ---------------------------------------------------------------- tasks

    def add_task(self, title: str, *, area: str, lead: str | None = None, co_units: Sequence[str] = (),
                 leader: str | None = None, due: DateLike = None, start: DateLike = None,
                 invest: float | None = None, targets: str | None = None, tags: Sequence[str] = (),
                 ref: str | None = None, source: str | None = None, detail: str | None = None,
                 works_start: DateLike = None, production: DateLike = None,
                 report: str | None = None) -> dict[str, Any]:
        """A new task; returns its row (as `task add --format json` prints it).  ``co_units``: names, each
        may list several (市发改委、市财政局); ``report``: a reporting duty (每周二前)."""
        from taskctl import ledger as L
        from taskctl.duties import parse_duty

        with self.transaction() as session:
            found_area = L.find_area(session, area)
            lead_unit = L.find_unit(session, lead) if lead else None
            co = resolve_units(session, co_units)
            found_leader = L.find_leader(session, leader) if leader else None
            start_day = resolve_day(session, start, role="start") if start else L.default_start(session)
            due_parsed = parse_optional_day(session, due, start=start_day)
            task = L.add_task(
                session, title=title, area=found_area, lead=lead_unit, co_units=co, leader=found_leader,
                start=start_day, due=L.DueDate(due_parsed.date, due_parsed.text) if due_parsed else None,
                detail=detail, invest=L.check_amount(invest, "invest"), targets=L.parse_targets(targets),
                works_start=optional_day(session, works_start), production=optional_day(session, production),
                tags=list(tags or []), ref=ref, source=source, report_rule=parse_duty(report))
            return task_row(session, task.id)

    def edit_task(self, task_id: int, *, title: str | None = None, area: str | None = None, lead: str | None = None,
                  co_units: Sequence[str] | None = None, leader: str | None = None, due: DateLike = None,
                  start: DateLike = None, invest: float | None = None, targets: str | None = None,
                  tags: Sequence[str] | None = None, detail: str | None = None, ref: str | None = None,
                  source: str | None = None, works_start: DateLike = None, production: DateLike = None,
                  report: str | None = None, clear_lead: bool = False, clear_leader: bool = False,
                  clear_co_units: bool = False, clear_tags: bool = False) -> "tuple[list[str], dict[str, Any]]":
        """Change what is given (None leaves a field as it is); (the changed fields, the task's row)."""
        from taskctl import ledger as L
        from taskctl.duties import parse_duty

        with self.transaction() as session:
            task = L.get_task(session, task_id)
            start_day = resolve_day(session, start, role="start") if start else None
            due_parsed = parse_optional_day(session, due, start=start_day or task.start)
            changes = L.edit_task(
                session, task, title=title, area=L.find_area(session, area) if area else None,
                lead=L.find_unit(session, lead) if lead else None, clear_lead=clear_lead,
                co_units=[] if clear_co_units else (resolve_units(session, co_units) if co_units else None),
                leader=L.find_leader(session, leader) if leader else None, clear_leader=clear_leader,
                start=start_day, due=L.DueDate(due_parsed.date, due_parsed.text) if due_parsed else None,
                detail=detail, invest=L.check_amount(invest, "invest"), targets=L.parse_targets(targets),
                works_start=optional_day(session, works_start), production=optional_day(session, production),
                tags=[] if clear_tags else (list(tags) if tags else None), ref=ref, source=source,
                report_rule=(parse_duty(report) or "") if report is not None else None)
            return list(changes), task_row(session, task.id)

    def delete_task(self, task_id: int, *, confirm: Callable[[str], None] | None = None) -> dict[str, Any]:
        """Delete a task and everything recorded on it; ``confirm(title)`` may refuse by raising."""
        from taskctl.ledger import delete_task, get_task

        with self.transaction() as session:
            task = get_task(session, task_id)
            if confirm is not None:
                confirm(task.title)
            title = task.title
            delete_task(session, task)
        return {"id": task_id, "title": title}

    def set_status(self, task_id: int, verb: str, *, on: DateLike = None, note: str | None = None) -> dict[str, Any]:
        """done / pause / cancel / reopen, dated.  ``accepted``: the date of the closing request that
        `done` accepted (审结), if one was pending."""
        from taskctl import ledger as L

        if verb not in L.TRANSITIONS:
            raise InvalidValue("error.status_value", value=verb, choices=", ".join(L.TRANSITIONS))
        with self.transaction() as session:
            task = L.get_task(session, task_id)
            when = resolve_day(session, on)
            accepted = None
            if verb == "done":
                request = L.pending_close_request(session, task_id)
                accepted = request.on_date if request is not None and request.on_date <= when else None
            L.change_status(session, task, verb, on=when, note=note)
        return {"id": task_id, "status": verb, "on": when, "accepted": accepted}

    def extend(self, task_id: int, *, to: DateLike, reason: str | None, on: DateLike = None) -> dict[str, Any]:
        """延期 to a later date (5个工作日内 counts from the grant); the extension's number, old and new due."""
        from taskctl import ledger as L

        with self.transaction() as session:
            task = L.get_task(session, task_id)
            when = resolve_day(session, on)
            if reason is None:
                raise InvalidValue("error.empty", field="reason")
            parsed = resolve_parsed(session, to, start=when)
            ext = L.extend_task(session, task, to=L.DueDate(parsed.date, parsed.text), reason=reason, on=when)
            return {"id": ext.id, "task_id": task_id, "on": when, "old_due": ext.old_due, "new_due": ext.new_due}

    def withdraw_extension(self, task_id: int, ext_id: int, *, reason: str | None = None,
                           on: DateLike = None) -> dict[str, Any]:
        """Withdraw an extension granted by mistake; ``due``: the due date in force afterwards."""
        from taskctl import ledger as L

        with self.transaction() as session:
            task = L.get_task(session, task_id)
            when = resolve_day(session, on)
            ext = L.withdraw_extension(session, task, ext_id, on=when, reason=reason)
            return {"id": ext.id, "task_id": task_id, "on": when, "due": L.due_in_force(session, task, when)}

    def request_close(self, task_id: int, *, note: str, on: DateLike = None) -> dict[str, Any]:
        """申请销号: a dated request to close a task (the status stays); its number and date."""
        from taskctl import ledger as L

        with self.transaction() as session:
            task = L.get_task(session, task_id)
            when = resolve_day(session, on)
            request = L.request_close(session, task, on=when, note=note)
            return {"id": request.id, "task_id": task_id, "on": when}

    def return_close(self, task_id: int, *, reason: str, on: DateLike = None) -> dict[str, Any]:
        """The office returns a pending closing request with its reason (accepting it is `set_status(…, "done")`)."""
        from taskctl import ledger as L

        with self.transaction() as session:
            task = L.get_task(session, task_id)
            when = resolve_day(session, on)
            L.return_close(session, task, reason=reason, on=when)
        return {"task_id": task_id, "on": when}

    def instruct(self, task_id: int, *, leader: str, text: str, on: DateLike = None) -> dict[str, Any]:
        """A leader's instruction (批示) on a task, dated."""
        from taskctl import ledger as L

        with self.transaction() as session:
            task = L.get_task(session, task_id)
            found = L.find_leader(session, leader)
            when = resolve_day(session, on)
            L.instruct(session, task, leader=found, text=text, on=when)
            return {"task_id": task_id, "leader": found.name, "on": when}

    # ---------------------------------------------------------------- progress

    def add_progress(self, task_id: int, *, percent: float, on: DateLike = None, invest_done: float | None = None,
                     stage: str | None = None, note: str | None = None, problems: str | None = None,
                     next_steps: str | None = None, warn: Callable[[str], None] | None = None) -> dict[str, Any]:
        """A progress update (进展); returns it as `progress add --format json` prints it.  ``warn`` is
        told, after the update is recorded, when its percent is lower than the one before it."""
        from taskctl import updates
        from taskctl.i18n import t
        from taskctl.names import task_id as visible
        from taskctl.reports.lists import progress_row

        with self.writing() as w:
            visible(w, task_id)
            when = resolve_day(w, on)
            before = updates.previous_percent(w, task_id, when)
            update = updates.add(w, task_id, on=when, percent=percent, invest_done=invest_done, stage_=stage,
                                 note=note, problems=problems, next_steps=next_steps)
            row = progress_row(update)
        if warn is not None and before is not None and update.percent < before:
            warn(t("progress.lower_than_before", id=task_id, percent=f"{update.percent:g}", before=f"{before:g}"))
        return row

    def progress(self, task_id: int) -> "Report":
        """A task's progress updates (`progress list`)."""
        from taskctl.names import task_id as visible
        from taskctl.reports.lists import progress_list

        with self.reading() as q:
            return progress_list(q, visible(q, task_id))

    def edit_progress(self, update_id: int, *, percent: float | None = None, on: DateLike = None,
                      invest_done: float | None = None, stage: str | None = None, note: str | None = None,
                      problems: str | None = None, next_steps: str | None = None) -> list[str]:
        """Change what is given of one update; the changed fields."""
        from taskctl import ledger as L

        with self.transaction() as session:
            update = L.get_update(session, update_id)
            changes = L.edit_progress(session, update, on=resolve_day(session, on) if on else None, percent=percent,
                                      invest_done=invest_done, stage=stage, note=note, problems=problems,
                                      next_steps=next_steps)
            return list(changes)

    def delete_progress(self, update_id: int) -> int:
        """Delete one update; the task it belonged to."""
        from taskctl import ledger as L

        with self.transaction() as session:
            update = L.get_update(session, update_id)
            task_id = update.task_id
            L.delete_progress(session, update)
        return task_id
