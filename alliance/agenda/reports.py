"""After the event: the report and what it links to; and the private calendar address."""

import re
import secrets

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from alliance.agenda.models import CalendarLink, Event, event_groups, event_items
from alliance.agenda.services import MAX_LINKS
from alliance.core import audience, signals
from alliance.core.audience import GroupRef
from alliance.core.errors import RuleError
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.knowledge.access import can_view as can_view_item
from alliance.knowledge.models import Item
from alliance.members.models import Member

# --- the report ---------------------------------------------------------------------------------

_LINK = re.compile(r"/(kennisbank|werkgroepen)/(\d{1,12})(?!\d)")


def parse_links(text: str) -> tuple[list[int], list[int]]:
    """Item and group ids in pasted addresses (…/kennisbank/12, …/werkgroepen/3), in order."""
    items, groups = [], []
    for kind, number in _LINK.findall(text or ""):
        target = items if kind == "kennisbank" else groups
        if int(number) not in target:
            target.append(int(number))
    return items, groups


def write_report(event: Event, author: Member, report: str, links: str) -> None:
    """The organiser writes the *verslag* once the event has started, and links the items and
    groups that came out of it. Only what the author may see can be linked."""
    if not event.has_started:
        raise RuleError("report", _("Write the report once the event has started."))
    if not report.strip():
        raise RuleError("report", _("Write what happened and what came out of it."))
    item_ids, group_ids = parse_links(links)
    if len(item_ids) + len(group_ids) > MAX_LINKS:
        raise RuleError("links", _("Link at most %(max)d things.", max=MAX_LINKS))
    leftover = _LINK.sub("", links or "")
    if re.search(r"\S", re.sub(r"https?://[^\s/]+", "", leftover)):
        raise RuleError(
            "links", _("Paste addresses of posts in the knowledge base or of working groups.")
        )
    items = [db.session.get(Item, i) for i in item_ids]
    if any(item is None or not can_view_item(item, author) for item in items):
        raise RuleError("links", _("One of the posts does not exist or you cannot see it."))
    if len(audience.group_refs(group_ids)) != len(set(group_ids)):
        raise RuleError("links", _("One of the working groups does not exist."))
    event.report = report.strip()
    event.report_at = event.report_at or utcnow()
    event.updated_at = utcnow()
    db.session.execute(delete(event_items).where(event_items.c.event_id == event.id))
    db.session.execute(delete(event_groups).where(event_groups.c.event_id == event.id))
    if item_ids:
        db.session.execute(
            insert(event_items), [{"event_id": event.id, "item_id": i} for i in item_ids]
        )
    if group_ids:
        db.session.execute(
            insert(event_groups), [{"event_id": event.id, "group_id": g} for g in group_ids]
        )
    db.session.flush()
    signals.content_changed.send("event", ref_id=event.id)


def report_links(event: Event, viewer) -> tuple[list[Item], list[GroupRef]]:
    """What the report links to, as far as ``viewer`` may see it (a group item stays inside
    its group; working groups are for members)."""
    items = list(
        db.session.scalars(
            select(Item)
            .join(event_items, event_items.c.item_id == Item.id)
            .where(event_items.c.event_id == event.id)
            .order_by(Item.title)
        )
    )
    groups = []
    if audience.is_member(viewer):
        linked = db.session.scalars(
            select(event_groups.c.group_id).where(event_groups.c.event_id == event.id)
        )
        groups = sorted(audience.group_refs(set(linked)).values(), key=lambda ref: ref.name)
    return [i for i in items if can_view_item(i, viewer)], groups


def links_text(event: Event) -> str:
    """The report's links as the form shows them again: one address a line."""
    item_ids = db.session.scalars(
        select(event_items.c.item_id).where(event_items.c.event_id == event.id)
    )
    group_ids = db.session.scalars(
        select(event_groups.c.group_id).where(event_groups.c.event_id == event.id)
    )
    return "\n".join(
        [url_for("knowledge.show", item_id=i, _external=False) for i in item_ids]
        + [url_for("groups.show", group_id=g, _external=False) for g in group_ids]
    )


# --- the private calendar link ------------------------------------------------------------------


def calendar_link_of(member: Member) -> CalendarLink | None:
    """The member's private calendar link, if they made one."""
    return db.session.get(CalendarLink, member.id)


def renew_calendar_link(member: Member) -> CalendarLink:
    """Make a new secret address for "my events"; the old one stops working."""
    link = calendar_link_of(member)
    if link is None:
        link = CalendarLink(member_id=member.id)
        db.session.add(link)
    link.token = secrets.token_urlsafe(32)
    link.created_at = utcnow()
    db.session.flush()
    return link


def revoke_calendar_link(member: Member) -> None:
    """Switch the private address off."""
    db.session.execute(delete(CalendarLink).where(CalendarLink.member_id == member.id))


def member_by_calendar_token(token: str) -> Member | None:
    """Whose private calendar this is; None for an unknown or revoked token."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(Member)
        .join(CalendarLink, CalendarLink.member_id == Member.id)
        .where(CalendarLink.token == token)
    )
