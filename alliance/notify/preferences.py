"""A member's choices: e-mail per kind of notification, and whether they may be asked to
think along (and how often)."""

from sqlalchemy import update  # noqa: F401

from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member
from alliance.notify.models import DEFAULT_MONTHLY_CAP, MAX_MONTHLY_CAP, NotificationSetting
from alliance.notify.registry import DELIVERIES, KINDS


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
