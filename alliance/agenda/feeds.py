"""Calendar routes: an .ics file per event, the public feed, and a member's own events through
a private, revocable address (and the page that makes it)."""

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from alliance.agenda import bp, ical, queries, reports, services, signups
from alliance.agenda.forms import ActionForm
from alliance.core.web import render

# --- iCalendar -----------------------------------------------------------------------------------


def _ics(body: bytes, filename: str, private: bool = False) -> Response:
    headers = {"Content-Disposition": f'inline; filename="{filename}"'}
    if private:
        headers["Cache-Control"] = "private, no-store"
        headers["Referrer-Policy"] = "no-referrer"
    return Response(body, mimetype="text/calendar", headers=headers)


@bp.get("/<int:event_id>.ics")
def event_ics(event_id: int):
    """One event for the viewer's calendar (the meeting link only for participants)."""
    event = services.visible_event(event_id, current_user) or abort(404)
    signup = signups.signup_of(event, current_user)
    shows_link = services.can_manage(event, current_user) or (
        signup is not None and signup.state == "signed_up"
    )
    body = ical.calendar_for([event], event.title, lambda _event: shows_link)
    return _ics(body, f"bijeenkomst-{event.id}.ics", private=event.visibility != "public")


@bp.get("/agenda.ics")
def public_feed():
    """The public agenda as a calendar feed: public events from a month ago on."""
    events = queries.public_events()
    return _ics(ical.calendar_for(events, "Alliantie Open Overheid"), "agenda.ics")


@bp.get("/mijn/<token>.ics")
def my_feed(token: str):
    """A member's own events, through their private, revocable address (no login)."""
    member = reports.member_by_calendar_token(token)
    if member is None:
        abort(404)
    rows = queries.events_of(member)
    states = {event.id: state for event, state in rows}
    body = ical.calendar_for(
        [event for event, _state in rows],
        _("My events"),
        lambda event: states.get(event.id) in ("organiser", "signed_up"),
    )
    return _ics(body, "mijn-bijeenkomsten.ics", private=True)


@bp.get("/mijn")
@login_required
def mine():
    """The member's own events and their private calendar address."""
    link = reports.calendar_link_of(current_user)
    return render(
        "agenda/mine.html",
        rows=queries.events_of(current_user, include_past=False),
        link=link,
        action_form=ActionForm(),
    )


@bp.post("/mijn/agenda-link")
@login_required
def renew_link():
    """Make (or renew) the private calendar address."""
    if ActionForm().validate_on_submit():
        had_one = reports.calendar_link_of(current_user) is not None
        reports.renew_calendar_link(current_user)
        if had_one:
            flash(_("Your new calendar address is ready. The old address no longer works."), "ok")
        else:
            flash(_("Your private calendar address is ready."), "ok")
    return redirect(url_for(".mine", _anchor="agenda-link"), 303)


@bp.post("/mijn/agenda-link/intrekken")
@login_required
def revoke_link():
    """Switch the private calendar address off."""
    if ActionForm().validate_on_submit():
        reports.revoke_calendar_link(current_user)
        flash(_("Your private calendar address no longer works."), "ok")
    return redirect(url_for(".mine", _anchor="agenda-link"), 303)
