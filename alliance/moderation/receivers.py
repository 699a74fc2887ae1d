"""How moderation takes part in what happens elsewhere: a suspended member may not log in, a
role change goes into the audit log, and what moderation keeps about a member."""

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from alliance.core import signals
from alliance.core.signals import Collected
from alliance.core.timeutil import iso
from alliance.core.web import format_moment
from alliance.extensions import db
from alliance.moderation.models import AuditEntry, Report, Suspension
from alliance.moderation.services import active_suspension, audit


@signals.login_refusal.connect
def suspended(member) -> str | None:
    """A suspended member cannot log in until the period is over."""
    suspension = active_suspension(member.id)
    if suspension is None:
        return None
    return _(
        "Your account is suspended until %(date)s. You cannot log in or post "
        "until then. Questions? Use the contact page.",
        date=format_moment(suspension.until),
    )


@signals.role_changed.connect
def log_role_change(member, by, previous: str) -> None:
    """Who made whom coordinator or administrator (or took it back) is in the audit log."""
    audit(by, "role", "profile", member.id, f"{previous} → {member.role}")


@signals.personal_data.connect
def personal_data(member) -> list[Collected]:
    """The reports the member made, and suspensions of the member."""
    reports = db.session.scalars(select(Report).where(Report.reporter_id == member.id)).all()
    suspensions = db.session.scalars(
        select(Suspension).where(Suspension.member_id == member.id)
    ).all()
    return [
        Collected(
            "reports",
            {
                "reports": [
                    {
                        "kind": row.kind,
                        "ref_id": row.ref_id,
                        "reason": row.reason,
                        "state": row.state,
                        "created_at": iso(row.created_at),
                    }
                    for row in reports
                ],
                "suspensions": [
                    {
                        "until": iso(row.until),
                        "reason": row.reason,
                        "lifted_at": iso(row.lifted_at),
                    }
                    for row in suspensions
                ],
            },
        )
    ]


@signals.account_erasing.connect
def erase(member) -> None:
    """Reports stay for the record without the reporter; the audit log keeps the action
    without the name; suspensions go."""
    db.session.execute(
        update(Report).where(Report.reporter_id == member.id).values(reporter_id=None)
    )
    db.session.execute(
        update(Report).where(Report.resolved_by_id == member.id).values(resolved_by_id=None)
    )
    db.session.execute(
        update(AuditEntry).where(AuditEntry.actor_id == member.id).values(actor_id=None)
    )
    db.session.execute(delete(Suspension).where(Suspension.member_id == member.id))
    db.session.execute(
        update(Suspension).where(Suspension.created_by_id == member.id).values(created_by_id=None)
    )
