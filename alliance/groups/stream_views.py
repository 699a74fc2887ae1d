"""The group's conversation: writing, replying, editing, deleting, "Meer laden" and the poll of
an open stream. Members of the group only. With htmx the changed part comes back (with a
message that is focused and read out); without JavaScript every action is a form and a
redirect, and "Meer laden" is a page of its own."""

from datetime import datetime

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from alliance.core.errors import RuleError
from alliance.core.web import field_error, parse_id, render, wants_fragment
from alliance.groups import bp, stream
from alliance.groups.forms import ActionForm, MessageForm
from alliance.groups.views import _as_member, _group_or_404, _rerender_space


def _message_or_404(group, message_id: int):
    message = stream.load_message(group, message_id)
    if message is None:
        abort(404)
    return message


def _entry_response(group, message, notice: str, form=None):
    """After a change to a message or a reply: htmx gets the message with its replies (the
    notice focused); a plain form goes back to it on the group page."""
    top_id = message.parent_id or message.id
    if not wants_fragment():
        return redirect(url_for(".show", group_id=group.id, _anchor=f"bericht-{top_id}"), 303)
    return render(
        "groups/_stream_entry_alone.html",
        group=group,
        entry=stream.one_entry(group, message),
        notice=notice,
        reply_form=form,
        writable=group.state != "archived",
    )


@bp.post("/<int:group_id>/berichten")
@login_required
def post_message(group_id: int):
    """Write in the stream, or reply to a message (``parent_id``)."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    form = MessageForm()
    parent = None
    if form.parent_id.data:
        parent = _message_or_404(group, parse_id(form.parent_id.data) or 0)
    if form.validate_on_submit():
        try:
            message = stream.post_message(group, membership.member, form.body.data or "", parent)
        except RuleError as error:
            field_error(form, error)
        else:
            if parent is not None:
                return _entry_response(group, message, _("Your reply is posted."))
            if not wants_fragment():
                return redirect(
                    url_for(".show", group_id=group.id, _anchor=f"bericht-{message.id}"), 303
                )
            return _rerender_space(
                group,
                membership,
                block="stream",
                message_form=MessageForm(formdata=None),
                stream_notice=_("Your message is posted."),
            )
    if parent is not None and wants_fragment():
        return _entry_response(group, parent, "", form=form)
    return _rerender_space(group, membership, block="stream", message_form=form)


@bp.get("/<int:group_id>/gesprek")
@login_required
def stream_page(group_id: int):
    """Older messages ("Meer laden": the next entries for htmx, a page of them without it),
    or all replies of one message (``?reacties=<id>``)."""
    group = _group_or_404(group_id)
    _as_member(group)
    replies_of = parse_id(request.args.get("reacties"))
    if replies_of is not None:
        message = _message_or_404(group, replies_of)
        if not wants_fragment():
            return redirect(url_for(".show", group_id=group.id, _anchor=f"bericht-{message.id}"))
        return render(
            "groups/_stream_entry_alone.html",
            group=group,
            entry=stream.one_entry(group, message, all_replies=True),
            notice="",
            reply_form=None,
            writable=group.state != "archived",
        )
    page = stream.stream_of(group, before=request.args.get("vor"))
    return render(
        "groups/stream.html",
        "more",
        group=group,
        stream_page=page,
        writable=group.state != "archived",
    )


@bp.get("/<int:group_id>/gesprek/nieuw")
@login_required
def stream_news(group_id: int):
    """The poll of an open stream (every :data:`stream.POLL_SECONDS` seconds): how many
    messages others wrote since the page was shown; nothing when there are none."""
    group = _group_or_404(group_id)
    _as_member(group)
    try:
        since = datetime.fromisoformat(request.args.get("na", ""))
    except ValueError:
        since = None
    count = stream.news_since(group, since, current_user.id)
    if not count:
        return "", 204, {"Vary": "HX-Request"}
    text = ngettext("%(num)d new message", "%(num)d new messages", count)
    return render("groups/_stream_news.html", group=group, news=text)


@bp.route("/<int:group_id>/berichten/<int:message_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_message(group_id: int, message_id: int):
    """The author changes their message (inline with htmx, a page of its own without)."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    message = _message_or_404(group, message_id)
    if message.author_id != current_user.id or message.is_deleted:
        abort(403)
    form = MessageForm(
        prefix="edit", data={"body": message.body} if request.method == "GET" else None
    )
    form.body.id = form.body.label.field_id = "edit-message-body"  # beside the stream's own box
    if form.validate_on_submit():
        try:
            stream.edit_message(group, message, membership.member, form.body.data or "")
        except RuleError as error:
            field_error(form, error)
        else:
            return _entry_response(group, message, _("Your message is saved."))
    return render(
        "groups/message_edit.html",
        "edit",
        group=group,
        message=message,
        form=form,
    )


@bp.post("/<int:group_id>/berichten/<int:message_id>/verwijderen")
@login_required
def delete_message(group_id: int, message_id: int):
    """The author deletes their message; a mark stays in its place."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    message = _message_or_404(group, message_id)
    if message.author_id != current_user.id:
        abort(403)
    if ActionForm().validate_on_submit():
        try:
            stream.delete_message(group, message, membership.member)
        except RuleError as error:
            abort(409, str(error))
    return _entry_response(group, message, _("Your message is deleted."))


@bp.post("/<int:group_id>/berichten/<int:message_id>/naar-kennisbank")
@login_required
def message_to_kennisbank(group_id: int, message_id: int):
    """The writer makes a dilemma or an experience of their message; they land on its edit
    page to complete it."""
    group = _group_or_404(group_id)
    membership = _as_member(group)
    message = _message_or_404(group, message_id)
    if message.author_id != current_user.id:
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        item = stream.to_kennisbank(
            group, message, membership.member, request.form.get("soort", "dilemma")
        )
    except RuleError as error:
        flash(str(error), "error")
        return redirect(url_for(".show", group_id=group.id, _anchor=f"bericht-{message.id}"), 303)
    flash(
        _("Your message is now a post of the group in the knowledge base. Complete it here."), "ok"
    )
    return redirect(url_for("knowledge.edit", item_id=item.id), 303)
