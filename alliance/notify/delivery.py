"""Notifications by e-mail: one now, or many in a digest; every message with a signed
one-click unsubscribe link."""

from alliance.core.timeutil import utcnow
from alliance.core.tokens import make_token, read_token
from alliance.core.web import external_url, path_for
from alliance.extensions import db
from alliance.mail.services import queue_mail
from alliance.members.models import Member
from alliance.notify.models import Notification
from alliance.notify.registry import KINDS
from alliance.notify.texts import text_of

#: An unsubscribe link keeps working this long (seconds): e-mail is read late.
UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 400


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


def mail_headers(unsubscribe_url: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def mail_direct(
    notification: Notification, recipient: Member, mail: tuple[str, dict] | None = None
) -> None:
    """One e-mail now: the feature's own template when it gave one (``mail``: a template name
    under templates/mail/ and its context), else the general notification e-mail. Both carry
    the one-click unsubscribe of this kind."""
    unsubscribe_url = external_url(
        path_for("notify.unsubscribe", token=unsubscribe_token(recipient.id, notification.kind))
    )
    template, own = mail or ("notification", {})
    context = {
        "notification": notification,
        "kind_label": KINDS[notification.kind].label,
        "text_of": text_of,
        "link": external_url(notification.url),
        "unsubscribe_url": unsubscribe_url,
        "settings_url": external_url(path_for("notify.settings")),
    }
    context.update(own)  # the feature's own values win
    queue_mail(
        recipient.email,
        template,
        recipient.locale,
        headers=mail_headers(unsubscribe_url),
        **context,
    )
    notification.emailed_at = utcnow()
