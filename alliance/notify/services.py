"""Notifications: the one function other features call, delivery by e-mail, digests, reading.

Notify is told what happened by signals (``core.signals``); its receivers
(``notify/receivers.py``) call ``notify`` in the transaction of the change::

    notify(
        recipient_id,            # the member to tell
        "reply",                 # a kind registered in alliance/notify/registry.py
        actor_id=author.id,      # who did it (None: shown as "someone"); about an item, an
                                 # anonymous asker is never named (``access.shown_actor_id``)
        item_id=item.id,         # what it is about: an item, a reply, a group (any of them)
        reply_id=reply.id,
        group_id=None,
        url="/kennisbank/12#reactie-3",  # a path on this site (absolute in e-mail)
        params={"task": "Bellen"},       # extra values for the kind's text (strings; a
                                         # "message" written to the member is kept whole)
        key=None,                # a reminder key: a second call with the same key does nothing
        mail=None,               # (template, context): the feature's own direct e-mail
    )

It writes a ``Notification`` (the bell and ``/meldingen``) and, by the member's choice for that
kind, queues a direct e-mail in the outbox (sent after commit and by ``flask notify send``) or
leaves it for the daily or weekly digest (``flask notify digest``). Nobody is told about their
own action, and nobody about what they may not see: that is checked now and again when the
notification is shown or put in a digest, with the rules of ``knowledge.access`` and
``core.audience``. A new kind is one ``register`` line in ``registry``.
"""

from sqlalchemy import ColumnElement, exists, or_, select

from alliance.core import audience
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.knowledge.access import is_listed, visible_to
from alliance.knowledge.models import Item
from alliance.members.models import Member
from alliance.notify.delivery import mail_direct
from alliance.notify.models import Notification, NotificationSetting
from alliance.notify.registry import DELIVERIES, KINDS, NotificationKind

# --- who may receive what --------------------------------------------------------------------


def may_receive(
    member: Member | None, kind: NotificationKind, item_id: int | None, group_id: int | None
) -> bool:
    """Whether ``member`` may be told this now: private group content only reaches the
    group's current members, an item only those who have it in their lists (``visible_condition``
    is the same rule in SQL)."""
    if member is None or member.email_confirmed_at is None:
        return False
    if kind.audience == "anyone":
        return True
    if kind.audience == "group_if_any":
        return group_id is None or group_id in audience.group_ids_of(member)
    if kind.audience == "group":
        if group_id is None or group_id not in audience.group_ids_of(member):
            return False
    if item_id is not None:
        item = db.session.get(Item, item_id)
        return item is not None and is_listed(item, member)
    return True


def visible_condition(member: Member) -> tuple[ColumnElement[bool], ...]:
    """The SQL conditions for the notifications ``member`` may still see (list, bell, digest,
    export), the same rules as ``may_receive``; in the query itself, so the bell costs one
    statement."""

    def in_group(group_id_column):
        return audience.in_group(group_id_column, member.id)

    group_kinds = [k for k, e in KINDS.items() if e.audience == "group"]
    maybe_group_kinds = [k for k, e in KINDS.items() if e.audience == "group_if_any"]
    item_kinds = [k for k, e in KINDS.items() if e.audience not in ("anyone", "group_if_any")]
    readable_item = exists().where(
        Item.id == Notification.item_id, visible_to(member, groups_in_sql=True)
    )
    return (
        or_(Notification.kind.not_in(group_kinds), in_group(Notification.group_id)),
        or_(
            Notification.kind.not_in(maybe_group_kinds),
            Notification.group_id.is_(None),
            in_group(Notification.group_id),
        ),
        or_(Notification.item_id.is_(None), Notification.kind.not_in(item_kinds), readable_item),
    )


# --- the one function -----------------------------------------------------------------------


def delivery_for(member_id: int, kind: str) -> str:
    """How ``kind`` reaches the member by e-mail: their choice, else the kind's default."""
    setting = db.session.get(NotificationSetting, member_id)
    choice = (setting.deliveries or {}).get(kind) if setting else None
    return choice if choice in DELIVERIES else KINDS[kind].default


def notify(
    recipient_id: int | None,
    kind_name: str,
    *,
    actor_id: int | None = None,
    item_id: int | None = None,
    reply_id: int | None = None,
    group_id: int | None = None,
    url: str,
    params: dict | None = None,
    key: str | None = None,
    mail: tuple[str, dict] | None = None,
) -> Notification | None:
    """Tell a member about something that happened (see the module docstring). Returns the notification, or
    None when nobody is told (their own action, not allowed to see it, already reminded)."""
    kind = KINDS[kind_name]
    if recipient_id is None or recipient_id == actor_id:
        return None
    recipient = db.session.get(Member, recipient_id)
    if not may_receive(recipient, kind, item_id, group_id):
        return None
    if key is not None and db.session.scalar(
        select(Notification.id).where(
            Notification.recipient_id == recipient_id, Notification.key == key
        )
    ):
        return None
    notification = Notification(
        recipient_id=recipient_id,
        kind=kind_name,
        actor_id=actor_id,
        item_id=item_id,
        reply_id=reply_id,
        group_id=group_id,
        url=url[:500],
        params={k: str(v)[: 2000 if k == "message" else 300] for k, v in (params or {}).items()},
        key=key,
        delivery=delivery_for(recipient_id, kind_name),
        created_at=utcnow(),
    )
    db.session.add(notification)
    db.session.flush()
    if notification.delivery == "direct":
        mail_direct(notification, recipient, mail)
    elif notification.delivery == "none":
        notification.emailed_at = notification.created_at  # nothing to send, ever
    return notification
