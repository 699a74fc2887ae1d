"""iCalendar (RFC 5545) for one event and for feeds, made with the ``icalendar`` library."""

from datetime import UTC

from flask import url_for
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from alliance.agenda.models import Event
from alliance.core.timeutil import utcnow
from alliance.core.web import external_url


def _as_ical_event(event: Event, show_online_link: bool) -> CalendarEvent:
    entry = CalendarEvent()
    host = external_url("/").split("://", 1)[-1].split("/", 1)[0] or "alliantie"
    page = external_url(url_for("agenda.show", event_id=event.id))
    entry.add("uid", f"event-{event.id}@{host}")
    entry.add("dtstamp", utcnow().replace(tzinfo=UTC))
    entry.add("dtstart", event.starts_at.replace(tzinfo=UTC))
    entry.add("dtend", event.ends_at.replace(tzinfo=UTC))
    entry.add("summary", event.title)
    entry.add("url", page)
    description = event.description
    if event.online and show_online_link and event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    entry.add("description", f"{description}\n\n{page}".strip())
    if event.online:
        entry.add("location", event.online_url if show_online_link else "Online")
    elif event.location:
        entry.add("location", event.location)
    entry.add("last-modified", event.updated_at.replace(tzinfo=UTC))
    return entry


def calendar_for(events: list[Event], name: str, online_link_for=lambda _event: False) -> bytes:
    """A VCALENDAR with the given events; ``online_link_for(event)`` says whether the
    meeting link may be in it (only for people who signed up)."""
    cal = Calendar()
    cal.add("prodid", "-//Alliantie Open Overheid//Agenda//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(_as_ical_event(event, online_link_for(event)))
    return cal.to_ical()
