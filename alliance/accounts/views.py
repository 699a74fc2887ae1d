"""Account pages. Thin: load, authorise, validate, call the service, render."""

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import func, or_, select

from alliance.accounts import bp, services, throttle, twofactor
from alliance.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    RoleForm,
)
from alliance.accounts.login import finish_login, log_in
from alliance.core.errors import RuleError
from alliance.core.i18n import select_locale
from alliance.core.web import field_error, render
from alliance.extensions import db, limiter
from alliance.members.models import Member


def _address_limit():
    return current_app.config["LOGIN_LIMITS_PER_ADDRESS"]


def _account_limit():
    return current_app.config["LOGIN_LIMITS_PER_ACCOUNT"]


def _reset_limit():
    return current_app.config["RESET_LIMITS"]


@bp.route("/registreren", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=services.login_key)  # per inbox
def register():
    """Join the alliance: open to anyone interested in open government."""
    if current_user.is_authenticated:
        return redirect(url_for("members.me"))
    form = RegisterForm()
    invitation = services.read_invitation(request.args.get("uitnodiging") or form.invitation.data)
    if request.method == "GET" and invitation:
        form.invitation.data = request.args.get("uitnodiging")
        form.email.data = invitation["email"]
    if form.validate_on_submit():
        try:
            member = services.register(
                form.name.data,
                form.email.data,
                form.password.data,
                select_locale(),
                form.invitation.data or None,
            )
        except RuleError as error:
            field_error(form, error)
        else:
            if member is not None and member.email_confirmed_at is not None:
                flash(_("Welcome! Your account is ready. You can log in now."), "ok")
                return redirect(url_for(".login"), 303)
            return redirect(url_for(".check_mail"), 303)
    return render("accounts/register.html", form=form, invitation=invitation)


@bp.get("/registreren/kijk-in-je-mail")
def check_mail():
    """The same answer for every registration, known address or not."""
    return render("accounts/check_mail.html")


@bp.route("/registreren/bevestigen/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """The link from the confirmation e-mail: a page with a button. Opening a link changes
    nothing (mail scanners open links too); pressing the button does."""
    if request.method == "GET":
        return render("accounts/confirm_link.html", action=_("Confirm my e-mail address"))
    member, confirmed = services.confirm(token)
    if member is None:
        return render("accounts/link_invalid.html", status=400)
    if not confirmed or member.has_two_factor or services.may_log_in(member) is not None:
        flash(_("Your e-mail address is confirmed. You can log in now."), "ok")
        return redirect(url_for(".login"), 303)
    # The button proves the inbox: the new member is logged in and starts with the welcome
    # (the message after the login: a login starts a fresh session).
    response = finish_login(member, False, url_for("pages.welcome"))
    flash(_("Your e-mail address is confirmed. Welcome!"), "ok")
    return response


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(
    throttle.account_and_address_limit,
    methods=["POST"],
    key_func=throttle.account_and_address_key,
    deduct_when=throttle.failed,
    exempt_when=throttle.proved_inbox,
    on_breach=throttle.locked_out,
)
@limiter.limit(
    _account_limit,
    methods=["POST"],
    key_func=services.login_key,
    deduct_when=throttle.failed,
    exempt_when=throttle.proved_inbox,
    on_breach=throttle.locked_out,
)
def login():
    """Log in with e-mail address and password."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        member = services.authenticate(form.email.data, form.password.data)
        if member is None:
            form.password.errors.append(
                _(
                    "The e-mail address or password is not right, or the address is not "
                    "confirmed yet."
                )
            )
        elif (refusal := services.may_log_in(member)) is not None:
            form.password.errors.append(refusal)
        elif member.has_two_factor:
            twofactor.start_pending(member, bool(form.remember.data), form.next.data or "")
            return redirect(url_for(".login_code"), 303)
        else:
            return finish_login(member, bool(form.remember.data), form.next.data)
    return render("accounts/login.html", form=form)


@bp.post("/uitloggen")
def logout():
    """Log out: the server forgets the session, so old cookies no longer work either."""
    if current_user.is_authenticated:
        services.end_session(current_user.get_id())
    language = session.get("lang")
    logout_user()
    session.clear()
    session["_remember"] = "clear"  # Flask-Login then deletes the remember-me cookie too
    if language:
        session["lang"] = language
    flash(_("You are logged out."), "ok")
    return redirect(url_for("pages.home"), 303)


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=services.login_key)
def forgot_password():
    """Ask for a reset link; the answer does not reveal whether the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render("accounts/reset_sent.html", email=form.email.data)
    return render("accounts/forgot_password.html", form=form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token: str):
    """Choose a new password from a reset link. The link works once and expires."""
    member = services.member_for_reset(token)
    if member is None:
        return render("accounts/link_invalid.html", status=400)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(member, form.password.data)
        except RuleError as error:
            field_error(form, error)
        else:
            logout_user()
            flash(_("Your password is changed. Log in with your new password."), "ok")
            # The reset proved the inbox: the login form carries a login link, so a locked
            # account lets the member in (alliance/accounts/throttle.py).
            return redirect(throttle.login_link_url(member.email), 303)
    return render("accounts/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def settings():
    """Account settings: password and e-mail address."""
    password_form = ChangePasswordForm(prefix="pw")
    email_form = ChangeEmailForm(prefix="em")
    action = request.form.get("action")
    if action == "password" and password_form.validate_on_submit():
        try:
            services.change_password(
                current_user, password_form.current_password.data, password_form.password.data
            )
        except RuleError as error:
            field_error(password_form, error)
        else:
            log_in(current_user._get_current_object(), remember=False)
            flash(_("Your password is changed. You are logged out on all other devices."), "ok")
            return redirect(url_for(".settings"), 303)
    elif action == "email" and email_form.validate_on_submit():
        try:
            services.request_email_change(
                current_user, email_form.password.data, email_form.email.data
            )
        except RuleError as error:
            field_error(email_form, error)
        else:
            flash(
                _(
                    "We sent a link to %(email)s. Your address changes when you use it.",
                    email=email_form.email.data,
                ),
                "ok",
            )
            return redirect(url_for(".settings"), 303)
    return render("accounts/settings.html", password_form=password_form, email_form=email_form)


@bp.route("/account/e-mail/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    """The link sent to a new e-mail address: a page with a button, as for ``confirm``."""
    if request.method == "GET":
        return render("accounts/confirm_link.html", action=_("Use this e-mail address"))
    member = services.confirm_email_change(token)
    if member is None:
        return render("accounts/link_invalid.html", status=400)
    flash(_("Your e-mail address is changed."), "ok")
    return redirect(
        url_for(".settings") if current_user.is_authenticated else url_for(".login"), 303
    )


@bp.route("/uitnodigen", methods=["GET", "POST"])
@login_required
def invite():
    """Coordinators invite people by e-mail."""
    if not current_user.is_coordinator:
        abort(403)
    form = InviteForm()
    if request.method == "GET":
        form.language.data = select_locale()
    if form.validate_on_submit():
        services.invite(form.email.data, current_user, form.message.data, form.language.data)
        flash(_("Invitation sent to %(email)s.", email=form.email.data), "ok")
        return redirect(url_for(".invite"), 303)
    return render("accounts/invite.html", form=form)


@bp.route("/beheer/rollen", methods=["GET", "POST"])
@login_required
def roles():
    """Administrators: who is coordinator or administrator, and changing a member's role."""
    if not current_user.is_admin:
        abort(403)
    form = RoleForm()
    if form.validate_on_submit():
        member = db.session.get(Member, request.form.get("member_id", type=int) or 0)
        if member is None:
            abort(404)
        try:
            services.set_role(member, form.role.data, current_user)
        except RuleError as error:
            flash(str(error), "error")
        else:
            flash(_("Role of %(name)s changed.", name=member.name), "ok")
        return redirect(url_for(".roles", q=request.args.get("q", "")), 303)
    query = (request.args.get("q") or "").strip()
    statement = select(Member).order_by(
        Member.role != "admin", Member.role != "coordinator", Member.name
    )
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(
            or_(func.lower(Member.name).like(like), Member.email.like(like))
        )
    else:
        statement = statement.where(Member.role != "member")
    members = db.session.scalars(statement.limit(50)).all()
    return render("accounts/roles.html", form=form, members=members, query=query)
