"""Notifications: the one function other features call, delivery by e-mail, digests, reading.

How another feature tells a member about something, in the same transaction as the change::

    from alliance.notify.services import notify

    notify(
        recipient_id,            # the member to tell
        "reply",                 # a kind registered in alliance/notify/registry.py
        actor_id=author.id,      # who did it (None: shown as "someone"; use None to keep an
                                 # anonymous asker anonymous)
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
notification is shown or put in a digest. A new kind is one ``register`` line in ``registry``.
"""

from collections import defaultdict
from datetime import date, datetime

from flask import current_app, g, has_request_context, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, func, or_, select, update

from alliance.accounts.tokens import make_token, read_token
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.knowledge.models import Item
from alliance.mail.services import queue_mail
from alliance.members.models import Member
from alliance.notify.models import DEFAULT_MONTHLY_CAP, Notification, NotificationSetting
from alliance.notify.registry import DELIVERIES, KINDS, EventKind

#: An unsubscribe link keeps working this long (seconds): e-mail is read late.
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 400
#: The bell stops counting here ("99+").
COUNT_CAP = 99


def path_for(endpoint: str, **values) -> str:
    """A path on this site, also outside a request (the scheduled commands)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def absolute(path: str) -> str:
    """A path made into a link for e-mail."""
    return current_app.config["SITE_URL"].rstrip("/") + path


# --- who may receive what --------------------------------------------------------------------


def _group_ids(member: Member) -> set[int]:
    from alliance.groups.services import group_ids_of

    return group_ids_of(member)


def may_receive(member: Member, kind: EventKind, item_id: int | None, group_id: int | None) -> bool:
    """Whether ``member`` may be told this now: private group content only reaches the
    group's current members, an item only those who may read it."""
    if member is None or member.email_confirmed_at is None:
        return False
    if kind.audience == "anyone":
        return True
    if kind.audience == "group_if_any":
        return group_id is None or group_id in _group_ids(member)
    if kind.audience == "group":
        if group_id is None or group_id not in _group_ids(member):
            return False
    if item_id is not None:
        from alliance.knowledge.services import can_view

        item = db.session.get(Item, item_id)
        return item is not None and can_view(item, member)
    return True


def visible_condition(member: Member):
    """The SQL conditions for the notifications ``member`` may still see (list and bell),
    the same rules as ``may_receive``; in the query itself, so the bell costs one statement."""
    from alliance.groups.models import Membership

    def in_group(group_id_column):
        return exists().where(
            Membership.group_id == group_id_column,
            Membership.member_id == member.id,
            Membership.state == "member",
        )

    group_kinds = [k for k, e in KINDS.items() if e.audience == "group"]
    maybe_group_kinds = [k for k, e in KINDS.items() if e.audience == "group_if_any"]
    item_kinds = [k for k, e in KINDS.items() if e.audience not in ("anyone", "group_if_any")]
    readable_item = exists().where(
        Item.id == Notification.item_id,
        or_(Item.visibility != "group", in_group(Item.group_id)),
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
    event: str,
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
    """Tell a member about an event (see the module docstring). Returns the notification, or
    None when nobody is told (their own action, not allowed to see it, already reminded)."""
    kind = KINDS[event]
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
        kind=event,
        actor_id=actor_id,
        item_id=item_id,
        reply_id=reply_id,
        group_id=group_id,
        url=url[:500],
        params={k: str(v)[: 2000 if k == "message" else 300] for k, v in (params or {}).items()},
        key=key,
        delivery=delivery_for(recipient_id, event),
        created_at=utcnow(),
    )
    db.session.add(notification)
    db.session.flush()
    if notification.delivery == "direct":
        _mail_direct(notification, recipient, mail)
    elif notification.delivery == "none":
        notification.emailed_at = notification.created_at  # nothing to send, ever
    return notification


# --- texts ----------------------------------------------------------------------------------


def _formatted(name: str, value: str) -> str:
    if name in ("due", "ends"):
        try:
            return format_date(date.fromisoformat(value), "long")
        except ValueError:
            return value
    return value


def text_of(notification: Notification) -> str:
    """What happened, in the current language."""
    kind = KINDS.get(notification.kind)
    if kind is None:
        return _("Something happened.")
    values = {k: _formatted(k, v) for k, v in (notification.params or {}).items()}
    values["actor"] = notification.actor.name if notification.actor else _("Someone")
    values["title"] = _subject_title(notification)
    text = kind.with_message if kind.with_message and values.get("message") else kind.text
    try:
        return str(text) % values
    except (KeyError, ValueError, TypeError):
        return str(kind.label)


def _subject_title(notification: Notification) -> str:
    if notification.item_id:
        item = db.session.get(Item, notification.item_id)
        if item is not None:
            return item.title
    if notification.group_id:
        from alliance.groups.models import WorkingGroup

        group = db.session.get(WorkingGroup, notification.group_id)
        if group is not None:
            return group.name
    return ""


# --- e-mail ---------------------------------------------------------------------------------


def unsubscribe_token(member_id: int, kind: str) -> str:
    """A signed link token: stop e-mail of ``kind`` ("digest": every digest)."""
    return make_token("unsubscribe", {"m": member_id, "k": kind})


def read_unsubscribe_token(token: str) -> tuple[Member, str] | None:
    """The member and kind of a valid unsubscribe token, or None."""
    data = read_token("unsubscribe", token, UNSUBSCRIBE_MAX_AGE)
    if not data or not isinstance(data.get("m"), int):
        return None
    kind = data.get("k")
    member = db.session.get(Member, data["m"])
    if member is None or (kind != "digest" and kind not in KINDS):
        return None
    return member, kind


def _mail_headers(unsubscribe_url: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _mail_direct(
    notification: Notification, recipient: Member, mail: tuple[str, dict] | None = None
) -> None:
    """One e-mail now: the feature's own template when it gave one (``mail``: a template name
    under templates/mail/ and its context), else the general notification e-mail. Both carry
    the one-click unsubscribe of this kind."""
    unsubscribe_url = absolute(
        path_for("notify.unsubscribe", token=unsubscribe_token(recipient.id, notification.kind))
    )
    template, own = mail or ("notification", {})
    context = {
        "notification": notification,
        "kind_label": KINDS[notification.kind].label,
        "text_of": text_of,
        "link": absolute(notification.url),
        "unsubscribe_url": unsubscribe_url,
        "settings_url": absolute(path_for("notify.settings")),
    }
    context.update(own)  # the feature's own values win
    queue_mail(
        recipient.email,
        template,
        recipient.locale,
        headers=_mail_headers(unsubscribe_url),
        **context,
    )
    notification.emailed_at = utcnow()


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
            unsubscribe_url = absolute(
                path_for("notify.unsubscribe", token=unsubscribe_token(member_id, "digest"))
            )
            queue_mail(
                member.email,
                "digest",
                member.locale,
                headers=_mail_headers(unsubscribe_url),
                notifications=shown,
                frequency=frequency,
                text_of=text_of,
                link_of=lambda n: absolute(n.url),
                site_url=absolute(path_for("notify.index")),
                unsubscribe_url=unsubscribe_url,
                settings_url=absolute(path_for("notify.settings")),
            )
            queued += 1
        db.session.commit()  # one member at a time: a failure later keeps what is done
    return queued


# --- settings -------------------------------------------------------------------------------


def settings_of(member_id: int) -> NotificationSetting:
    """The member's settings (not stored until changed)."""
    return db.session.get(NotificationSetting, member_id) or NotificationSetting(
        member_id=member_id,
        deliveries={},
        matching_opt_out=False,
        monthly_cap=DEFAULT_MONTHLY_CAP,
    )


def _stored_settings(member_id: int) -> NotificationSetting:
    setting = db.session.get(NotificationSetting, member_id)
    if setting is None:
        setting = settings_of(member_id)
        db.session.add(setting)
    return setting


def save_settings(
    member: Member, deliveries: dict[str, str], matching_opt_out: bool, monthly_cap: int
) -> NotificationSetting:
    """Store a member's choices (unknown kinds and choices are left out)."""
    from alliance.notify.models import MAX_MONTHLY_CAP

    setting = _stored_settings(member.id)
    setting.deliveries = {k: v for k, v in deliveries.items() if k in KINDS and v in DELIVERIES}
    setting.matching_opt_out = bool(matching_opt_out)
    setting.monthly_cap = max(0, min(int(monthly_cap), MAX_MONTHLY_CAP))
    setting.updated_at = utcnow()
    db.session.flush()
    return setting


def unsubscribe(member: Member, kind: str) -> list[str]:
    """Stop e-mail for one kind, or ("digest") for every kind that went into a digest.
    Returns the kinds switched off."""
    setting = _stored_settings(member.id)
    deliveries = dict(setting.deliveries or {})
    if kind == "digest":
        kinds = [k for k in KINDS if deliveries.get(k, KINDS[k].default) in ("daily", "weekly")]
    else:
        kinds = [kind]
    for name in kinds:
        deliveries[name] = "none"
    setting.deliveries = deliveries
    setting.updated_at = utcnow()
    db.session.flush()
    return kinds


# --- reading --------------------------------------------------------------------------------


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
    """Actors, items and groups of a page in three queries, whatever its length. The session
    holds its objects weakly, so the loaded rows are kept on ``g`` for the request: otherwise
    they are gone again before the page asks for them, one query per row."""
    from alliance.groups.models import WorkingGroup

    kept = g.setdefault("notify_preloaded", [])
    for model, ids in (
        (Member, {n.actor_id for n in rows if n.actor_id}),
        (Item, {n.item_id for n in rows if n.item_id}),
        (WorkingGroup, {n.group_id for n in rows if n.group_id}),
    ):
        if ids:
            kept.extend(db.session.scalars(select(model).where(model.id.in_(ids))).all())


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
    g.pop("unread_notifications", None)
    return True


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
    from alliance.core.web import wants_fragment

    if (
        response.status_code != 200
        or response.mimetype != "text/html"
        or response.direct_passthrough
        or not has_request_context()
        or not wants_fragment()
    ):
        return response
    from flask import request

    if request.endpoint in ("notify.bell", "static") or not current_user.is_authenticated:
        return response
    bell = render_template("notify/_bell.html", oob=True)
    response.set_data(response.get_data() + bell.encode())
    return response


# --- AVG: export and erasure ----------------------------------------------------------------


def personal_data(member: Member) -> dict:
    """What this feature holds about ``member``, for the AVG data export: their notifications
    (as text, without what they may no longer see), their settings, and the requests to think
    along they received and made."""
    from alliance.notify.models import HelpRequest

    notifications = db.session.scalars(
        select(Notification)
        .where(Notification.recipient_id == member.id, *visible_condition(member))
        .order_by(Notification.created_at)
    ).all()
    setting = settings_of(member.id)
    requests = db.session.scalars(
        select(HelpRequest).where(
            or_(HelpRequest.member_id == member.id, HelpRequest.asked_by_id == member.id)
        )
    ).all()
    return {
        "notifications": [
            {
                "kind": n.kind,
                "text": text_of(n),
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
                "emailed_at": n.emailed_at.isoformat() if n.emailed_at else None,
            }
            for n in notifications
        ],
        "settings": {
            "deliveries": {k: delivery_for(member.id, k) for k in KINDS},
            "matching_opt_out": setting.matching_opt_out,
            "monthly_cap": setting.monthly_cap,
        },
        "help_requests": [
            {
                "item_id": r.item_id,
                "asked_me": r.member_id == member.id,
                "created_at": r.created_at.isoformat(),
            }
            for r in requests
        ],
    }


def erase_personal_data(member: Member) -> None:
    """Before an account is deleted: remove the member's notifications, settings and requests,
    and the e-mail waiting for or sent to their address. (The foreign keys would cascade too;
    this also works where a member row is anonymised rather than deleted.) Where they were the
    actor of someone else's notification, that shows "someone" from then on."""
    from sqlalchemy import delete

    from alliance.mail.models import OutgoingMail
    from alliance.notify.models import HelpRequest

    db.session.execute(delete(Notification).where(Notification.recipient_id == member.id))
    db.session.execute(
        update(Notification).where(Notification.actor_id == member.id).values(actor_id=None)
    )
    db.session.execute(
        delete(NotificationSetting).where(NotificationSetting.member_id == member.id)
    )
    db.session.execute(delete(HelpRequest).where(HelpRequest.member_id == member.id))
    db.session.execute(
        update(HelpRequest).where(HelpRequest.asked_by_id == member.id).values(asked_by_id=None)
    )
    db.session.execute(delete(OutgoingMail).where(OutgoingMail.recipient == member.email))
    db.session.flush()
