"""What waits for the coordinators: open reports and proposed events, counted in the header
(one statement, for coordinators only) and listed on ``/coordinatie``."""

from dataclasses import dataclass

from flask import abort, g
from flask_login import current_user, login_required
from sqlalchemy import func, select

from alliance.agenda.models import Event
from alliance.core import audience
from alliance.core.web import render
from alliance.extensions import db
from alliance.moderation.models import Report
from alliance.pages import bp


@dataclass(frozen=True)
class Waiting:
    """How many reports and event proposals wait for a coordinator."""

    reports: int = 0
    events: int = 0

    @property
    def total(self) -> int:
        return self.reports + self.events


def waiting_for_coordinators() -> Waiting | None:
    """The counts for the header: None for everyone but a coordinator; once per request."""
    if not audience.is_coordinator(current_user):
        return None
    if "coordination_waiting" not in g:
        reports, events = db.session.execute(
            select(
                select(func.count(Report.id)).where(Report.state == "open").scalar_subquery(),
                select(func.count(Event.id))
                .where(
                    Event.state == "proposed",
                    Event.visibility != "group",
                    Event.hidden_at.is_(None),
                )
                .scalar_subquery(),
            )
        ).one()
        g.coordination_waiting = Waiting(reports or 0, events or 0)
    return g.coordination_waiting


@bp.get("/coordinatie")
@login_required
def coordination():
    """The coordinators' starting point: what waits, with links to the queues."""
    if not audience.is_coordinator(current_user):
        abort(403)
    return render("pages/coordination.html", waiting=waiting_for_coordinators())
