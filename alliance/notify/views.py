"""Notification pages, settings, one-click unsubscribe, mention suggestions, and matching.
Thin: load (404) → authorise (403) → validate → service → render."""

import re

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from alliance.core.database import writes_on_get
from alliance.core.errors import RuleError
from alliance.core.text import like_escape
from alliance.core.web import parse_id, render, safe_next, wants_fragment
from alliance.extensions import csrf, db
from alliance.knowledge.access import can_view
from alliance.knowledge.queries import load_item
from alliance.members.models import Member
from alliance.notify import bp, delivery, matching, preferences, reading
from alliance.notify.forms import (
    ActionForm,
    AskForm,
    AskFromProfileForm,
    delivery_fields,
    settings_form,
)
from alliance.notify.registry import KINDS
from alliance.notify.texts import private_group, text_of_entry

PAGE_SIZE = 30


def _list_page(page: int = 1):
    notifications, more = reading.notifications_for(current_user, page, PAGE_SIZE)
    return render(
        "notify/index.html",
        "list",
        entries=reading.grouped(notifications),
        text_of_entry=text_of_entry,
        more=more,
        page=page,
        private_group=private_group,
        form=ActionForm(),
    )


@bp.get("/meldingen")
@login_required
def index():
    """My notifications, newest first, with "mark read"."""
    page = max(1, min(request.args.get("pagina", 1, type=int) or 1, 1000))
    return _list_page(page)


@bp.get("/meldingen/teller")
def bell():
    """The bell with its count (htmx polls it; without htmx it is only a link). Logged out
    meanwhile: 204, so that htmx leaves the page alone instead of swapping in the login page."""
    if not current_user.is_authenticated:
        return "", 204
    return render("notify/_bell.html", oob=False)


@bp.get("/meldingen/<int:notification_id>")
@login_required
@writes_on_get
def open_notification(notification_id: int):
    """Open a notification: it is marked read (with the others about the same post or group)
    and the member goes to what it is about."""
    notification = reading.open_notification(current_user, notification_id)
    if notification is None:
        abort(404)
    return redirect(safe_next(notification.url, url_for(".index")), 303)


@bp.post("/meldingen/<int:notification_id>/gelezen")
@login_required
def mark_read(notification_id: int):
    """Mark one notification read."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if not reading.mark_read(current_user, notification_id):
        abort(404)
    if wants_fragment():
        return _list_page(1)
    return redirect(url_for(".index"), 303)


@bp.post("/meldingen/gelezen")
@login_required
def mark_all_read():
    """Mark all my notifications read."""
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    reading.mark_all_read(current_user)
    if wants_fragment():
        return _list_page(1)
    flash(_("All notifications are marked as read."), "ok")
    return redirect(url_for(".index"), 303)


@bp.route("/meldingen/instellingen", methods=["GET", "POST"])
@login_required
def settings():
    """E-mail per kind of notification, and whether (how often) I may be asked to think along."""
    stored = preferences.settings_of(current_user.id)
    if request.method == "POST":
        form = settings_form(request.form)
    else:
        data = {
            f"delivery_{k}": (stored.deliveries or {}).get(k, e.default) for k, e in KINDS.items()
        }
        form = settings_form(
            matching_opt_out=stored.matching_opt_out, monthly_cap=stored.monthly_cap, **data
        )
    if form.validate_on_submit():
        preferences.save_settings(
            current_user,
            {kind: getattr(form, f"delivery_{kind}").data for kind in KINDS},
            form.matching_opt_out.data,
            form.monthly_cap.data,
        )
        flash(_("Your choices are saved."), "ok")
        return redirect(url_for(".settings"), 303)
    return render("notify/settings.html", form=form, delivery_fields=delivery_fields(form))


@bp.route("/meldingen/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt  # one-click unsubscribe (RFC 8058): the mail client posts without our token
def unsubscribe(token: str):
    """Stop e-mail of one kind (or all digests) from a link in an e-mail, without logging in.
    The link shows a button; the POST (also straight from the mail client) does it."""
    found = delivery.read_unsubscribe_token(token[:500])
    if found is None:
        return render("notify/unsubscribe.html", invalid=True, status=404)
    member, kind = found
    label = _("the digest") if kind == "digest" else str(KINDS[kind].label)
    if request.method == "POST":
        preferences.unsubscribe(member, kind)
        return render("notify/unsubscribe.html", done=True, label=label)
    return render("notify/unsubscribe.html", label=label, token=token)


_TYPED_MENTION = re.compile(r"(?:^|\s)@(\w[\w.'\- ]{0,40})$")


@bp.get("/meldingen/namen")
@login_required
def mention_names():
    """Names that start like the "@…" being typed at the end of the reply (htmx fragment)."""
    text = (request.args.get("body") or "")[-200:]
    match = _TYPED_MENTION.search(text)
    names = []
    if match:
        typed = match.group(1).strip().lower()
        names = db.session.scalars(
            select(Member.name)
            .where(
                func.lower(Member.name).like(like_escape(typed) + "%", escape="\\"),
                Member.email_confirmed_at.is_not(None),
                Member.id != current_user.id,
            )
            .order_by(Member.name)
            .limit(6)
        ).all()
    return render("notify/_mentions.html", names=names, typed=match.group(1) if match else "")


# --- matching -------------------------------------------------------------------------------


def _own_open_dilemma(item_id: int):
    item = load_item(item_id)
    if item is None or not can_view(item, current_user):
        abort(404)
    if item.author_id != current_user.id or not item.is_dilemma:
        abort(403)  # the asker asks, nobody on their behalf
    return item


def _matches_page(item, form, status=200):
    return render(
        "notify/matches.html",
        "suggestions",
        status=status,
        item=item,
        form=form,
        suggestions=matching.suggest_helpers(item) if item.status == "open" else [],
        asked=matching.asked_of(item),
    )


@bp.get("/kennisbank/<int:item_id>/meedenkers")
@login_required
def matches(item_id: int):
    """Members who can help with my dilemma, and why; ask them with one click."""
    return _matches_page(_own_open_dilemma(item_id), AskForm())


@bp.get("/kennisbank/<int:item_id>/meedenkers/voorstel")
@login_required
def helpers_fragment(item_id: int):
    """The short list of suggestions on the asker's own item page, loaded after the page (the
    matching takes longer than the rest of the page). Without htmx: the whole matches page."""
    item = _own_open_dilemma(item_id)
    if not wants_fragment():
        return redirect(url_for(".matches", item_id=item.id), 303)
    helpers = matching.suggest_helpers(item) if item.status == "open" else []
    return render("notify/_helpers_list.html", item=item, helpers=helpers)


@bp.post("/kennisbank/<int:item_id>/meedenkers")
@login_required
def ask(item_id: int):
    """ "Vraag om mee te denken": within the member's cap, never past it."""
    item = _own_open_dilemma(item_id)
    form = AskForm()
    if form.validate_on_submit():
        try:
            request_ = matching.ask_to_help(item, current_user, parse_id(form.member_id.data))
        except RuleError as error:
            form.member_id.errors = [str(error)]
            return _matches_page(item, form, status=200)
        name = db.session.get(Member, request_.member_id).name
        flash(_("%(name)s is asked to think along.", name=name), "ok")
        if not wants_fragment():
            return redirect(url_for(".matches", item_id=item.id), 303)
        return _matches_page(item, AskForm(formdata=None))
    return _matches_page(item, form)


@bp.route("/leden/<int:member_id>/meedenken", methods=["GET", "POST"])
@login_required
def ask_from_profile(member_id: int):
    """ "Vraag om mee te denken" from a member's profile: pick one of my open dilemmas (or
    start one). The same invitation, consent and monthly cap as the matching flow."""
    member = db.session.get(Member, member_id)
    if member is None or member.email_confirmed_at is None or member.id == current_user.id:
        abort(404)
    dilemmas = matching.open_dilemmas_of(current_user)
    form = AskFromProfileForm()
    form.item_id.choices = [(str(item.id), item.title) for item in dilemmas]
    if form.validate_on_submit():
        chosen = {item.id: item for item in dilemmas}.get(parse_id(form.item_id.data))
        if chosen is None:
            form.item_id.errors = [_("Choose one of your open dilemmas.")]
        else:
            try:
                matching.ask_to_help(chosen, current_user, member.id)
            except RuleError as error:
                form.item_id.errors = [str(error)]
            else:
                flash(_("%(name)s is asked to think along.", name=member.name), "ok")
                return redirect(url_for("pages.profile", member_id=member.id), 303)
    return render("notify/ask_from_profile.html", form=form, member=member, dilemmas=dilemmas)


@bp.get("/gevraagd")
@login_required
def asked():
    """ "Waar jouw kennis gevraagd wordt": open dilemmas I was asked about or that fit my
    *Ik bied*."""
    return render("notify/asked.html", dilemmas=matching.where_knowledge_is_asked(current_user))
