"""Login throttling that an attacker cannot turn against a member.

Three limits guard ``/inloggen`` (only failed attempts count towards the account limits):

- per client address, every attempt (``LOGIN_LIMITS_PER_ADDRESS``): one address trying many
  accounts;
- per account *and* address, tight (``LOGIN_LIMITS_PER_ACCOUNT_AND_ADDRESS``): someone guessing
  one member's password from one place is stopped without locking the member out elsewhere;
- per account, slow (``LOGIN_LIMITS_PER_ACCOUNT``): guessing one password from many addresses.

The last one could still be used to lock a member out. So when an account limit is reached the
login page offers a login link by e-mail. The link proves the inbox, and a login form that
carries it (with the right password) is exempt from both account limits for an hour; the
address limit stays."""

from flask import current_app, make_response, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from alliance.accounts import bp, services
from alliance.accounts.forms import ForgotPasswordForm, LoginForm
from alliance.core import tokens
from alliance.core.web import render
from alliance.extensions import limiter
from alliance.mail.services import queue_mail

#: How long a login link works.
LOGIN_LINK_MAX_AGE = 60 * 60


def account_and_address_limit() -> str:
    """The tight limit: failed attempts for one account from one address."""
    return current_app.config["LOGIN_LIMITS_PER_ACCOUNT_AND_ADDRESS"]


def account_and_address_key() -> str:
    """The key of the tight limit: the account typed, and where the attempt comes from."""
    return f"{services.login_key()}|address:{get_remote_address()}"


def failed(response) -> bool:
    """Only failed attempts count towards the account limits (a login answers 303)."""
    return response.status_code != 303


def login_link_url(email: str) -> str:
    """The login form for ``email`` with a fresh login link (a path on this site)."""
    token = tokens.make_token("login-link", {"email": services.normalise_email(email)})
    return url_for("accounts.login_with_link", token=token)


def proved_inbox() -> bool:
    """Whether this login attempt carries a valid login link for the address typed: only
    someone who can read that inbox has one."""
    token = request.form.get("link", "")
    if not token:
        return False
    data = tokens.read_token("login-link", token, LOGIN_LINK_MAX_AGE)
    return bool(data) and data.get("email") == services.normalise_email(
        request.form.get("email", "")
    )


def locked_out(_limit):
    """An account limit was reached: the login page again, with the address typed, why, and a
    button that sends a login link (429)."""
    form = LoginForm()
    form.password.data = ""
    return make_response(render("accounts/login.html", form=form, locked_out=True, status=429))


def send_login_link(email: str) -> None:
    """E-mail a login link when the address belongs to a confirmed member; nothing otherwise
    (the answer on the page is the same)."""
    member = services.member_by_email(email)
    if member is None or member.email_confirmed_at is None:
        return
    queue_mail(
        member.email,
        "login_link",
        member.locale,
        member=member,
        login_url=current_app.config["SITE_URL"].rstrip("/") + login_link_url(member.email),
    )


def _reset_limit():
    return current_app.config["RESET_LIMITS"]


@bp.post("/inloggen/link")
@limiter.limit(_reset_limit)
@limiter.limit(_reset_limit, key_func=services.login_key)  # per inbox
def ask_for_login_link():
    """Send a login link to the address typed; the answer does not reveal whether it is known."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        form = LoginForm(formdata=None, email=request.form.get("email", ""))
        form.email.errors = [_("Enter a valid e-mail address.")]
        return render("accounts/login.html", form=form, locked_out=True, status=400)
    send_login_link(form.email.data)
    return render("accounts/login_link_sent.html", email=form.email.data)


@bp.get("/inloggen/link/<token>")
def login_with_link(token: str):
    """The link from the e-mail: the login form for that address, carrying the link. Opening
    it logs nobody in (mail scanners open links too): the password is still needed."""
    data = tokens.read_token("login-link", token, LOGIN_LINK_MAX_AGE)
    if not data or not data.get("email"):
        return render("accounts/link_invalid.html", status=400)
    form = LoginForm(formdata=None, email=data["email"])
    return render("accounts/login.html", form=form, login_link=token)
