"""The rules of moderation: reporting, acting on reports, suspensions and the audit log."""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from alliance.core import audience, signals
from alliance.core.audience import GroupRef
from alliance.core.errors import RuleError
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member
from alliance.moderation.models import AuditEntry, Report, Suspension
from alliance.moderation.registry import kind_of

MAX_REASON = 2000
MAX_SUSPENSION_DAYS = 365


def _reason(reason: str | None, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RuleError(field, _("Say why."))
    if len(reason) > MAX_REASON:
        raise RuleError(field, _("Keep it under %(num)d characters.", num=MAX_REASON))
    return reason


def audit(actor: Member | None, action: str, kind: str, ref_id: int, reason: str = "", report=None):
    """Write one moderation action to the audit log: who, what, when, why."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        kind=kind,
        ref_id=ref_id,
        reason=reason,
        report_id=report.id if report else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


# --- reporting --------------------------------------------------------------------------------


def content_for(kind: str, ref_id: int, viewer):
    """The content ``viewer`` wants to report, or None when it is not there for them."""
    registered = kind_of(kind)
    if registered is None:
        return None
    content = registered.load(ref_id)
    if content is None or not registered.can_see(content, viewer):
        return None
    return content


def report(kind: str, ref_id: int, reporter: Member, reason: str) -> Report:
    """A member reports content they can see; a second report by the same member on the same
    content while the first is open adds nothing."""
    reason = _reason(reason)
    if content_for(kind, ref_id, reporter) is None:
        raise RuleError("reason", _("This can no longer be reported."))
    existing = db.session.scalar(
        select(Report).where(
            Report.kind == kind,
            Report.ref_id == ref_id,
            Report.reporter_id == reporter.id,
            Report.state == "open",
        )
    )
    if existing is not None:
        return existing
    entry = Report(kind=kind, ref_id=ref_id, reporter_id=reporter.id, reason=reason)
    db.session.add(entry)
    db.session.flush()
    return entry


# --- the queue --------------------------------------------------------------------------------


@dataclass
class QueueEntry:
    """A report with the content it is about (None when the content is gone, or ``sealed``:
    the private content of a working group that this coordinator has not opened)."""

    report: Report
    content: object | None
    kind_label: str
    summary: str
    url: str | None
    hidden: bool
    editable_text: str | None
    group: GroupRef | None = None
    sealed: bool = False


def opened_by(kind: str, ref_id: int, viewer) -> bool:
    """Whether ``viewer`` opened this content of a working group to handle a report on it
    (it is in the audit log, with the reason)."""
    return bool(
        db.session.scalar(
            select(AuditEntry.id).where(
                AuditEntry.action == "open",
                AuditEntry.kind == kind,
                AuditEntry.ref_id == ref_id,
                AuditEntry.actor_id == getattr(viewer, "id", None),
            )
        )
    )


def _sealed_group(registered, content, item: Report, viewer) -> GroupRef | None:
    """The working group whose private content this is, while ``viewer`` may not see it and
    has not opened it; else None."""
    group_id = registered.group_id(content)
    if group_id is None or registered.can_see(content, viewer):
        return None
    if opened_by(item.kind, item.ref_id, viewer):
        return None
    return audience.group_ref(group_id) or GroupRef(group_id, "", "active")


def entry_for(item: Report, viewer=None) -> QueueEntry:
    """A report with its content loaded through the registry, as ``viewer`` may see it: the
    content of a working group stays sealed until they open it, saying why."""
    registered = kind_of(item.kind)
    content = registered.load(item.ref_id) if registered else None
    if content is None:
        return QueueEntry(item, None, item.kind, _("(removed)"), None, False, None)
    group_id = registered.group_id(content)
    sealed = _sealed_group(registered, content, item, viewer)
    if sealed is not None:
        return QueueEntry(
            item,
            None,
            str(registered.label),
            _("Content of the working group %(name)s", name=sealed.name),
            None,
            registered.is_hidden(content),
            None,
            group=sealed,
            sealed=True,
        )
    return QueueEntry(
        item,
        content,
        str(registered.label),
        registered.summary(content),
        registered.url(content) if registered.can_see(content, viewer) else None,
        registered.is_hidden(content),
        registered.edit_text(content) if registered.edit_text else None,
        group=audience.group_ref(group_id),
    )


def open_group_content(item: Report, coordinator: Member, reason: str) -> None:
    """A coordinator opens the reported content of a working group to handle the report. The
    reason goes into the audit log and to the group's leads: group content never reaches
    someone outside the group unseen."""
    reason = _reason(reason)
    registered = kind_of(item.kind)
    content = registered.load(item.ref_id) if registered else None
    if content is None or registered.group_id(content) is None:
        raise RuleError("reason", _("This is not the content of a working group."))
    if opened_by(item.kind, item.ref_id, coordinator):
        return
    audit(coordinator, "open", item.kind, item.ref_id, reason, item)
    signals.group_content_opened.send(
        item, group_id=registered.group_id(content), by=coordinator, reason=reason
    )


def queue(viewer, state: str = "open", limit: int = 100) -> list[QueueEntry]:
    """Reports to act on (``open``), or those that left content hidden (``hidden``)."""
    rows = db.session.scalars(
        select(Report)
        .where(Report.state == state)
        .options(selectinload(Report.reporter))
        .order_by(Report.created_at, Report.id)
        .limit(limit)
    ).all()
    return [entry_for(row, viewer) for row in rows]


def open_count() -> int:
    """How many reports wait."""
    return db.session.scalar(select(func.count(Report.id)).where(Report.state == "open")) or 0


ACTIONS = ("hide", "edit", "restore", "dismiss")
OUTCOME_STATE = {"hide": "hidden", "edit": "edited", "restore": "restored", "dismiss": "dismissed"}


def act(item: Report, action: str, moderator: Member, reason: str, text: str = "") -> Report:
    """A coordinator acts on a report: hide, edit or restore the content, or dismiss the report.
    Every open report on the same content is settled with it, each reporter hears the result,
    and the action goes into the audit log."""
    if action not in ACTIONS:
        raise RuleError("action", _("Choose what to do."))
    reason = _reason(reason)
    registered = kind_of(item.kind)
    content = registered.load(item.ref_id) if registered else None
    if content is None and action != "dismiss":
        raise RuleError("action", _("The content is gone: dismiss the report."))
    if content is not None and _sealed_group(registered, content, item, moderator) is not None:
        raise RuleError(
            "action", _("This is the content of a working group: open it first, and say why.")
        )
    if action == "hide":
        registered.set_hidden(content, True)
    elif action == "restore":
        registered.set_hidden(content, False)
    elif action == "edit":
        if registered.apply_edit is None:
            raise RuleError("text", _("This cannot be edited."))
        if not text.strip():
            raise RuleError("text", _("Write the corrected text."))
        if len(text) > 20_000:
            raise RuleError("text", _("Keep it under %(num)d characters.", num=20_000))
        registered.apply_edit(content, text)
    now = utcnow()
    settled = db.session.scalars(
        select(Report).where(
            Report.kind == item.kind,
            Report.ref_id == item.ref_id,
            Report.state.in_(("open", "hidden") if action == "restore" else ("open",)),
        )
    ).all()
    if item not in settled:
        settled.append(item)
    for each in settled:
        each.state = OUTCOME_STATE[action]
        each.resolved_at = now
        each.resolved_by_id = moderator.id
    db.session.flush()
    audit(moderator, action, item.kind, item.ref_id, reason, item)
    for each in settled:
        tell_reporter(each, action)
    return item


#: What the reporter is told became of their report (the bell; the e-mail says it in full).
OUTCOME_TEXT = {
    "hide": _l("it is hidden now"),
    "edit": _l("a coordinator edited it"),
    "restore": _l("it is shown again"),
    "dismiss": _l("it stays as it is"),
}


def tell_reporter(item: Report, action: str) -> None:
    """The reporter hears what became of their report (``signals.report_settled``)."""
    if item.reporter_id is None:
        return
    kind = kind_of(item.kind)
    signals.report_settled.send(
        item,
        action=action,
        outcome=str(OUTCOME_TEXT.get(action, OUTCOME_TEXT["dismiss"])),
        kind_label=str(kind.label) if kind else item.kind,
    )


# --- suspensions ------------------------------------------------------------------------------


def active_suspension(member_id: int) -> Suspension | None:
    """The suspension that holds now for this member, if any (the one that lasts longest)."""
    return db.session.scalar(
        select(Suspension)
        .where(
            Suspension.member_id == member_id,
            Suspension.lifted_at.is_(None),
            Suspension.until > utcnow(),
        )
        .order_by(Suspension.until.desc())
        .limit(1)
    )


def suspend(member: Member, days: int | None, reason: str, by: Member) -> Suspension:
    """Suspend a member for a number of days: every session ends at once, and logging in is
    refused until the period is over."""
    reason = _reason(reason)
    if days is None or not 1 <= days <= MAX_SUSPENSION_DAYS:
        raise RuleError("days", _("Choose between 1 and %(num)d days.", num=MAX_SUSPENSION_DAYS))
    if member.id == by.id:
        raise RuleError("days", _("You cannot suspend yourself."))
    if member.role == "admin" and not by.is_admin:
        raise RuleError("days", _("Only an administrator can suspend an administrator."))
    suspension = Suspension(
        member_id=member.id,
        until=utcnow() + timedelta(days=days),
        reason=reason,
        created_by_id=by.id,
    )
    db.session.add(suspension)
    db.session.flush()
    signals.member_suspended.send(member)
    audit(by, "suspend", "profile", member.id, f"{days} d: {reason}")
    return suspension


def lift(member: Member, by: Member, reason: str) -> None:
    """End a member's suspension early."""
    reason = _reason(reason, "reason")
    db.session.execute(
        update(Suspension)
        .where(Suspension.member_id == member.id, Suspension.lifted_at.is_(None))
        .values(lifted_at=utcnow())
    )
    audit(by, "lift", "profile", member.id, reason)


# --- the audit log ----------------------------------------------------------------------------


def audit_log(page: int = 1, page_size: int | None = None) -> tuple[list[AuditEntry], bool]:
    """One page of the audit log, newest first, and whether there is more."""
    page_size = page_size or current_app.config.get("AUDIT_PAGE_SIZE", 50)
    rows = db.session.scalars(
        select(AuditEntry)
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(page_size + 1)
        .offset((max(1, page) - 1) * page_size)
    ).all()
    return list(rows[:page_size]), len(rows) > page_size


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def audit_csv() -> str:
    """The whole audit log as CSV (for administrators), oldest first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["id", "created_at", "actor_id", "actor", "action", "kind", "ref_id", "report_id", "reason"]
    )
    last = 0
    while True:
        rows = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.id > last)
            .options(selectinload(AuditEntry.actor))
            .order_by(AuditEntry.id)
            .limit(1000)
        ).all()
        if not rows:
            break
        for row in rows:
            writer.writerow(
                [
                    row.id,
                    row.created_at.isoformat(timespec="seconds"),
                    row.actor_id or "",
                    _cell(row.actor.name if row.actor else _("a former member")),
                    row.action,
                    row.kind,
                    row.ref_id,
                    row.report_id or "",
                    _cell(row.reason),
                ]
            )
        last = rows[-1].id
    return out.getvalue()
