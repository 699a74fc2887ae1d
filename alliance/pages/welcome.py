"""The first hour: a welcome with three steps and their state (complete the profile, follow
themes, a first contribution), that the member can put away; the home page shows the steps
that are left until they are done."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from alliance.core.web import render
from alliance.members.services import follow_themes
from alliance.pages import bp
from alliance.pages.first_hour import (
    dismiss_welcome,
    first_steps,
    mark_welcome_seen,
    question_for,
    restore_welcome,
)
from alliance.pages.forms import FollowThemesForm, PlainForm
from alliance.themes.services import active_themes


def _themes_form(formdata=None) -> FollowThemesForm:
    form = FollowThemesForm(formdata=formdata) if formdata is not None else FollowThemesForm()
    form.themes.choices = [(theme.id, theme.name) for theme in active_themes()]
    return form


def _welcome_page(form: FollowThemesForm, status: int = 200):
    member = current_user._get_current_object()
    steps = first_steps(member)
    question = None if steps.contribution else question_for(member)
    return render(
        "pages/welcome.html",
        steps=steps,
        form=form,
        question=question,
        plain=PlainForm(),
        status=status,
    )


@bp.get("/welkom")
@login_required
def welcome():
    """The welcome: three steps, each with its state and what to do."""
    mark_welcome_seen(current_user._get_current_object())
    form = _themes_form()
    form.themes.data = [theme.id for theme in current_user.themes]
    return _welcome_page(form)


@bp.post("/welkom/themas")
@login_required
def welcome_themes():
    """Step two: follow themes."""
    form = _themes_form()
    if form.validate_on_submit():
        follow_themes(current_user._get_current_object(), form.themes.data or [])
        if form.themes.data:
            flash(_("You follow these themes now."), "ok")
        return redirect(url_for(".welcome", _anchor="stap-themas"), 303)
    return _welcome_page(form, status=400)


@bp.post("/welkom/verbergen")
@login_required
def dismiss():
    """Put the welcome away: the home page stops showing the steps."""
    if PlainForm().validate_on_submit():
        dismiss_welcome(current_user._get_current_object())
        flash(_("The first steps are no longer shown on the home page."), "ok")
    return redirect(url_for(".home"), 303)


@bp.post("/welkom/tonen")
@login_required
def restore():
    """Show the first steps on the home page again."""
    if PlainForm().validate_on_submit():
        restore_welcome(current_user._get_current_object())
    return redirect(url_for(".welcome"), 303)
