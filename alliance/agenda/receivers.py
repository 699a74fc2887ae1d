"""How the agenda takes part in what happens elsewhere: who leaves a working group leaves its
events, events can be reported, and what the agenda keeps about a member (export, erasure)."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from alliance.agenda import searchable
from alliance.agenda.models import CalendarLink, Event, Signup
from alliance.agenda.services import can_view
from alliance.agenda.signups import withdraw_from_group, withdraw_member
from alliance.core import signals
from alliance.core.signals import Collected, ReportableKind
from alliance.core.text import slug
from alliance.core.timeutil import iso, utcnow
from alliance.extensions import db


@signals.membership_ended.connect
def leave_group_events(group_id: int, member) -> None:
    """Who leaves a working group, or is taken out of it, leaves its events too: a place at
    one that has not started goes back and the waiting list moves up."""
    withdraw_from_group(group_id, member)


# --- reporting an event ---------------------------------------------------------------------------


def _hide(event: Event, hidden: bool) -> None:
    event.hidden_at = (event.hidden_at or utcnow()) if hidden else None
    db.session.flush()
    signals.content_changed.send("event", ref_id=event.id)


def _edit(event: Event, text: str) -> None:
    event.description = text.strip()
    event.updated_at = utcnow()
    db.session.flush()
    signals.content_changed.send("event", ref_id=event.id)


EVENT = ReportableKind(
    name="event",
    label=_l("An event"),
    load=lambda ref_id: db.session.get(Event, ref_id),
    can_see=can_view,
    set_hidden=_hide,
    is_hidden=lambda event: event.hidden_at is not None,
    url=lambda event: url_for("agenda.show", event_id=event.id),
    summary=lambda event: event.title,
    author_id=lambda event: event.organiser_id,
    edit_text=lambda event: event.description,
    apply_edit=_edit,
    group_id=lambda event: event.group_id if event.visibility == "group" else None,
)


@signals.reportable_kinds.connect
def reportable(_sender) -> list[ReportableKind]:
    """Members can report an event they can see."""
    return [EVENT]


# --- search ---------------------------------------------------------------------------------------


@signals.search_sources.connect
def search_source(_sender) -> list:
    """Search finds the events in the agenda, for whoever may see them there."""
    return [searchable.SOURCE]


# --- a member's data ------------------------------------------------------------------------------


@signals.personal_data.connect
def personal_data(member) -> list[Collected]:
    """Sign-ups (and waiting lists), events organised with their reports, and whether a
    private calendar address exists (not the address itself: it is a secret)."""
    signups = db.session.execute(
        select(Event.title, Event.starts_at, Signup.state, Signup.created_at)
        .join(Event, Event.id == Signup.event_id)
        .where(Signup.member_id == member.id)
        .order_by(Event.starts_at)
    ).all()
    organised = db.session.scalars(
        select(Event).where(Event.organiser_id == member.id).order_by(Event.starts_at)
    ).all()
    files = {}
    for event in organised:
        text = f"# {event.title}\n\n{iso(event.starts_at)} (UTC)\n\n{event.description}\n"
        if event.report:
            text += f"\n## Verslag\n\n{event.report}\n"
        files[f"agenda/{event.id}-{slug(event.title)}.md"] = text
    has_link = db.session.scalar(
        select(CalendarLink.member_id).where(CalendarLink.member_id == member.id)
    )
    data = {
        "signups": [
            {
                "event": title,
                "starts_at_utc": iso(starts),
                "state": state,
                "signed_up_at": iso(created),
            }
            for title, starts, state, created in signups
        ],
        "organised": [
            {
                "title": event.title,
                "kind": event.kind,
                "starts_at_utc": iso(event.starts_at),
                "ends_at_utc": iso(event.ends_at),
                "state": event.state,
                "description": event.description,
                "report": event.report,
            }
            for event in organised
        ],
        "private_calendar_address": bool(has_link),
    }
    return [Collected("agenda", data, files)]


@signals.account_erasing.connect
def erase(member) -> None:
    """Places at coming events go to the waiting list (who move up are told); the member's
    sign-ups and calendar address go; events they organised stay, without organiser."""
    withdraw_member(member)
    db.session.execute(delete(Signup).where(Signup.member_id == member.id))
    db.session.execute(delete(CalendarLink).where(CalendarLink.member_id == member.id))
    db.session.execute(
        update(Event).where(Event.organiser_id == member.id).values(organiser_id=None)
    )
    db.session.execute(
        update(Event).where(Event.reviewed_by_id == member.id).values(reviewed_by_id=None)
    )
