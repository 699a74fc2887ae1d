"""Two-step login (the second login step, setting it up) and the sessions page."""

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from alliance.accounts import bp, services, twofactor
from alliance.accounts.forms import CodeForm, PasswordCheckForm, TwoFactorSetupForm
from alliance.accounts.login import finish_login
from alliance.core.passwords import verify_password
from alliance.core.web import render, safe_next
from alliance.extensions import limiter


def _code_limit():
    return current_app.config.get("TWO_FACTOR_LIMITS", "5 per minute;20 per hour")


def _failed(response) -> bool:
    """Only wrong codes count towards the limit."""
    return response.status_code != 303


@bp.route("/inloggen/code", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"], key_func=twofactor.pending_key, deduct_when=_failed)
@limiter.limit(_code_limit, methods=["POST"], deduct_when=_failed)  # per address
def login_code():
    """The second step of logging in: the code from the app (or a recovery code)."""
    member = twofactor.pending_member()
    if member is None:
        session.pop("2fa", None)
        flash(_("Log in again: the second step took too long."), "info")
        return redirect(url_for(".login"), 303)
    form = CodeForm()
    if form.validate_on_submit():
        if services.may_log_in(member) is not None:
            session.pop("2fa", None)
            return redirect(url_for(".login"), 303)
        if twofactor.verify(member, form.code.data):
            pending = session.pop("2fa")
            return finish_login(member, bool(pending.get("remember")), pending.get("next"))
        form.code.errors.append(_("This code is not right, or it was used already."))
    return render("accounts/login_code.html", form=form)


@bp.route("/account/tweestapsverificatie", methods=["GET", "POST"])
@login_required
def two_factor():
    """Set up two-step login with an authenticator app, or see its state and manage it."""
    member = current_user._get_current_object()
    next_url = request.args.get("next", "")
    if member.has_two_factor:
        return render(
            "accounts/two_factor.html",
            member=member,
            codes_left=twofactor.recovery_codes_left(member),
            password_form=PasswordCheckForm(),
            next_url=next_url,
        )
    form = TwoFactorSetupForm()
    secret = session.get("2fa_setup")
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session["2fa_setup"] = twofactor.new_secret()
    if form.validate_on_submit():
        codes = twofactor.enable(member, secret, form.code.data)
        if codes is None:
            form.code.errors.append(_("This code is not right. Check the time on your phone."))
        else:
            session.pop("2fa_setup", None)
            session["2fa_new_codes"] = codes
            flash(_("Two-step login is on."), "ok")
            return redirect(url_for(".recovery_codes", next=safe_next(next_url, "")), 303)
    return render(
        "accounts/two_factor.html",
        member=member,
        form=form,
        qr=twofactor.qr_data_uri(secret, member.email),
        secret=twofactor.grouped(secret),
        next_url=next_url,
    )


@bp.get("/account/tweestapsverificatie/herstelcodes")
@login_required
def recovery_codes():
    """The new recovery codes, shown once."""
    codes = session.pop("2fa_new_codes", None)
    if not codes:
        return redirect(url_for(".two_factor"), 303)
    next_url = safe_next(request.args.get("next"), "")
    return render("accounts/recovery_codes.html", codes=codes, next_url=next_url)


@bp.post("/account/tweestapsverificatie/herstelcodes")
@login_required
def new_recovery_codes():
    """New recovery codes (the old ones stop working), after the password."""
    member = current_user._get_current_object()
    if not member.has_two_factor:
        abort(404)
    form = PasswordCheckForm()
    if form.validate_on_submit() and verify_password(member.password_hash, form.password.data):
        session["2fa_new_codes"] = twofactor.new_recovery_codes(member)
        return redirect(url_for(".recovery_codes"), 303)
    flash(_("This is not your current password."), "error")
    return redirect(url_for(".two_factor"), 303)


@bp.post("/account/tweestapsverificatie/uit")
@login_required
def disable_two_factor():
    """Switch two-step login off, after the password. Coordinators and administrators then
    cannot use their powers until they switch it on again."""
    member = current_user._get_current_object()
    form = PasswordCheckForm()
    if form.validate_on_submit() and verify_password(member.password_hash, form.password.data):
        twofactor.disable(member)
        flash(_("Two-step login is off."), "ok")
        return redirect(url_for(".settings"), 303)
    flash(_("This is not your current password."), "error")
    return redirect(url_for(".two_factor"), 303)


@bp.get("/account/sessies")
@login_required
def sessions():
    """My active sessions: where I am logged in, and since when."""
    member = current_user._get_current_object()
    rows = [
        (login, services.device_label(login.user_agent), services.is_current_session(login, member))
        for login in services.sessions_of(member)
    ]
    return render("accounts/sessions.html", rows=rows)


@bp.post("/account/sessies/beeindigen")
@login_required
def end_session():
    """End one of my sessions (that browser is logged out at once), or all the others."""
    member = current_user._get_current_object()
    if request.form.get("alle") == "1":
        services.end_other_sessions(member)
        flash(_("You are logged out everywhere else."), "ok")
    elif services.end_session_of(member, request.form.get("sessie", "")):
        flash(_("That session has ended."), "ok")
    else:
        abort(404)
    return redirect(url_for(".sessions"), 303)
