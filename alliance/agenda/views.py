"""Agenda pages. Thin: load (404) → authorise (403) → validate → service → render."""

import csv
import io

from babel.dates import get_day_names
from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import format_datetime, format_time, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from alliance.agenda import bp, queries, services, signups
from alliance.agenda import reports as event_reports
from alliance.agenda.forms import ActionForm, EventForm, ReportForm, ReviewForm
from alliance.agenda.models import Event
from alliance.core import audience
from alliance.core.errors import RuleError
from alliance.core.web import field_error, parse_id, render, wants_fragment
from alliance.extensions import db
from alliance.themes.services import active_themes

MAX_PAGE = 500


@bp.app_template_filter("event_when")
def event_when(event: Event) -> str:
    """ "donderdag 14 maart 2027, 14:00 – 16:00" in Amsterdam time, in the page's language."""
    starts = format_datetime(event.starts_at, "EEEE d MMMM y, HH:mm")
    local_start = services.utc_to_local(event.starts_at).date()
    if services.utc_to_local(event.ends_at).date() == local_start:
        return f"{starts} – {format_time(event.ends_at, 'HH:mm')}"
    return f"{starts} – {format_datetime(event.ends_at, 'EEEE d MMMM y, HH:mm')}"


@bp.app_template_filter("event_time")
def event_time(moment) -> str:
    """A UTC time as "14:00" in Amsterdam."""
    return format_time(moment, "HH:mm")


def _weekdays() -> list[tuple[str, str]]:
    """(full name, short name) of Monday to Sunday in the page's language."""
    wide = get_day_names("wide", locale=get_locale())
    short = get_day_names("abbreviated", locale=get_locale())
    return [(wide[day], short[day]) for day in range(7)]


def _event_or_404(event_id: int) -> Event:
    return services.visible_event(event_id, current_user) or abort(404)


def _managed(event_id: int) -> Event:
    event = _event_or_404(event_id)
    if not services.can_manage(event, current_user):
        abort(403)
    return event


def _field_error(form, error: RuleError) -> None:
    if error.field == "group_id" and len(form.group_id.choices) <= 1:
        error = RuleError("visibility", str(error))  # no group to choose: the field is hidden
    field_error(form, error)


def _theme_options() -> list[tuple[str, str]]:
    return [(theme.slug, theme.name) for theme in active_themes()]


def _page() -> int:
    return max(1, min(parse_id(request.args.get("pagina")) or 1, MAX_PAGE))


# --- lists ---------------------------------------------------------------------------------------


@bp.get("/")
def index():
    """Upcoming events the viewer may see, per theme, with "Meer laden"."""
    theme, page = request.args.get("thema", "")[:80], _page()
    more_only = wants_fragment() and request.args.get("meer") == "1"
    events, more = queries.upcoming(current_user, theme, page, only_page=more_only)
    return render(
        "agenda/index.html",
        "more" if more_only else "results",
        events=events,
        more=more,
        page=page,
        theme=theme,
        theme_options=_theme_options(),
        today=queries.this_month(),
    )


@bp.get("/maand")
def month():
    """One month as a table: a row per week, a cell per day, the events in it."""
    today = queries.this_month()
    year = parse_id(request.args.get("jaar")) or today.year
    number = parse_id(request.args.get("maand")) or today.month
    if not (2000 <= year <= 2100 and 1 <= number <= 12):
        year, number = today.year, today.month
    theme = request.args.get("thema", "")[:80]
    return render(
        "agenda/month.html",
        "calendar",
        month=queries.month(current_user, year, number, theme),
        weekdays=_weekdays(),
        theme=theme,
        theme_options=_theme_options(),
        today=today,
    )


@bp.get("/verslagen")
def reports():
    """Past events with a report, per theme."""
    theme = request.args.get("thema", "")[:80]
    return render(
        "agenda/reports.html",
        "results",
        events=queries.with_reports(current_user, theme),
        theme=theme,
        theme_options=_theme_options(),
    )


# --- one event -----------------------------------------------------------------------------------


def _render_event(event: Event, block=None, status=200, **context):
    signup = signups.signup_of(event, current_user)
    manages = services.can_manage(event, current_user)
    signed, waiting = signups.participants(event) if manages else ([], [])
    items, groups = event_reports.report_links(event, current_user)
    context.setdefault("action_form", ActionForm(formdata=None))
    context.setdefault("review_form", ReviewForm(formdata=None))
    return render(
        "agenda/show.html",
        block,
        status=status,
        event=event,
        signup=signup,
        position=(
            signups.waiting_position(event, signup)
            if signup is not None and signup.state == "waiting"
            else None
        ),
        can_manage=manages,
        can_review=services.can_review(event, current_user),
        open_for_signup=signups.is_open_for_signup(event),
        signed=signed,
        waiting=waiting,
        linked_items=items,
        linked_groups=groups,
        group=audience.group_ref(event.group_id),
        **context,
    )


@bp.get("/<int:event_id>")
def show(event_id: int):
    """The event page: what, when, where; sign-up; the participants for the organiser;
    the report afterwards."""
    return _render_event(_event_or_404(event_id))


def _change_from(form: EventForm) -> services.EventChange:
    return services.EventChange(
        title=form.title.data or "",
        kind=form.kind.data or "",
        description=form.description.data or "",
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        online=bool(form.online.data),
        online_url=form.online_url.data or "",
        location=form.location.data or "",
        capacity=form.capacity.data,
        visibility=form.visibility.data or "",
        group_id=parse_id(form.group_id.data if isinstance(form.group_id.data, str) else None),
        theme_ids=form.themes.data or [],
    )


def _prepare(form: EventForm, event: Event | None) -> None:
    form.themes.choices = [(t.id, t.name) for t in active_themes()]
    groups = services.groups_for_events(current_user)
    form.group_id.choices = [("", _("No working group"))] + [(str(g.id), g.name) for g in groups]


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new():
    """Any member proposes an event; a coordinator approves it (group events excepted)."""
    form = EventForm()
    _prepare(form, None)
    if request.method == "GET":
        group = parse_id(request.args.get("werkgroep"))
        if group is not None and any(str(group) == value for value, _l in form.group_id.choices):
            form.group_id.data, form.visibility.data, form.kind.data = (
                str(group),
                "group",
                "werkgroep",
            )
    if form.validate_on_submit():
        try:
            event = services.propose_event(current_user, _change_from(form))
        except RuleError as error:
            _field_error(form, error)
        else:
            if event.state == "approved":
                flash(_("The event is in the agenda of your working group."), "ok")
            else:
                flash(_("Thank you. A coordinator looks at your proposal soon."), "ok")
            return redirect(url_for(".show", event_id=event.id), 303)
    return render("agenda/edit.html", form=form, event=None)


@bp.route("/<int:event_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    """The organiser (or a coordinator) changes an event that has not started."""
    event = _managed(event_id)
    form = EventForm()
    _prepare(form, event)
    if request.method == "GET":
        form.process(
            obj=event,
            starts_at=services.utc_to_local(event.starts_at),
            ends_at=services.utc_to_local(event.ends_at),
            themes=[t.id for t in event.themes],
            group_id=str(event.group_id or ""),
        )
    if form.validate_on_submit():
        try:
            services.edit_event(event, current_user, _change_from(form))
        except RuleError as error:
            _field_error(form, error)
        else:
            flash(_("The event is saved."), "ok")
            return redirect(url_for(".show", event_id=event.id), 303)
    return render("agenda/edit.html", form=form, event=event)


# --- signing up ----------------------------------------------------------------------------------


def _signup_answer(event: Event, message: str | None = None, error: str | None = None):
    if error is not None:
        db.session.rollback()
        event = _event_or_404(event.id)
    if wants_fragment():
        return _render_event(event, "signup", signup_message=message, signup_error=error)
    if error is not None:
        return _render_event(event, status=409, signup_error=error)
    flash(message, "ok")
    return redirect(url_for(".show", event_id=event.id, _anchor="aanmelden"), 303)


@bp.post("/<int:event_id>/aanmelden")
@login_required
def sign_up(event_id: int):
    """Take a place, or a place on the waiting list when the event is full."""
    event = _event_or_404(event_id)
    if not ActionForm().validate_on_submit():
        return _signup_answer(event, error=_("The form was open too long. Try again."))
    try:
        signup = signups.sign_up(event, current_user)
    except RuleError as error:
        return _signup_answer(event, error=str(error))
    if signup.state == "signed_up":
        return _signup_answer(event, _("You are signed up. We sent you a confirmation."))
    return _signup_answer(
        event, _("The event is full: you are on the waiting list. We tell you when a place opens.")
    )


@bp.post("/<int:event_id>/afmelden")
@login_required
def cancel(event_id: int):
    """Give back a place (the first on the waiting list gets it) or leave the waiting list."""
    event = _event_or_404(event_id)
    if not ActionForm().validate_on_submit():
        return _signup_answer(event, error=_("The form was open too long. Try again."))
    try:
        signups.cancel(event, current_user)
    except RuleError as error:
        return _signup_answer(event, error=str(error))
    return _signup_answer(event, _("You have cancelled. Thank you for letting us know."))


@bp.get("/<int:event_id>/deelnemers.csv")
@login_required
def participants_csv(event_id: int):
    """The organiser's list of participants and the waiting list, for a spreadsheet."""
    event = _managed(event_id)
    signed, waiting = signups.participants(event)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Name"), _("Organisation"), _("E-mail address"), _("Status"), _("Since")])
    for signup in [*signed, *waiting]:
        member = signup.member
        writer.writerow(
            [
                _cell(member.name),
                _cell(member.organisation),
                _cell(member.email),
                signup.state_label,
                format_datetime(signup.queued_at, "yyyy-MM-dd HH:mm"),
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="deelnemers-{event.id}.csv"',
            "Cache-Control": "private, no-store",
        },
    )


def _cell(text: str) -> str:
    """A spreadsheet does not run what a member typed: no leading =, +, - or @."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- reviewing -----------------------------------------------------------------------------------


@bp.get("/beoordelen")
@login_required
def review():
    """The coordinators' list of proposals."""
    if not current_user.is_coordinator:
        abort(403)
    return render("agenda/review.html", events=services.proposals(), action_form=ActionForm())


def _reviewable(event_id: int) -> Event:
    event = _event_or_404(event_id)
    if not current_user.is_coordinator or event.visibility == "group":
        abort(403)
    return event


@bp.post("/<int:event_id>/goedkeuren")
@login_required
def approve(event_id: int):
    """Put a proposal in the agenda."""
    event = _reviewable(event_id)
    if ActionForm().validate_on_submit():
        try:
            services.approve(event, current_user)
        except RuleError as error:
            flash(str(error), "error")
        else:
            flash(_("The event is in the agenda. The organiser has been told."), "ok")
    return redirect(url_for(".show", event_id=event.id), 303)


@bp.post("/<int:event_id>/terugsturen")
@login_required
def send_back(event_id: int):
    """Send a proposal back to the organiser with a message."""
    event = _reviewable(event_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            services.send_back(event, current_user, form.message.data or "")
        except RuleError as error:
            _field_error(form, error)
        else:
            flash(_("The proposal went back to the organiser with your message."), "ok")
            return redirect(url_for(".show", event_id=event.id), 303)
    return _render_event(event, status=422, review_form=form)


# --- the report ----------------------------------------------------------------------------------


@bp.route("/<int:event_id>/verslag", methods=["GET", "POST"])
@login_required
def report(event_id: int):
    """The organiser writes the report and links what came out of the event."""
    event = _managed(event_id)
    form = ReportForm()
    if request.method == "GET":
        form.report.data = event.report
        form.links.data = event_reports.links_text(event)
    if form.validate_on_submit():
        try:
            event_reports.write_report(
                event, current_user, form.report.data or "", form.links.data or ""
            )
        except RuleError as error:
            _field_error(form, error)
        else:
            flash(_("The report is published on the event page."), "ok")
            return redirect(url_for(".show", event_id=event.id, _anchor="verslag"), 303)
    return render("agenda/report.html", form=form, event=event)
