"""Thin views of the pages that combine features, and the pages every visitor can reach."""

from datetime import timedelta

from flask import Response, abort, current_app, redirect, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from alliance.core.timeutil import utcnow
from alliance.core.web import render, safe_next
from alliance.extensions import db
from alliance.groups.queries import groups_of_member
from alliance.knowledge.contributions import KINDS, contributions
from alliance.knowledge.queries import (
    LessonQuery,
    ListQuery,
    lessons,
    list_items,
    reciprocity_of,
)
from alliance.members.models import Member, member_themes
from alliance.members.services import visible_profile
from alliance.messages.services import has_blocked, may_write
from alliance.pages import bp
from alliance.pages.home import member_home, public_agenda, visitor_counts
from alliance.pages.rows import closed_loops
from alliance.themes.models import Theme
from alliance.themes.services import active_themes


@bp.get("/")
def home():
    """The front door. A member sees the loop: what waits for them, where their knowledge is
    asked, what was decided and learned, their groups and their agenda. A visitor sees the
    closed loops, the coming public events and what members see."""
    if current_user.is_authenticated:
        return render("pages/home_member.html", home=member_home(current_user))
    return render(
        "pages/home.html",
        closed=closed_loops(current_user),
        events=public_agenda(),
        counts=visitor_counts(),
        themes=active_themes(),
    )


#: Long information pages are written whole in each language: templates/pages/info/<lang>/.
INFO_PAGES = ("toegankelijkheid", "privacy", "huisregels", "contact")


def _info_page(name: str):
    def view():
        return render(f"pages/info/{get_locale()}/{name}.html")

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
    return redirect(safe_next(request.form.get("next"), url_for("pages.home")), 303)


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


# --- a theme, a profile ------------------------------------------------------------------------

THEME_PAGE_MEMBERS = 12
THEME_PAGE_ITEMS = 10
THEME_PAGE_LESSONS = 5


@bp.get("/themas/")
def themes():
    """All themes, each with the number of members who follow it."""
    counts = dict(
        db.session.execute(
            select(member_themes.c.theme_id, func.count()).group_by(member_themes.c.theme_id)
        ).all()
    )
    return render("pages/themes.html", themes=active_themes(), counts=counts)


@bp.get("/themas/<slug>")
def theme(slug: str):
    """One theme: what it is about, what was learned in it (its lessons first), its latest
    posts, and (for members) who works on it."""
    found = db.session.scalar(select(Theme).where(Theme.slug == slug)) or abort(404)
    members = []
    if current_user.is_authenticated:
        members = db.session.scalars(
            select(Member)
            .join(member_themes, member_themes.c.member_id == Member.id)
            .where(member_themes.c.theme_id == found.id, Member.email_confirmed_at.is_not(None))
            .options(selectinload(Member.tags))
            .order_by(Member.name)
            .limit(THEME_PAGE_MEMBERS)
        ).all()
    found_lessons, more_lessons = lessons(
        LessonQuery(theme=found.slug), current_user, THEME_PAGE_LESSONS, related=False
    )
    items, more = list_items(ListQuery(theme=found.slug), current_user, THEME_PAGE_ITEMS)
    return render(
        "pages/theme.html",
        theme=found,
        members=members,
        items=items,
        more=more,
        lessons=found_lessons,
        more_lessons=more_lessons,
    )


#: Rows of each list of what a member did: on the profile, and a page of the whole list.
PROFILE_LIST_ROWS = 5
CONTRIBUTIONS_PAGE_ROWS = 20


@bp.get("/leden/<int:member_id>")
def profile(member_id: int):
    """A member's profile: what they offer and look for, what they did (only what the viewer
    may see) and (for members) give and take. Visitors see only public fields."""
    member = visible_profile(member_id, current_user) or abort(404)
    give_take = reciprocity_of(member.id) if current_user.is_authenticated else None
    did = {
        kind: contributions(kind, member.id, current_user, 1, PROFILE_LIST_ROWS) for kind in KINDS
    }
    other = current_user.is_authenticated and current_user.id != member.id
    can_write = other and may_write(current_user, member.id)
    # One who may be written to is not blocked: only then ask (a statement less, mostly).
    blocked = other and not can_write and has_blocked(current_user.id, member.id)
    return render(
        "pages/profile.html",
        member=member,
        give_take=give_take,
        did=did,
        groups=groups_of_member(member.id, current_user),
        can_write=can_write,
        blocked=blocked,
    )


@bp.get("/leden/<int:member_id>/<any(bijdragen, hielp, lessen):kind>")
def contributions_page(member_id: int, kind: str):
    """One whole list of what a member did, a page at a time."""
    member = visible_profile(member_id, current_user) or abort(404)
    page = request.args.get("pagina", 1, type=int) or 1
    found = contributions(kind, member.id, current_user, page, CONTRIBUTIONS_PAGE_ROWS)
    if page > 1 and not found.rows:
        abort(404)
    return render("pages/contributions.html", "rows", member=member, found=found)
