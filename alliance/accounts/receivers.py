"""How accounts take part in what happens elsewhere: a suspension ends every session, and what
accounts keep about a member (export, erasure)."""

from sqlalchemy import delete, select

from alliance.accounts.models import LoginSession, RecoveryCode
from alliance.accounts.services import end_all_sessions
from alliance.core import signals
from alliance.core.signals import Collected
from alliance.core.timeutil import iso
from alliance.extensions import db


@signals.member_suspended.connect
def log_out_everywhere(member) -> None:
    """A suspended member is logged out at once, on every device."""
    end_all_sessions(member)


@signals.personal_data.connect
def personal_data(member) -> list[Collected]:
    """Account data and settings, and where the member is logged in (browser, since, last
    seen; never the tokens)."""
    sessions = db.session.scalars(select(LoginSession).where(LoginSession.member_id == member.id))
    return [
        Collected(
            "account",
            {
                "email": member.email,
                "email_confirmed_at": iso(member.email_confirmed_at),
                "role": member.role,
                "language": member.locale,
                "created_at": iso(member.created_at),
                "two_step_login": member.has_two_factor,
                "two_step_login_since": iso(member.totp_enabled_at),
            },
        ),
        Collected(
            "sessions",
            [
                {
                    "browser": row.user_agent,
                    "created_at": iso(row.created_at),
                    "last_seen_at": iso(row.last_seen_at),
                }
                for row in sessions
            ],
        ),
    ]


@signals.account_erasing.connect
def erase(member) -> None:
    """Sessions and recovery codes go."""
    db.session.execute(delete(LoginSession).where(LoginSession.member_id == member.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
