"""Digests: the notifications a member chose to read daily or weekly, in one e-mail; the weekly
one also says which loops closed that week ("Afgerond deze week")."""

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select

from alliance.core.text import first_line
from alliance.core.timeutil import utcnow
from alliance.core.web import external_url, path_for
from alliance.extensions import db
from alliance.knowledge.access import visible_to
from alliance.knowledge.models import Item
from alliance.mail.services import queue_mail
from alliance.members.models import Member
from alliance.notify.delivery import mail_headers, unsubscribe_token
from alliance.notify.models import Notification
from alliance.notify.registry import KINDS
from alliance.notify.services import may_receive
from alliance.notify.texts import text_of

#: "Afgerond deze week" in the weekly digest: at most this many closed loops.
CLOSED_IN_DIGEST = 5


def closed_this_week(member: Member, now: datetime) -> list[Item]:
    """The loops that closed in the week before ``now`` (dilemmas evaluated: decision, outcome
    and lesson) that ``member`` may read, newest first."""
    return list(
        db.session.scalars(
            select(Item)
            .where(
                Item.kind == "dilemma",
                Item.status == "geevalueerd",
                Item.evaluated_at.is_not(None),
                Item.evaluated_at > now - timedelta(days=7),
                Item.evaluated_at <= now,
                visible_to(member),
            )
            .order_by(Item.evaluated_at.desc(), Item.id.desc())
            .limit(CLOSED_IN_DIGEST)
        )
    )


def send_digests(frequency: str, now: datetime | None = None) -> int:
    """Put every waiting ``frequency`` ("daily", "weekly") notification into one e-mail per
    member, leaving out what they may no longer see. Returns the number of e-mails queued."""
    now = now or utcnow()
    rows = db.session.scalars(
        select(Notification)
        .where(
            Notification.delivery == frequency,
            Notification.emailed_at.is_(None),
            Notification.created_at <= now,
        )
        .order_by(Notification.recipient_id, Notification.created_at, Notification.id)
    ).all()
    waiting: dict[int, list[Notification]] = defaultdict(list)
    for notification in rows:
        waiting[notification.recipient_id].append(notification)
    queued = 0
    for member_id, notifications in waiting.items():
        member = db.session.get(Member, member_id)
        shown = [
            n
            for n in notifications
            if n.read_at is None and may_receive(member, KINDS[n.kind], n.item_id, n.group_id)
        ]
        for notification in notifications:
            notification.emailed_at = now
        if shown:
            unsubscribe_url = external_url(
                path_for("notify.unsubscribe", token=unsubscribe_token(member_id, "digest"))
            )
            queue_mail(
                member.email,
                "digest",
                member.locale,
                headers=mail_headers(unsubscribe_url),
                notifications=shown,
                closed=closed_this_week(member, now) if frequency == "weekly" else [],
                lesson_of=lambda item: first_line(item.lesson),
                item_link=lambda item: external_url(path_for("knowledge.show", item_id=item.id)),
                frequency=frequency,
                text_of=text_of,
                link_of=lambda n: external_url(n.url),
                site_url=external_url(path_for("notify.index")),
                unsubscribe_url=unsubscribe_url,
                settings_url=external_url(path_for("notify.settings")),
            )
            queued += 1
        db.session.commit()  # one member at a time: a failure later keeps what is done
    return queued
