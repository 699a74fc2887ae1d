"""My data: download it, or delete my account."""

from flask import Response, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from alliance.core.database import end_read_transaction
from alliance.core.errors import RuleError
from alliance.core.web import field_error, render
from alliance.privacy import bp, services
from alliance.privacy.forms import DeleteAccountForm


@bp.get("/mijn-gegevens")
@login_required
def my_data():
    """What we keep about me, the download, and deleting the account."""
    return render("privacy/my_data.html", form=DeleteAccountForm())


@bp.get("/mijn-gegevens/download")
@login_required
def download():
    """A ZIP with JSON of everything about me and Markdown copies of my contributions."""
    body = services.export_zip(current_user._get_current_object())
    return Response(
        body,
        mimetype="application/zip",
        headers={
            "Content-Disposition": "attachment; filename=mijn-gegevens-alliantie.zip",
            "Cache-Control": "no-store",
        },
    )


@bp.post("/mijn-gegevens/verwijderen")
@login_required
def delete_account():
    """Delete my account after the password; contributions stay under "voormalig lid"."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        member = current_user._get_current_object()
        try:
            services.delete_account(member, form.password.data)
        except RuleError as error:
            field_error(form, error)
        else:
            language = session.get("lang")
            logout_user()
            session.clear()
            session["_remember"] = "clear"
            if language:
                session["lang"] = language
            flash(_("Your account is deleted. Thank you for everything you shared."), "ok")
            return redirect(url_for("pages.home"), 303)
    else:
        end_read_transaction()
    return render("privacy/my_data.html", form=form, status=400 if form.errors else 200)
