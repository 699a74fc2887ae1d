"""Reading notifications: the page (similar ones grouped), the bell, and marking them read
when opened, when the member acts on what they are about, or by hand."""

from dataclasses import dataclass, field

from flask import g, has_request_context, render_template, request
from flask_login import current_user
from sqlalchemy import func, select, update

from alliance.core import audience
from alliance.core.timeutil import utcnow
from alliance.core.web import wants_fragment
from alliance.extensions import db
from alliance.knowledge.models import Item
from alliance.members.models import Member
from alliance.notify.models import Notification
from alliance.notify.services import visible_condition

#: The bell stops counting here ("99+").
COUNT_CAP = 99

#: Kinds shown as one line per post when there are several ("Eva en 3 anderen reageerden op …").
GROUPED_KINDS = ("reply", "followed_reply", "mention")


@dataclass
class Entry:
    """One line of the notifications page: the newest notification and the similar ones it
    stands for (same kind, same post), newest first."""

    first: Notification
    rest: list[Notification] = field(default_factory=list)

    @property
    def unread(self) -> bool:
        return any(n.read_at is None for n in (self.first, *self.rest))

    @property
    def other_actor_ids(self) -> set[int]:
        """The other members who did the same (not the one named), each once."""
        ids = {n.actor_id for n in self.rest if n.actor_id}
        ids.discard(self.first.actor_id)
        return ids


def grouped(rows: list[Notification]) -> list[Entry]:
    """``rows`` (newest first) as lines: similar notifications about one post become one."""
    entries: list[Entry] = []
    by_key: dict[tuple, Entry] = {}
    for notification in rows:
        if notification.kind in GROUPED_KINDS and notification.item_id:
            key = (notification.kind, notification.item_id)
            if key in by_key:
                by_key[key].rest.append(notification)
                continue
            by_key[key] = Entry(notification)
            entries.append(by_key[key])
        else:
            entries.append(Entry(notification))
    return entries


def notifications_for(member: Member, page: int = 1, page_size: int = 30):
    """One page of the member's notifications, newest first, and whether there are more."""
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.recipient_id == member.id, *visible_condition(member))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(page_size + 1)
        .offset((max(1, page) - 1) * page_size)
    ).all()
    _preload(rows)
    return list(rows[:page_size]), len(rows) > page_size


def _preload(rows: list[Notification]) -> None:
    """Actors, items and group names of a page in three queries, whatever its length. The
    session holds its objects weakly, so the loaded rows are kept on ``g`` for the request:
    otherwise they are gone again before the page asks for them, one query per row."""
    kept = g.setdefault("notify_preloaded", [])
    for model, ids in (
        (Member, {n.actor_id for n in rows if n.actor_id}),
        (Item, {n.item_id for n in rows if n.item_id}),
    ):
        if ids:
            kept.extend(db.session.scalars(select(model).where(model.id.in_(ids))).all())
    group_ids = {n.group_id for n in rows if n.group_id}
    group_ids |= {i.group_id for i in kept if isinstance(i, Item) and i.group_id}
    g.setdefault("notify_groups", {}).update(audience.group_refs(group_ids))


def unread_count(member: Member) -> int:
    """How many unread notifications the member may see (up to ``COUNT_CAP + 1``)."""
    capped = (
        select(Notification.id)
        .where(
            Notification.recipient_id == member.id,
            Notification.read_at.is_(None),
            *visible_condition(member),
        )
        .limit(COUNT_CAP + 1)
    )
    return db.session.scalar(select(func.count()).select_from(capped.subquery())) or 0


def unread_count_for_current_user() -> int:
    """The bell's number for the member of this request (once per request)."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = unread_count(current_user)
    return g.unread_notifications


def mark_read(member: Member, notification_id: int | None) -> bool:
    """Mark one of the member's notifications read; False when it is not theirs."""
    notification = db.session.get(Notification, notification_id or 0)
    if notification is None or notification.recipient_id != member.id:
        return False
    notification.read_at = notification.read_at or utcnow()
    db.session.flush()
    if notification.kind in GROUPED_KINDS and notification.item_id:  # the whole line
        db.session.execute(
            update(Notification)
            .where(
                Notification.recipient_id == member.id,
                Notification.read_at.is_(None),
                Notification.kind == notification.kind,
                Notification.item_id == notification.item_id,
            )
            .values(read_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    g.pop("unread_notifications", None)
    return True


def open_notification(member: Member, notification_id: int | None) -> Notification | None:
    """The member opens one of their notifications: it is read, and so is every other one about
    the same post or group (they are looking at it now). None when it is not theirs."""
    notification = db.session.get(Notification, notification_id or 0)
    if notification is None or notification.recipient_id != member.id:
        return None
    notification.read_at = notification.read_at or utcnow()
    db.session.flush()
    mark_read_about(member.id, item_id=notification.item_id, group_id=notification.group_id)
    return notification


def mark_read_about(
    member_id: int | None, item_id: int | None = None, group_id: int | None = None
) -> None:
    """Mark the member's unread notifications about a post (or, without one, about a group)
    read: they opened it, or acted on it (replied, marked a reply, closed the loop)."""
    if member_id is None or (item_id is None and group_id is None):
        return
    about = (
        Notification.item_id == item_id
        if item_id is not None
        else (Notification.group_id == group_id) & Notification.item_id.is_(None)
    )
    db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == member_id, Notification.read_at.is_(None), about)
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if has_request_context():
        g.pop("unread_notifications", None)


def mark_all_read(member: Member) -> None:
    """Mark every notification of the member read."""
    db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == member.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    g.pop("unread_notifications", None)


def add_bell_to_fragment(response):
    """An htmx fragment carries the bell out of band, so its count follows what was done."""
    if (
        response.status_code != 200
        or response.mimetype != "text/html"
        or response.direct_passthrough
        or not has_request_context()
        or not wants_fragment()
    ):
        return response
    if request.endpoint in ("notify.bell", "static") or not current_user.is_authenticated:
        return response
    bell = render_template("notify/_bell.html", oob=True)
    response.set_data(response.get_data() + bell.encode())
    return response
