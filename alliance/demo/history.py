"""The demo's notifications carry the time of what they tell: the named items are written
through the services (which notify at once) and their timestamps moved back afterwards, so
their notifications are moved back with them."""

from datetime import datetime, timedelta

from sqlalchemy import select

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.knowledge.models import Item, Reply
from alliance.notify.models import Notification


def date_notifications(made_since: datetime) -> int:
    """Give the notifications made since ``made_since`` (this load) the time of their reply, or
    of the evaluation they announce; "dit hielp mij" comes a day after the reply (or halfway to now). How many."""
    now = utcnow()
    rows = db.session.execute(
        select(Notification, Reply.created_at, Item.evaluated_at)
        .outerjoin(Reply, Reply.id == Notification.reply_id)
        .outerjoin(Item, Item.id == Notification.item_id)
        .where(Notification.created_at >= made_since)
    ).all()
    moved = 0
    for notification, replied_at, evaluated_at in rows:
        if notification.kind == "evaluated" and evaluated_at is not None:
            moment = evaluated_at
        elif notification.kind == "helped" and replied_at is not None:
            moment = replied_at + min(timedelta(days=1), (now - replied_at) / 2)
        elif replied_at is not None:
            moment = replied_at
        else:
            continue
        notification.created_at = moment
        moved += 1
    db.session.flush()
    return moved
