"""Profiles and the member directory."""

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from alliance.core.errors import RuleError
from alliance.core.web import field_error, render, safe_next
from alliance.members import bp, services
from alliance.members.forms import ProfileForm
from alliance.members.models import ORGANISATION_TYPES, PERSPECTIVES
from alliance.themes.services import active_themes


@bp.get("/leden")
@login_required
def directory():
    """Find the expert: members by name, organisation, type, perspective, theme and *Ik bied*."""
    args = request.args
    query = services.DirectoryQuery(
        text=(args.get("q") or "")[:200],
        organisation_type=args.get("type") or "",
        perspective=args.get("perspectief") or "",
        theme=args.get("thema") or "",
        offer=(args.get("bied") or "")[:60],
        page=args.get("pagina", 1, type=int) or 1,
    )
    result = services.find_members(query, current_app.config["DIRECTORY_PAGE_SIZE"], current_user)
    return render(
        "members/directory.html",
        "results",
        query=query,
        result=result,
        theme_options=[(theme.slug, theme.name) for theme in active_themes()],
        perspectives=PERSPECTIVES,
        organisation_types=ORGANISATION_TYPES,
    )


@bp.get("/profiel")
@login_required
def me():
    """My own profile."""
    return redirect(url_for("pages.profile", member_id=current_user.id))


@bp.route("/profiel/bewerken", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Edit my profile and choose which fields everyone may see."""
    member = current_user._get_current_object()
    form = ProfileForm(obj=member if request.method == "GET" else None)
    form.themes.choices = [(t.id, t.name) for t in active_themes()]
    if request.method == "GET":
        form.themes.data = [t.id for t in member.themes]
        form.offers.data = ", ".join(member.offers)
        form.seeks.data = ", ".join(member.seeks)
        form.public_fields.data = list(member.public_fields or [])
        form.organisation_type.data = member.organisation_type or ""
        form.perspective.data = member.perspective or ""
    if form.validate_on_submit():
        change = services.ProfileChange(
            name=form.name.data,
            organisation=form.organisation.data or "",
            organisation_type=form.organisation_type.data or None,
            perspective=form.perspective.data or None,
            theme_ids=form.themes.data or [],
            offers=form.offers.data or "",
            seeks=form.seeks.data or "",
            bio=form.bio.data or "",
            public_fields=form.public_fields.data or [],
        )
        try:
            services.update_profile(member, change)
        except RuleError as error:
            field_error(form, error)
        else:
            flash(_("Your profile is saved."), "ok")
            fallback = url_for("pages.profile", member_id=member.id)
            return redirect(safe_next(request.values.get("volgende"), fallback), 303)
    return render("members/edit.html", form=form, next_url=request.values.get("volgende", ""))
