"""What a notification says, in the current language."""

from datetime import date

from flask import g
from flask_babel import gettext as _
from flask_babel import ngettext

from alliance.core import audience
from alliance.core.web import format_day
from alliance.extensions import db
from alliance.knowledge.access import shown_actor_id
from alliance.knowledge.models import Item
from alliance.notify.models import Notification
from alliance.notify.registry import KINDS


def _formatted(name: str, value: str) -> str:
    if name in ("due", "ends", "closes"):
        try:
            return format_day(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def _values(notification: Notification) -> dict:
    values = {k: _formatted(k, v) for k, v in (notification.params or {}).items()}
    item = db.session.get(Item, notification.item_id) if notification.item_id else None
    actor_id = shown_actor_id(item, notification.actor_id)  # also for rows made before
    values["actor"] = notification.actor.name if actor_id and notification.actor else _("Someone")
    values["title"] = item.title if item is not None else _group_name(notification)
    return values


def _grouped_text(kind: str, others: int, values: dict) -> str | None:
    """The line for several similar notifications: "Eva en 3 anderen reageerden op …"."""
    actor, title = values["actor"], values["title"]
    if kind == "reply":
        return ngettext(
            "%(actor)s and %(num)d other replied to “%(title)s”",
            "%(actor)s and %(num)d others replied to “%(title)s”",
            others,
            actor=actor,
            title=title,
        )
    if kind == "followed_reply":
        return ngettext(
            "%(actor)s and %(num)d other replied in “%(title)s”, which you follow",
            "%(actor)s and %(num)d others replied in “%(title)s”, which you follow",
            others,
            actor=actor,
            title=title,
        )
    if kind == "mention":
        return ngettext(
            "%(actor)s and %(num)d other mentioned you in “%(title)s”",
            "%(actor)s and %(num)d others mentioned you in “%(title)s”",
            others,
            actor=actor,
            title=title,
        )
    return None


def text_of_entry(entry) -> str:
    """What one line of the notifications page says: one notification, or several similar ones
    (``reading.Entry``) as "Eva en 3 anderen …"."""
    others = len(entry.other_actor_ids)
    if others:
        text = _grouped_text(entry.first.kind, others, _values(entry.first))
        if text is not None:
            return text
    return text_of(entry.first)


def text_of(notification: Notification) -> str:
    """What happened, in the current language."""
    kind = KINDS.get(notification.kind)
    if kind is None:
        return _("Something happened.")
    values = _values(notification)
    text = kind.with_message if kind.with_message and values.get("message") else kind.text
    try:
        return str(text) % values
    except (KeyError, ValueError, TypeError):
        return str(kind.label)


def _group_name(notification: Notification) -> str:
    if not notification.group_id:
        return ""
    known = g.setdefault("notify_groups", {})  # filled for a whole page by ``reading``
    if notification.group_id not in known:
        known.update(audience.group_refs({notification.group_id}))
    group = known.get(notification.group_id)
    return group.name if group is not None else ""


def private_group(notification: Notification) -> str | None:
    """The name of the working group whose private content this notification is about (to
    label it "alleen voor werkgroep X"), or None."""
    kind = KINDS.get(notification.kind)
    group_id = notification.group_id if kind is not None and kind.audience == "group" else None
    if group_id is None and notification.item_id:
        item = db.session.get(Item, notification.item_id)
        if item is not None and item.visibility == "group":
            group_id = item.group_id
    if group_id is None:
        return None
    known = g.setdefault("notify_groups", {})
    if group_id not in known:
        known.update(audience.group_refs({group_id}))
    group = known.get(group_id)
    return group.name if group is not None else None
