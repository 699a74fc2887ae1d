"""Moderation pages. Thin: load (404) → authorise (403) → validate → service → render."""

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from alliance.core.errors import RuleError
from alliance.core.web import field_error, parse_id, render
from alliance.extensions import db
from alliance.members.models import ROLES, Member
from alliance.moderation import bp, services
from alliance.moderation.forms import ActionForm, LiftForm, OpenForm, ReportForm, SuspendForm
from alliance.moderation.models import Report
from alliance.moderation.registry import kind_of


def _coordinator_only() -> None:
    if not current_user.is_coordinator:
        abort(403)


@bp.route("/melden/<kind>/<int:ref_id>", methods=["GET", "POST"])
@login_required
def report(kind: str, ref_id: int):
    """Report a post, reply or profile to the coordinators, with a reason."""
    content = services.content_for(kind, ref_id, current_user)
    if content is None:
        abort(404)
    registered = kind_of(kind)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            services.report(kind, ref_id, current_user, form.reason.data)
        except RuleError as error:
            field_error(form, error)
        else:
            flash(_("Thank you. A coordinator looks at your report; you hear the result."), "ok")
            return redirect(registered.url(content), 303)
    return render(
        "moderation/report.html",
        form=form,
        kind=registered,
        summary=registered.summary(content),
        url=registered.url(content),
    )


@bp.get("/moderatie")
@login_required
def queue():
    """The moderation queue: open reports first; also what is hidden now."""
    _coordinator_only()
    state = "hidden" if request.args.get("toon") == "verborgen" else "open"
    return render(
        "moderation/queue.html",
        entries=services.queue(current_user, state),
        state=state,
        open_count=services.open_count(),
    )


@bp.route("/moderatie/meldingen/<int:report_id>", methods=["GET", "POST"])
@login_required
def handle(report_id: int):
    """One report: the content, the reason, and what the coordinator does about it."""
    _coordinator_only()
    item = db.session.get(Report, report_id) or abort(404)
    entry = services.entry_for(item, current_user)
    form = ActionForm()
    if request.method == "GET" and entry.editable_text is not None:
        form.text.data = entry.editable_text
    if form.validate_on_submit():
        try:
            services.act(
                item, form.action.data, current_user, form.reason.data, form.text.data or ""
            )
        except RuleError as error:
            field_error(form, error)
        else:
            flash(_("Done. The reporter hears the result."), "ok")
            return redirect(url_for(".queue"), 303)
    author = None
    registered = kind_of(item.kind)
    if entry.content is not None and registered is not None and not entry.sealed:
        author_id = registered.author_id(entry.content)
        author = db.session.get(Member, author_id) if author_id else None
    return render(
        "moderation/handle.html", entry=entry, form=form, author=author, open_form=OpenForm()
    )


@bp.post("/moderatie/meldingen/<int:report_id>/inzien")
@login_required
def open_content(report_id: int):
    """Open the reported content of a working group, saying why: the reason goes into the
    audit log and to the group's leads."""
    _coordinator_only()
    item = db.session.get(Report, report_id) or abort(404)
    open_form = OpenForm()
    if open_form.validate_on_submit():
        try:
            services.open_group_content(item, current_user, open_form.reason.data)
        except RuleError as error:
            field_error(open_form, error)
        else:
            flash(_("Opened. The leads of the working group hear that you did, and why."), "ok")
            return redirect(url_for(".handle", report_id=item.id), 303)
    entry = services.entry_for(item, current_user)
    return render(
        "moderation/handle.html", entry=entry, form=ActionForm(), author=None, open_form=open_form
    )


@bp.route("/moderatie/leden/<int:member_id>/schorsen", methods=["GET", "POST"])
@login_required
def suspend(member_id: int):
    """Suspend a member for a period, or end a suspension early."""
    _coordinator_only()
    member = db.session.get(Member, member_id) or abort(404)
    form = SuspendForm()
    lift_form = LiftForm(prefix="lift")
    if form.validate_on_submit():
        try:
            services.suspend(member, parse_id(form.days.data), form.reason.data, current_user)
        except RuleError as error:
            field_error(form, error)
        else:
            flash(_("%(name)s is suspended.", name=member.name), "ok")
            return redirect(url_for(".suspend", member_id=member.id), 303)
    return render(
        "moderation/suspend.html",
        member=member,
        form=form,
        lift_form=lift_form,
        suspension=services.active_suspension(member.id),
    )


@bp.post("/moderatie/leden/<int:member_id>/opheffen")
@login_required
def lift(member_id: int):
    """End a member's suspension early."""
    _coordinator_only()
    member = db.session.get(Member, member_id) or abort(404)
    lift_form = LiftForm(prefix="lift")
    if lift_form.validate_on_submit():
        services.lift(member, current_user, lift_form.reason.data)
        flash(_("The suspension of %(name)s has ended.", name=member.name), "ok")
        return redirect(url_for(".suspend", member_id=member.id), 303)
    return render(
        "moderation/suspend.html",
        member=member,
        form=SuspendForm(formdata=None),
        lift_form=lift_form,
        suspension=services.active_suspension(member.id),
    )


@bp.get("/moderatie/logboek")
@login_required
def audit_log():
    """The audit log: every moderation action, who, what, when and why."""
    _coordinator_only()
    page = parse_id(request.args.get("pagina")) or 1
    entries, more = services.audit_log(min(page, 100_000))
    return render("moderation/audit.html", entries=entries, more=more, page=page)


@bp.get("/moderatie/logboek.csv")
@login_required
def audit_export():
    """The whole audit log as CSV, for administrators."""
    if not current_user.is_admin:
        abort(403)
    return Response(
        services.audit_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=moderatie-logboek.csv"},
    )


#: The role pages: slug in the URL → role key.
ROLE_PAGES = {"lid": "member", "coordinator": "coordinator", "beheerder": "admin"}


@bp.get("/rollen")
def roles():
    """The roles of the alliance and what each can do."""
    return render("moderation/roles.html", role_pages=ROLE_PAGES, roles=ROLES, role=None)


@bp.get("/rollen/<slug>")
def role(slug: str):
    """What one role can do."""
    key = ROLE_PAGES.get(slug) or abort(404)
    return render("moderation/roles.html", role_pages=ROLE_PAGES, roles=ROLES, role=key)
