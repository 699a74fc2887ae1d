"""What the agenda pages list: upcoming events, a month, reports, and a member's own events.
Every list goes through ``visible_to``: group events never reach non-members."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from alliance.agenda.models import Event, Signup, event_themes
from alliance.agenda.services import LOCAL_ZONE, local_to_utc, utc_to_local, visible_to
from alliance.core import audience
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.themes.models import Theme

PAGE_SIZE = 20


def _with_theme(statement, theme: str):
    if theme:
        statement = statement.where(
            Event.id.in_(
                select(event_themes.c.event_id)
                .join(Theme, Theme.id == event_themes.c.theme_id)
                .where(Theme.slug == theme)
            )
        )
    return statement


def _loaded(statement):
    return statement.options(selectinload(Event.themes), selectinload(Event.organiser))


def upcoming(viewer, theme: str = "", page: int = 1, only_page: bool = False):
    """Events that have not ended, soonest first: pages 1..``page`` (or only ``page``).
    Returns (events, more)."""
    statement = _with_theme(
        select(Event).where(visible_to(viewer), Event.ends_at > utcnow()), theme
    ).order_by(Event.starts_at, Event.id)
    offset = (page - 1) * PAGE_SIZE if only_page else 0
    limit = PAGE_SIZE if only_page else page * PAGE_SIZE
    rows = list(db.session.scalars(_loaded(statement.offset(offset).limit(limit + 1))))
    return rows[:limit], len(rows) > limit


def with_reports(viewer, theme: str = "") -> list[Event]:
    """Past events with a report, newest first (the *Verslagen*)."""
    statement = _with_theme(
        select(Event).where(visible_to(viewer), Event.report_at.is_not(None)), theme
    ).order_by(Event.starts_at.desc(), Event.id.desc())
    return list(db.session.scalars(_loaded(statement.limit(200))))


@dataclass
class Month:
    """A month for the month view: weeks of days (None outside the month), events per day."""

    year: int
    month: int
    weeks: list[list[date | None]]
    events: dict[date, list[Event]]
    previous: date
    next: date

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)


def month(viewer, year: int, month_number: int, theme: str = "") -> Month:
    """The events of one month (Amsterdam time), by the day they start."""
    first = date(year, month_number, 1)
    after = (first + timedelta(days=32)).replace(day=1)
    start = local_to_utc(datetime.combine(first, datetime.min.time()))
    end = local_to_utc(datetime.combine(after, datetime.min.time()))
    statement = _with_theme(
        select(Event).where(visible_to(viewer), Event.starts_at >= start, Event.starts_at < end),
        theme,
    ).order_by(Event.starts_at, Event.id)
    by_day: dict[date, list[Event]] = {}
    for event in db.session.scalars(_loaded(statement.limit(500))):
        by_day.setdefault(utc_to_local(event.starts_at).date(), []).append(event)
    weeks = [
        [day if day.month == month_number else None for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month_number)
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    return Month(year, month_number, weeks, by_day, previous, after)


def this_month() -> date:
    """Today in Amsterdam."""
    return datetime.now(LOCAL_ZONE).date()


def events_of(member, include_past: bool = True) -> list[tuple[Event, str]]:
    """The events ``member`` organises or has a place at (or waits for), with their state
    ("organiser", "signed_up", "waiting"), that they may still see: a group event only while
    they are in the group."""
    groups = audience.group_ids_of(member)
    signed = db.session.execute(
        _loaded(select(Event, Signup.state))
        .join(Signup, Signup.event_id == Event.id)
        .where(Signup.member_id == member.id, Signup.state.in_(("signed_up", "waiting")))
    ).all()
    organised = db.session.scalars(
        _loaded(select(Event)).where(Event.organiser_id == member.id)
    ).all()
    found: dict[int, tuple[Event, str]] = {}
    for event, state in signed:
        found[event.id] = (event, state)
    for event in organised:
        found[event.id] = (event, "organiser")
    now = utcnow()
    rows = [
        (event, state)
        for event, state in found.values()
        if (event.visibility != "group" or event.group_id in groups)
        and (include_past or event.ends_at > now)
    ]
    return sorted(rows, key=lambda row: (row[0].starts_at, row[0].id))


def public_events() -> list[Event]:
    """The public feed: approved public events from a month ago on (never group events)."""
    return list(
        db.session.scalars(
            select(Event)
            .where(
                Event.state == "approved",
                Event.visibility == "public",
                Event.ends_at > utcnow() - timedelta(days=31),
            )
            .order_by(Event.starts_at, Event.id)
            .limit(500)
        )
    )
