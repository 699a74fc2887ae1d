"""The end of logging in, shared by the password step and the two-step code."""

from flask import redirect, session, url_for
from flask_login import login_user

from alliance.accounts import services
from alliance.core.timeutil import utcnow
from alliance.core.web import safe_next
from alliance.members.models import Member


def log_in(member: Member, remember: bool) -> None:
    """A fresh session: nothing from before the login carries over, except the language."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    services.start_session(member)
    login_user(member, remember=remember)


def finish_login(member: Member, remember: bool, next_url: str | None):
    """Both steps done: a fresh session, in the member's language, on to where they were.
    The first login leads to the welcome (the first hour), once."""
    log_in(member, remember)
    if member.locale:
        session["lang"] = member.locale
    fallback = url_for("members.me")
    if member.welcome_seen_at is None:
        member.welcome_seen_at = utcnow()
        fallback = url_for("pages.welcome")
    return redirect(safe_next(next_url, fallback), 303)
