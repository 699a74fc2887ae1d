"""Thin views for the pages every visitor can reach."""

from datetime import timedelta

from flask import Response, current_app, redirect, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import func, select

from alliance.core import bp
from alliance.core.timeutil import utcnow
from alliance.core.web import render, safe_next
from alliance.extensions import db
from alliance.members.models import Member
from alliance.themes.services import active_themes


@bp.get("/")
def home():
    """The front door: what the alliance is, the themes, and where to start."""
    member_count = db.session.scalar(
        select(func.count(Member.id)).where(Member.email_confirmed_at.is_not(None))
    )
    return render("core/home.html", themes=active_themes(), member_count=member_count)


#: Long information pages are written whole in each language: templates/core/pages/<lang>/.
INFO_PAGES = ("toegankelijkheid", "privacy", "huisregels", "contact")


def _info_page(name: str):
    def view():
        return render(f"core/pages/{get_locale()}/{name}.html")

    view.__name__ = name
    view.__doc__ = f"The information page /{name}."
    return view


for _name in INFO_PAGES:
    bp.add_url_rule(f"/{_name}", _name, _info_page(_name))


@bp.post("/taal")
def switch_language():
    """Switch between Dutch and English; remembered on the account and in the session."""
    language = request.form.get("lang", "")
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language
        if current_user.is_authenticated:
            current_user.locale = language
    return redirect(safe_next(request.form.get("next"), url_for("core.home")), 303)


@bp.get("/healthz")
def healthz():
    """For load balancers and the page benchmark: no template, no database."""
    return Response("ok\n", mimetype="text/plain")


@bp.get("/.well-known/security.txt")
def security_txt():
    """RFC 9116: where to report a vulnerability."""
    expires = (utcnow() + timedelta(days=180)).strftime("%Y-%m-%dT00:00:00Z")
    base = current_app.config["SITE_URL"].rstrip("/")
    body = (
        f"Contact: {current_app.config['SECURITY_CONTACT']}\n"
        f"Expires: {expires}\n"
        "Preferred-Languages: nl, en\n"
        f"Canonical: {base}/.well-known/security.txt\n"
        f"Policy: {base}/contact\n"
    )
    return Response(body, mimetype="text/plain")
