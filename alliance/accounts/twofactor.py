"""Two-step login: a TOTP app code (RFC 6238, ``pyotp``) after the password, or a one-time
recovery code. Optional for members; coordinators and administrators use their powers only
with it switched on."""

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from alliance.accounts.models import RecoveryCode
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member

RECOVERY_CODES = 10
#: How long the second step may take after the password was right.
PENDING_SECONDS = 300
ISSUER = "Alliantie Open Overheid"


def new_secret() -> str:
    """A fresh base32 secret (160 bits) for the authenticator app."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str) -> str:
    """The ``otpauth://`` link the QR code carries."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_data_uri(secret: str, email: str) -> str:
    """The QR code as an SVG ``data:`` URL (the CSP allows ``img-src data:``)."""
    return segno.make(provisioning_uri(secret, email), error="m").svg_data_uri(
        scale=5, border=2, dark="#000", light="#fff"
    )


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type over."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _clean(code: str | None) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def matching_step(secret: str, code: str, after_step: int = 0) -> int | None:
    """The time step whose code is ``code`` (now, or one step before or after, for clocks that
    drift), if it is later than ``after_step``: a code works once."""
    code = _clean(code)
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(time.time()) // totp.interval
    for step in (now_step - 1, now_step, now_step + 1):
        if step > after_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _digest(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, _clean(code).encode(), hashlib.sha256).hexdigest()


def new_recovery_codes(member: Member) -> list[str]:
    """Replace the member's recovery codes with fresh ones; only digests are stored, so the
    codes are shown once, now."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 10 hex characters, shown as xxxxx-xxxxx
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(member_id=member.id, code_hash=_digest(raw)))
    db.session.flush()
    return codes


def recovery_codes_left(member: Member) -> int:
    """How many unused recovery codes the member has."""
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.member_id == member.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def enable(member: Member, secret: str, code: str) -> list[str] | None:
    """Switch two-step login on once the app shows the right code; the recovery codes, or None
    when the code is wrong."""
    step = matching_step(secret, code)
    if step is None:
        return None
    member.totp_secret = secret
    member.totp_enabled_at = utcnow()
    member.totp_last_step = step
    return new_recovery_codes(member)


def disable(member: Member) -> None:
    """Switch two-step login off (members only keep their powers with it on)."""
    member.totp_secret = None
    member.totp_enabled_at = None
    member.totp_last_step = 0
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    db.session.flush()


def verify(member: Member, code: str) -> bool:
    """The second step: a current app code (once) or an unused recovery code (once).

    "Once" is decided by the database, not by what this request read: the step (or the
    recovery code) is taken with a conditional UPDATE, and only the request whose UPDATE
    changed the row gets in. Two browsers sending the same code at the same moment (on
    PostgreSQL both read the old step) thus log in once."""
    if not member.has_two_factor:
        return False
    step = matching_step(member.totp_secret, code, member.totp_last_step)
    if step is not None:
        taken = db.session.execute(
            update(Member)
            .where(
                Member.id == member.id,
                or_(Member.totp_last_step.is_(None), Member.totp_last_step < step),
            )
            .values(totp_last_step=step)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken:
            set_committed_value(member, "totp_last_step", step)
        return bool(taken)
    cleaned = _clean(code)
    if len(cleaned) != 10:
        return False
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.member_id == member.id,
            RecoveryCode.code_hash == _digest(cleaned),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return used > 0


# --- the login in between the two steps --------------------------------------------------------


def start_pending(member: Member, remember: bool, next_url: str) -> None:
    """The password was right: remember (in the signed session cookie) who is halfway."""
    session["2fa"] = {
        "id": member.id,
        "remember": remember,
        "next": next_url,
        "at": int(time.time()),
    }


def pending_member() -> Member | None:
    """The member halfway through logging in, while the second step is still open."""
    data = session.get("2fa")
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    member = db.session.get(Member, data.get("id") or 0)
    return member if member is not None and member.has_two_factor else None


def pending_key() -> str:
    """The key that throttles code attempts: per account halfway through logging in."""
    data = session.get("2fa")
    return f"2fa:{data.get('id')}" if isinstance(data, dict) else "2fa:none"


def redirect_to_setup():
    """For a coordinator or administrator without two-step login who tried to use a power: the
    setup page, with the reason. None for everyone else."""
    if getattr(current_user, "is_authenticated", False) and current_user.needs_two_factor:
        flash(
            _(
                "As coordinator or administrator you first set up two-step login. "
                "Then you can use your powers."
            ),
            "info",
        )
        return redirect(url_for("accounts.two_factor", next=request.path), 303)
    return None
