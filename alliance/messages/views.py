"""Thin views of /berichten: my conversations, one conversation, writing, blocking and who may
write to me. A conversation is there only for those in it: for anyone else it is a 404."""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from alliance.core.database import writes_on_get
from alliance.core.errors import RuleError
from alliance.core.web import field_error, parse_id, render, safe_next
from alliance.extensions import db
from alliance.members.models import Member
from alliance.messages import bp, queries, services
from alliance.messages.forms import MessageForm, SettingsForm
from alliance.messages.models import MAX_PARTICIPANTS, Block


@bp.get("/berichten")
@login_required
def index():
    """My conversations, newest first."""
    page = request.args.get("pagina", 1, type=int) or 1
    rows, more = queries.inbox(current_user, page, current_app.config["MESSAGES_PAGE_SIZE"])
    return render("messages/index.html", "conversations", rows=rows, page=page, more=more)


def _recipients() -> list[Member]:
    """The members named by ``aan`` (at most the size of a conversation)."""
    ids = [parse_id(value) for value in request.values.getlist("aan")][: MAX_PARTICIPANTS - 1]
    ids = [i for i in dict.fromkeys(ids) if i and i != current_user.id]
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Member)
            .where(Member.id.in_(ids), Member.email_confirmed_at.is_not(None))
            .order_by(Member.name)
        )
    )


@bp.route("/berichten/nieuw", methods=["GET", "POST"])
@login_required
def new():
    """Write to a member (from their profile, or from a reply), or to a few: "Add someone"
    finds members by name (a plain GET form; each match is a link that adds them)."""
    recipients = _recipients()
    if not recipients and request.method == "POST":
        abort(404)
    ids = [m.id for m in recipients]
    allowed = bool(recipients) and len(services.accepting(current_user, ids)) == len(ids)
    typed = (request.args.get("naam") or "").strip()[:120]
    room = len(recipients) < MAX_PARTICIPANTS - 1
    matches = (
        services.writable_named(current_user, typed, ids) if room and len(typed) >= 2 else []
    )
    form = MessageForm()
    if allowed and form.validate_on_submit():
        try:
            message = services.start(
                current_user._get_current_object(), [m.id for m in recipients], form.body.data
            )
        except RuleError as error:
            field_error(form, error)
        else:
            flash(_("Your message is sent."), "ok")
            return redirect(url_for("messages.show", conversation_id=message.conversation_id), 303)
    return render(
        "messages/new.html",
        form=form,
        recipients=recipients,
        allowed=allowed,
        typed=typed,
        matches=matches,
        room=room,
        max_participants=MAX_PARTICIPANTS,
        status=200 if allowed or not recipients else 403,
    )


@bp.get("/berichten/<int:conversation_id>")
@writes_on_get  # what I read is remembered
@login_required
def show(conversation_id: int):
    """One conversation (the newest messages; older ones a page back), and the answer form."""
    conversation = queries.conversation_for(conversation_id, current_user) or abort(404)
    return _conversation_page(conversation, MessageForm(formdata=None))


def _conversation_page(conversation, form: MessageForm, status: int = 200):
    before = parse_id(request.args.get("voor"))
    messages, older = queries.messages_of(
        conversation, current_user, current_app.config["CONVERSATION_PAGE_SIZE"], before
    )
    if before is None:
        services.mark_read(conversation, current_user.id)
    others = [p.member for p in conversation.participants if p.member_id != current_user.id]
    blocked = set(
        db.session.scalars(select(Block.blocked_id).where(Block.blocker_id == current_user.id))
    )
    return render(
        "messages/show.html",
        "thread",
        conversation=conversation,
        messages=messages,
        older=older,
        others=others,
        blocked=blocked,
        form=form,
        status=status,
    )


@bp.post("/berichten/<int:conversation_id>")
@login_required
def answer(conversation_id: int):
    """Answer in a conversation; with htmx the conversation comes back with the answer in it."""
    conversation = queries.conversation_for(conversation_id, current_user) or abort(404)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            services.answer(conversation, current_user._get_current_object(), form.body.data)
        except RuleError as error:
            field_error(form, error)
        else:
            if request.headers.get("HX-Request"):
                return _conversation_page(conversation, MessageForm(formdata=None))
            return redirect(url_for("messages.show", conversation_id=conversation.id), 303)
    return _conversation_page(conversation, form, 422)


@bp.post("/berichten/blokkeren/<int:member_id>")
@login_required
def block(member_id: int):
    """Block a member: they cannot write to me, I do not see their messages; they are not
    told."""
    try:
        services.block(current_user._get_current_object(), member_id)
    except RuleError:
        abort(404)
    flash(_("You blocked this member. They cannot write to you, and they are not told."), "ok")
    return redirect(safe_next(request.form.get("next"), url_for("messages.settings")), 303)


@bp.post("/berichten/deblokkeren/<int:member_id>")
@login_required
def unblock(member_id: int):
    """Hear from a member again."""
    services.unblock(current_user._get_current_object(), member_id)
    flash(_("This member can write to you again."), "ok")
    return redirect(safe_next(request.form.get("next"), url_for("messages.settings")), 303)


@bp.route("/berichten/instellingen", methods=["GET", "POST"])
@login_required
def settings():
    """Who may write to me, and the members I blocked."""
    form = SettingsForm(data={"allow": services.allow_of(current_user.id)})
    if form.validate_on_submit():
        try:
            services.set_allow(current_user._get_current_object(), form.allow.data)
        except RuleError as error:
            field_error(form, error)
        else:
            flash(_("Saved."), "ok")
            return redirect(url_for("messages.settings"), 303)
    blocked = db.session.scalars(
        select(Member)
        .join(Block, Block.blocked_id == Member.id)
        .where(Block.blocker_id == current_user.id)
        .order_by(Member.name)
    ).all()
    return render("messages/settings.html", form=form, blocked=blocked)
