"""The coordinators' theme management (the theme pages themselves are in ``pages``)."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from alliance.core.errors import RuleError
from alliance.core.web import field_error, render
from alliance.extensions import db
from alliance.themes import bp, services
from alliance.themes.forms import ThemeForm
from alliance.themes.models import Theme


def _require_coordinator():
    if not current_user.is_coordinator:
        abort(403)


def _theme_or_404(slug: str) -> Theme:
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        abort(404)
    return theme


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
        except RuleError as error:
            field_error(form, error)
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
