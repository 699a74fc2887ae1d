"""Theme pages and the coordinators' theme management."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from alliance.core.web import render
from alliance.extensions import db
from alliance.members.models import Member, member_themes
from alliance.themes import bp, services
from alliance.themes.forms import ThemeForm
from alliance.themes.models import Theme

THEME_PAGE_MEMBERS = 12
THEME_PAGE_ITEMS = 10


def _require_coordinator():
    if not current_user.is_coordinator:
        abort(403)


def _theme_or_404(slug: str) -> Theme:
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        abort(404)
    return theme


@bp.get("/")
def index():
    """All themes, each with the number of members who follow it."""
    counts = dict(
        db.session.execute(
            select(member_themes.c.theme_id, func.count()).group_by(member_themes.c.theme_id)
        ).all()
    )
    return render("themes/index.html", themes=services.active_themes(), counts=counts)


@bp.get("/<slug>")
def show(slug: str):
    """One theme: what it is about and (for members) who works on it."""
    theme = _theme_or_404(slug)
    members = []
    if current_user.is_authenticated:
        members = db.session.scalars(
            select(Member)
            .join(member_themes, member_themes.c.member_id == Member.id)
            .where(member_themes.c.theme_id == theme.id, Member.email_confirmed_at.is_not(None))
            .options(selectinload(Member.tags))
            .order_by(Member.name)
            .limit(THEME_PAGE_MEMBERS)
        ).all()
    from alliance.knowledge.services import ListQuery, list_items

    items, more = list_items(ListQuery(theme=theme.slug), current_user, THEME_PAGE_ITEMS)
    return render("themes/show.html", theme=theme, members=members, items=items, more=more)


@bp.route("/beheer", methods=["GET", "POST"])
@login_required
def manage():
    """Coordinators: the list of all themes and a form to add one."""
    _require_coordinator()
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme = services.add_theme(
                form.name_nl.data,
                form.name_en.data,
                form.description_nl.data,
                form.description_en.data,
            )
        except services.ThemeError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            flash(_("Theme “%(name)s” added.", name=theme.name), "ok")
            return redirect(url_for(".manage"), 303)
    return render("themes/manage.html", form=form, themes=services.all_themes())


@bp.route("/<slug>/bewerken", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """Coordinators: rename a theme or change its description."""
    theme = _theme_or_404(slug)
    _require_coordinator()
    form = ThemeForm(obj=theme)
    if form.validate_on_submit():
        services.edit_theme(
            theme,
            form.name_nl.data,
            form.name_en.data,
            form.description_nl.data,
            form.description_en.data,
        )
        flash(_("Theme saved."), "ok")
        return redirect(url_for(".manage"), 303)
    return render("themes/edit.html", form=form, theme=theme)


@bp.post("/<slug>/status")
@login_required
def retire(slug: str):
    """Coordinators: retire a theme or bring it back."""
    theme = _theme_or_404(slug)
    _require_coordinator()

    retired = request.form.get("retired") == "1"
    services.set_retired(theme, retired)
    flash(_("Theme retired.") if retired else _("Theme active again."), "ok")
    return redirect(url_for(".manage"), 303)
