"""Profiles and the member directory."""

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from alliance.core import uploads
from alliance.core.errors import RuleError
from alliance.core.web import field_error, render, safe_next
from alliance.extensions import csrf
from alliance.members import bp, photos, services
from alliance.members.forms import PhotoForm, ProfileForm
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


def _profile_form(member, submitted: bool) -> ProfileForm:
    """The profile form: as submitted, or filled in from the member."""
    form = ProfileForm() if submitted else ProfileForm(formdata=None, obj=member)
    form.themes.choices = [(t.id, t.name) for t in active_themes()]
    if not submitted:
        form.themes.data = [t.id for t in member.themes]
        form.offers.data = ", ".join(member.offers)
        form.seeks.data = ", ".join(member.seeks)
        form.public_fields.data = list(member.public_fields or [])
        form.organisation_type.data = member.organisation_type or ""
        form.perspective.data = member.perspective or ""
    return form


@bp.route("/profiel/bewerken", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Edit my profile and choose which fields everyone may see."""
    member = current_user._get_current_object()
    form = _profile_form(member, submitted=request.method == "POST")
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
    return render(
        "members/edit.html",
        form=form,
        photo_form=PhotoForm(formdata=None),
        next_url=request.values.get("volgende", ""),
    )


@bp.post("/profiel/foto")
@uploads.takes_upload(photos.MAX_BYTES)
@csrf.exempt  # checked below, once we know the upload is not too large to read
@login_required
def upload_photo():
    """A new profile photo. A file larger than allowed is refused from its announced size,
    before it is read; the type is read from the content."""
    member = current_user._get_current_object()
    photo_form = PhotoForm(formdata=None)
    if uploads.too_large(photos.MAX_BYTES):
        photo_form.photo.errors = [str(photos.too_large())]
        return _photo_refused(member, photo_form, 413)
    if current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()
    photo_form = PhotoForm()
    if photo_form.validate_on_submit():
        upload = photo_form.photo.data
        try:
            photos.set_photo(member, upload.stream, upload.filename or "")
        except RuleError as error:
            field_error(photo_form, error)
        else:
            flash(_("Your photo is saved."), "ok")
            return redirect(url_for("members.edit_profile"), 303)
    return _photo_refused(member, photo_form, 422)


def _photo_refused(member, photo_form: PhotoForm, status: int):
    form = _profile_form(member, submitted=False)  # the profile as it is
    return render("members/edit.html", form=form, photo_form=photo_form, status=status)


@bp.post("/profiel/foto/verwijderen")
@login_required
def delete_photo():
    """No photo any more: the initials show."""
    photos.remove_photo(current_user._get_current_object())
    flash(_("Your photo is removed."), "ok")
    return redirect(url_for("members.edit_profile"), 303)


@bp.get("/leden/<int:member_id>/foto/<size>")
def photo(member_id: int, size: str):
    """A member's photo, for whoever may see it (members; visitors when it is public)."""
    member = services.photo_owner(member_id, current_user) or abort(404)
    stored = photos.open_photo(member, size) or abort(404)
    response = send_file(stored, mimetype="image/jpeg", max_age=0, conditional=False)
    # Private: who may see it depends on the viewer. The address changes with every new photo.
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["Content-Disposition"] = "inline"
    return response
