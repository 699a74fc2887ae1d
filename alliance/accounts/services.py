"""The rules of accounts: registering, confirming, logging in and out, passwords, e-mail."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from alliance.accounts.models import LoginSession
from alliance.core import signals, tokens
from alliance.core.database import after_commit, end_read_transaction
from alliance.core.errors import RuleError
from alliance.core.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from alliance.core.text import fold
from alliance.core.timeutil import utcnow
from alliance.core.web import external_url, path_for
from alliance.extensions import db
from alliance.mail.services import queue_mail
from alliance.members.models import ROLES, Member
from alliance.members.services import reindex_member, search_key_for


def normalise_email(email: str) -> str:
    """E-mail addresses are compared in lower case, without surrounding spaces."""
    return (email or "").strip().lower()


def member_by_email(email: str) -> Member | None:
    """The member with this address, if any."""
    return db.session.scalar(select(Member).where(Member.email == normalise_email(email)))


def _check_password(password: str, *personal: str) -> None:
    problem = password_problem(password, *personal)
    if problem:
        raise RuleError("password", problem)


def register(
    name: str, email: str, password: str, locale: str | None, invite_token: str | None = None
) -> Member | None:
    """Register a new member and send the confirmation e-mail.

    The answer is the same whether or not the address is known: a known address gets an e-mail
    saying so (with a link to reset the password) and nothing else changes. A valid invitation for
    this address confirms the account at once, because the invitation proved the mailbox."""
    email = normalise_email(email)
    _check_password(password, name, email)
    password_hash = hash_password(password)  # before the lookup: the same time either way
    existing = member_by_email(email)
    if existing is not None and existing.email_confirmed_at is not None:
        queue_mail(
            existing.email,
            "already_registered",
            existing.locale,
            member=existing,
            reset_url=external_url(path_for("accounts.forgot_password")),
        )
        return None
    if existing is None:
        existing = Member(email=email, public_fields=[])
        db.session.add(existing)
    # A new registration, or an unconfirmed one again: the newest counts, older links stop working.
    existing.name = name.strip()
    existing.password_hash = password_hash
    existing.locale = locale
    existing.search_key = search_key_for(existing.name, "", [])
    db.session.flush()
    invited = read_invitation(invite_token) if invite_token else None
    if invited and invited["email"] == email:
        existing.email_confirmed_at = utcnow()
        reindex_member(existing)
        return existing
    token = tokens.make_token(
        "confirm", {"id": existing.id, "fp": tokens.fingerprint(existing.password_hash)}
    )
    queue_mail(
        email,
        "confirm",
        locale,
        member=existing,
        confirm_url=external_url(path_for("accounts.confirm", token=token)),
    )
    return existing


def confirm(token: str) -> tuple[Member | None, bool]:
    """Confirm the address of a registration. Returns the member (None when the link is
    invalid or expired) and whether this confirmed it: only then does the button log the
    member in (it proves the inbox once; the link is no login link for later)."""
    data = tokens.read_token("confirm", token, current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    if not data:
        return None, False
    member = db.session.get(Member, data.get("id"))
    if member is None or data.get("fp") != tokens.fingerprint(member.password_hash):
        return None, False
    # A conditional update: two presses at once confirm (and log in) once.
    confirmed = db.session.execute(
        update(Member)
        .where(Member.id == member.id, Member.email_confirmed_at.is_(None))
        .values(email_confirmed_at=utcnow())
    ).rowcount
    if confirmed:
        db.session.refresh(member)
        reindex_member(member)
    return member, bool(confirmed)


def authenticate(email: str, password: str) -> Member | None:
    """The confirmed member with this address and password, or None (same time either way)."""
    member = member_by_email(email)
    stored = member.password_hash if member else None
    end_read_transaction()  # Argon2 takes a while: hold no write lock meanwhile
    if not verify_password(stored, password):
        return None
    member = member_by_email(email)
    if member is None or member.email_confirmed_at is None:
        return None
    if needs_rehash(member.password_hash):
        member.password_hash = hash_password(password)
    return member


def _stored(token: str) -> str:
    """Only a digest of a session token is stored: a copy of the database logs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


def _oldest_valid_session():
    return utcnow() - current_app.config["REMEMBER_COOKIE_DURATION"]


def start_session(member: Member) -> str:
    """A new login session for ``member``; its token goes into the cookies. Expired sessions
    of the member are cleared out on the way."""
    db.session.execute(
        delete(LoginSession).where(
            LoginSession.member_id == member.id,
            LoginSession.created_at < _oldest_valid_session(),
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            token=_stored(token),
            member_id=member.id,
            user_agent=_user_agent(),
            last_seen_at=utcnow(),
        )
    )
    db.session.flush()
    member.session_token = token
    return token


def end_session(token: str | None) -> None:
    """End one login session (logout): its cookies no longer log anyone in."""
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token == _stored(token)))


def end_all_sessions(member: Member) -> None:
    """End every login session of ``member`` (after a password change or reset)."""
    db.session.execute(delete(LoginSession).where(LoginSession.member_id == member.id))


def member_for_session(token: str) -> Member | None:
    """The member logged in with this session token, or None when the session has ended."""
    found = db.session.execute(
        select(Member, LoginSession.last_seen_at)
        .join(LoginSession, LoginSession.member_id == Member.id)
        .where(
            LoginSession.token == _stored(token),
            LoginSession.created_at >= _oldest_valid_session(),
        )
    ).one_or_none()
    if found is None:
        return None
    member, last_seen = found
    member.session_token = token
    _note_last_seen(_stored(token), last_seen)
    return member


#: "Last seen" on the sessions page is this precise: one small write per session per period.
LAST_SEEN_PRECISION = timedelta(minutes=5)


def _note_last_seen(digest: str, last_seen) -> None:
    """Remember when a session was last used, after the request and in a transaction of its
    own, so a page view never holds a write lock for it."""
    now = utcnow()
    if not has_request_context() or (last_seen and now - last_seen < LAST_SEEN_PRECISION):
        return

    def note():
        db.session.execute(
            update(LoginSession).where(LoginSession.token == digest).values(last_seen_at=now)
        )
        db.session.commit()

    after_commit(note)


def _user_agent() -> str:
    return (request.user_agent.string or "")[:300] if has_request_context() else ""


def sessions_of(member: Member) -> list[LoginSession]:
    """The member's active login sessions, the most recently used first."""
    return list(
        db.session.scalars(
            select(LoginSession)
            .where(
                LoginSession.member_id == member.id,
                LoginSession.created_at >= _oldest_valid_session(),
            )
            .order_by(LoginSession.last_seen_at.desc(), LoginSession.created_at.desc())
        )
    )


def is_current_session(login: LoginSession, member: Member) -> bool:
    """Whether ``login`` is the session this request runs in."""
    return bool(member.session_token) and login.token == _stored(member.session_token)


def end_session_of(member: Member, digest: str) -> bool:
    """End one of the member's own sessions (from the sessions page); False when not theirs."""
    result = db.session.execute(
        delete(LoginSession).where(
            LoginSession.member_id == member.id, LoginSession.token == (digest or "")[:64]
        )
    )
    return bool(result.rowcount)


def end_other_sessions(member: Member) -> None:
    """End every session of the member except this one."""
    statement = delete(LoginSession).where(LoginSession.member_id == member.id)
    if member.session_token:
        statement = statement.where(LoginSession.token != _stored(member.session_token))
    db.session.execute(statement)


def device_label(user_agent: str) -> str:
    """A short, readable name for the browser and system of a session ("Firefox op Windows")."""
    text = user_agent or ""
    browser = next(
        (
            name
            for key, name in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if key in text
        ),
        "",
    )
    system = next(
        (
            name
            for key, name in (
                ("Windows", "Windows"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Android", "Android"),
                ("Mac OS X", "macOS"),
                ("Linux", "Linux"),
            )
            if key in text
        ),
        "",
    )
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or _("Unknown browser")


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the address belongs to a member; say nothing either way."""
    member = member_by_email(email)
    if member is None:
        return
    token = tokens.make_token(
        "reset", {"id": member.id, "fp": tokens.fingerprint(member.password_hash + member.email)}
    )
    queue_mail(
        member.email,
        "reset",
        member.locale,
        member=member,
        reset_url=external_url(path_for("accounts.reset_password", token=token)),
    )


def member_for_reset(token: str) -> Member | None:
    """The member a reset link belongs to, while it is fresh and unused."""
    data = tokens.read_token("reset", token, current_app.config["RESET_TOKEN_MAX_AGE"])
    if not data:
        return None
    member = db.session.get(Member, data.get("id"))
    if member is None or data.get("fp") != tokens.fingerprint(member.password_hash + member.email):
        return None
    return member


def set_password(member: Member, password: str) -> None:
    """Set a new password and end every session of the member (also the remember-me ones).
    A reset also proves the mailbox, so it confirms an unconfirmed address."""
    _check_password(password, member.name, member.email)
    member.password_hash = hash_password(password)
    if member.email_confirmed_at is None:
        member.email_confirmed_at = utcnow()
        reindex_member(member)
    end_all_sessions(member)
    db.session.flush()


def change_password(member: Member, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one."""
    if not verify_password(member.password_hash, current_password):
        raise RuleError("current_password", _("This is not your current password."))
    set_password(member, new_password)
    queue_mail(
        member.email,
        "password_changed",
        member.locale,
        member=member,
        reset_url=external_url(path_for("accounts.forgot_password")),
    )


def request_email_change(member: Member, password: str, new_email: str) -> None:
    """Send a confirmation link to the new address; the address changes when it is used."""
    if not verify_password(member.password_hash, password):
        raise RuleError("password", _("This is not your current password."))
    new_email = normalise_email(new_email)
    if new_email == member.email:
        raise RuleError("email", _("This is already your e-mail address."))
    token = tokens.make_token(
        "email",
        {
            "id": member.id,
            "email": new_email,
            "old": tokens.fingerprint(member.email + member.password_hash),
        },
    )
    if member_by_email(new_email) is None:
        queue_mail(
            new_email,
            "confirm_new_email",
            member.locale,
            member=member,
            confirm_url=external_url(path_for("accounts.confirm_email_change", token=token)),
        )


def confirm_email_change(token: str) -> Member | None:
    """Use an e-mail change link: the member's address becomes the new one."""
    data = tokens.read_token("email", token, current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    if not data:
        return None
    member = db.session.get(Member, data.get("id"))
    if member is None or data.get("old") != tokens.fingerprint(member.email + member.password_hash):
        return None
    if member_by_email(data["email"]) is not None:
        return None
    old_email = member.email
    member.email = data["email"]
    db.session.flush()
    queue_mail(old_email, "email_changed", member.locale, member=member)
    return member


def invite(email: str, inviter: Member, message: str, locale: str | None) -> None:
    """A coordinator invites someone by e-mail to join the alliance."""
    email = normalise_email(email)
    token = tokens.make_token("invite", {"email": email, "by": inviter.id})
    queue_mail(
        email,
        "invite",
        locale,
        inviter=inviter,
        message=message,
        register_url=external_url(path_for("accounts.register", uitnodiging=token)),
    )


def read_invitation(token: str | None) -> dict | None:
    """The data of a valid invitation link, or None."""
    if not token:
        return None
    data = tokens.read_token("invite", token, current_app.config["INVITE_TOKEN_MAX_AGE"])
    return data if data and "email" in data else None


def set_role(member: Member, role: str, by: Member) -> None:
    """An administrator gives a member a role; the last administrator cannot step down."""
    if role not in ROLES:
        raise RuleError("role", _("Unknown role."))
    if member.role == "admin" and role != "admin":
        admins = db.session.scalars(select(Member.id).where(Member.role == "admin")).all()
        if len(admins) <= 1:
            raise RuleError("role", _("There must be at least one administrator."))
    previous = member.role
    member.role = role
    db.session.flush()
    if previous != role:
        signals.role_changed.send(member, by=by, previous=previous)


def may_log_in(member: Member) -> str | None:
    """Why ``member`` may not log in now (a suspension), or None."""
    return next(iter(signals.answers(signals.login_refusal, member)), None)


def create_admin(email: str, password: str, name: str) -> Member:
    """Create a confirmed administrator, or make an existing member administrator."""
    member = member_by_email(email)
    _check_password(password, name, email)
    if member is None:
        member = Member(
            email=normalise_email(email),
            name=name,
            public_fields=[],
            password_hash=hash_password(password),
        )
        db.session.add(member)
    else:
        member.password_hash = hash_password(password)
    member.role = "admin"
    member.email_confirmed_at = member.email_confirmed_at or utcnow()
    member.search_key = search_key_for(member.name, member.organisation or "", [])
    db.session.flush()
    reindex_member(member)
    return member


def login_key() -> str:
    """The key that throttles login and reset attempts per account."""
    return "account:" + fold(request.form.get("email", ""))[:254]
