"""What notify does when something happens elsewhere (``core.signals``): it tells the members
concerned, each once, never about their own action, never about what they may not see (all of
that is checked in ``services.notify``). Also what notify keeps about a member (export,
erasure)."""

import re

from flask import has_request_context, render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import delete, distinct, func, or_, select, update

from alliance.core import audience, signals
from alliance.core.signals import Collected
from alliance.core.text import like_escape
from alliance.core.timeutil import iso
from alliance.core.web import external_url, path_for
from alliance.extensions import db
from alliance.knowledge.models import ItemMark, Reply
from alliance.members.models import Member
from alliance.notify.models import HelpRequest, Notification, NotificationSetting
from alliance.notify.preferences import settings_of
from alliance.notify.reading import mark_read_about
from alliance.notify.registry import KINDS
from alliance.notify.services import delivery_for, notify, visible_condition
from alliance.notify.texts import text_of

#: "@" at the start or after a space, then the name as written.
_MENTION = re.compile(r"(?:(?<=\s)|^)@(\w[^\n@]{0,80})", re.UNICODE)


def _acting_id() -> int | None:
    """The member doing this in the current request, if any."""
    if has_request_context() and current_user.is_authenticated:
        return current_user.id
    return None


def mentioned_ids(text: str) -> list[int]:
    """The members named "@Voornaam Achternaam" in ``text`` (longest name that fits)."""
    found: list[int] = []
    for match in _MENTION.finditer(text or ""):
        after = match.group(1).lower()
        first = after.split()[0] if after.split() else ""
        if not first:
            continue
        candidates = db.session.execute(
            select(Member.id, Member.name)
            .where(
                func.lower(Member.name).like(like_escape(first[:40]) + "%", escape="\\"),
                Member.email_confirmed_at.is_not(None),
            )
            .limit(100)
        ).all()
        best = None
        for member_id, name in candidates:
            name = name.lower()
            rest = after[len(name) :]
            if after.startswith(name) and (not rest or not rest[0].isalnum()):
                if best is None or len(name) > best[1]:
                    best = (member_id, len(name))
        if best and best[0] not in found:
            found.append(best[0])
    return found


# --- the knowledge base -------------------------------------------------------------------------


@signals.reply_added.connect
def reply_added(reply, item) -> None:
    """The asker hears of a reply, those mentioned that they are, followers of the item that
    something new is there (each member once, never the replier)."""
    mark_read_about(reply.author_id, item_id=item.id)  # replying is reading what came before
    url = path_for("knowledge.show", item_id=item.id, _anchor=f"reactie-{reply.id}")
    common = {"actor_id": reply.author_id, "item_id": item.id, "reply_id": reply.id, "url": url}
    told = {reply.author_id}
    if item.author_id and item.author_id not in told:
        notify(item.author_id, "reply", **common)
        told.add(item.author_id)
    for member_id in mentioned_ids(reply.body):
        if member_id not in told:
            notify(member_id, "mention", **common)
            told.add(member_id)
    followers = db.session.scalars(
        select(ItemMark.member_id).where(ItemMark.item_id == item.id, ItemMark.kind == "follow")
    ).all()
    for member_id in followers:
        if member_id not in told:
            notify(member_id, "followed_reply", **common)
            told.add(member_id)


@signals.content_changed.connect
def acted_on(sender, ref_id=None, **_kwargs) -> None:
    """Whoever changes a post (edits it, records the decision) has read what is about it."""
    if sender == "item" and ref_id:
        mark_read_about(_acting_id(), item_id=ref_id)


@signals.reply_helped.connect
def reply_helped(reply, item) -> None:
    """The asker marked a reply "dit hielp mij": its author hears it (once); the asker has
    read what is about the post."""
    mark_read_about(item.author_id, item_id=item.id)
    notify(
        reply.author_id,
        "helped",
        actor_id=item.author_id,
        item_id=item.id,
        reply_id=reply.id,
        url=path_for("knowledge.show", item_id=item.id, _anchor=f"reactie-{reply.id}"),
        key=f"helped:{reply.id}",
    )


@signals.item_evaluated.connect
def item_evaluated(item) -> None:
    """ "Dit is ermee gedaan": everyone who replied hears that the dilemma is evaluated; the
    asker's reminders and replies about it are read."""
    mark_read_about(item.author_id, item_id=item.id)
    repliers = db.session.scalars(
        select(distinct(Reply.author_id)).where(
            Reply.item_id == item.id, Reply.author_id.is_not(None)
        )
    ).all()
    for member_id in repliers:
        if member_id != item.author_id:
            notify(
                member_id,
                "evaluated",
                actor_id=item.author_id,
                item_id=item.id,
                url=path_for("knowledge.show", item_id=item.id),
                key=f"evaluated:{item.id}",
            )


@signals.template_hook.connect_via("item-helpers")
def helpers(_name, item, **_context) -> Markup | None:
    """On the asker's own open dilemma: members who can think along (loaded after the page)."""
    if not (current_user.is_authenticated and item.author_id == current_user.id):
        return None
    if not item.is_dilemma or item.status != "open":
        return None
    return Markup(render_template("notify/_helpers.html", item=item))


# --- working groups -------------------------------------------------------------------------------


def _group_url(group_id: int) -> str:
    return path_for("groups.show", group_id=group_id)


@signals.member_invited.connect
def invited(group, membership, by) -> None:
    """The invited member hears of the invitation."""
    notify(
        membership.member_id,
        "group_invitation",
        actor_id=by.id,
        group_id=group.id,
        url=_group_url(group.id),
    )


@signals.join_requested.connect
def join_requested(group, membership, lead_ids: list[int]) -> None:
    """The leads hear that someone asks to join (not for an open group's waiting list)."""
    if membership.state not in ("requested", "waiting") or group.join_policy == "open":
        return
    for lead_id in lead_ids:
        notify(
            lead_id,
            "join_request",
            actor_id=membership.member_id,
            group_id=group.id,
            url=_group_url(group.id),
        )


@signals.join_answered.connect
def join_answered(group, membership, approved: bool, by_id: int | None) -> None:
    """Who asked hears the answer: in, with the lead's message if there is one; or declined,
    with the lead's answer (the group's public page says it too)."""
    if approved:
        notify(
            membership.member_id,
            "join_approved",
            actor_id=by_id,
            group_id=group.id,
            url=_group_url(group.id),
            params={"message": membership.message} if membership.message else None,
        )
    else:
        notify(
            membership.member_id,
            "join_declined",
            actor_id=by_id,
            group_id=group.id,
            url=_group_url(group.id),
            params={"message": membership.message},
        )


@signals.task_assigned.connect
def task_assigned(group, task, by_id: int | None) -> None:
    """The owner of a task hears it is theirs (not when they took it themselves)."""
    notify(
        task.owner_id,
        "task_assigned",
        actor_id=by_id if by_id is not None else _acting_id(),
        group_id=group.id,
        url=_group_url(group.id),
        params={"task": task.title},
    )


@signals.group_message_posted.connect
def group_message_posted(group, message, parent_author_id: int | None) -> None:
    """The writer of the message replied to hears of the reply; the group members mentioned
    hear that they are (each once, never the writer; only current members of the group)."""
    url = path_for(
        "groups.show", group_id=group.id, _anchor=f"bericht-{message.parent_id or message.id}"
    )
    common = {"actor_id": message.author_id, "group_id": group.id, "url": url}
    told = {message.author_id}
    if parent_author_id and parent_author_id not in told:
        notify(parent_author_id, "group_message_reply", **common)
        told.add(parent_author_id)
    for member_id in mentioned_ids(message.body):
        if member_id not in told:
            notify(member_id, "group_mention", **common)
            told.add(member_id)


@signals.proposal_opened.connect
def proposal_opened(group, proposal, member_ids) -> None:
    """Every member of the group is asked to respond (not the proposer)."""
    url = path_for("groups.show", group_id=group.id, _anchor=f"voorstel-{proposal.id}")
    for member_id in member_ids:
        notify(
            member_id,
            "group_proposal",
            actor_id=proposal.author_id,
            group_id=group.id,
            url=url,
            params={"proposal": proposal.title},
        )


@signals.proposal_decided.connect
def proposal_decided(group, proposal, member_ids) -> None:
    """The group hears the outcome (not who recorded it)."""
    url = path_for("groups.show", group_id=group.id, _anchor=f"voorstel-{proposal.id}")
    for member_id in member_ids:
        notify(
            member_id,
            "proposal_decided",
            actor_id=proposal.outcome_by_id,
            group_id=group.id,
            url=url,
            params={"proposal": proposal.title, "outcome": proposal.outcome or ""},
        )


# --- the agenda -------------------------------------------------------------------------------------


def _tell_about_event(member, kind: str, event, **params) -> None:
    """The bell, and by the member's choice this feature's own e-mail (with when and where) or
    a line in their digest."""
    path = path_for("agenda.show", event_id=event.id)
    notify(
        member.id,
        f"event_{kind}",
        group_id=event.group_id,
        url=path,
        params={"event": event.title, **params},
        mail=(
            "agenda",
            {
                "kind": kind,
                "member": member,
                "event": event,
                "event_url": external_url(path),
                **params,
            },
        ),
    )


@signals.signup_changed.connect
def signup_changed(event, member, state: str) -> None:
    """Signed up, on the waiting list, or moved up from it: the member hears which."""
    _tell_about_event(member, state, event)


@signals.event_reviewed.connect
def event_reviewed(event, approved: bool, message: str) -> None:
    """The organiser hears that their event is in the agenda, or what to change."""
    if event.organiser is None:
        return
    if approved:
        _tell_about_event(event.organiser, "approved", event)
    else:
        _tell_about_event(event.organiser, "returned", event, message=message)


# --- moderation -------------------------------------------------------------------------------------


@signals.report_settled.connect
def report_settled(report, action: str, outcome: str, kind_label: str) -> None:
    """The reporter hears what became of their report: a notification, and by their choice
    the moderation's own e-mail or a line in their digest."""
    reporter = report.reporter
    if reporter is None:
        return
    notify(
        reporter.id,
        "report_outcome",
        url=path_for("pages.huisregels"),
        params={"outcome": outcome},
        mail=(
            "report_outcome",
            {
                "member": reporter,
                "action": action,
                "kind_label": kind_label,
                "reported_at": report.created_at,
            },
        ),
    )


@signals.group_content_opened.connect
def group_content_opened(report, group_id: int, by, reason: str) -> None:
    """The group's leads hear that a coordinator read reported content of their group, and
    why: group content is private, so this never happens unseen."""
    for lead_id in audience.group_leads(group_id):
        notify(
            lead_id,
            "group_content_opened",
            actor_id=by.id,
            group_id=group_id,
            url=path_for("groups.show", group_id=group_id),
            params={"message": reason},
        )


# --- a member's data ----------------------------------------------------------------------------------


# --- messages between members ------------------------------------------------------------------


@signals.message_sent.connect
def message_sent(message, recipient_ids: list[int], url: str) -> None:
    """Each recipient hears that a message came (not what it says: that stays in /berichten),
    by their choice of e-mail for the kind."""
    for member_id in recipient_ids:
        notify(member_id, "message", actor_id=message.author_id, url=url)


@signals.member_blocked.connect
def member_blocked(blocker, blocked_id: int) -> None:
    """The blocker no longer sees that the blocked member wrote to them."""
    db.session.execute(
        delete(Notification).where(
            Notification.recipient_id == blocker.id,
            Notification.actor_id == blocked_id,
            Notification.kind == "message",
        )
    )


@signals.personal_data.connect
def personal_data(member) -> list[Collected]:
    """The member's notifications (as text, without what they may no longer see), their
    settings, and the requests to think along they received and made."""
    notifications = db.session.scalars(
        select(Notification)
        .where(Notification.recipient_id == member.id, *visible_condition(member))
        .order_by(Notification.created_at)
    ).all()
    setting = settings_of(member.id)
    requests = db.session.scalars(
        select(HelpRequest).where(
            or_(HelpRequest.member_id == member.id, HelpRequest.asked_by_id == member.id)
        )
    ).all()
    data = {
        "notifications": [
            {
                "kind": n.kind,
                "text": text_of(n),
                "url": n.url,
                "created_at": iso(n.created_at),
                "read_at": iso(n.read_at),
                "emailed_at": iso(n.emailed_at),
            }
            for n in notifications
        ],
        "settings": {
            "deliveries": {k: delivery_for(member.id, k) for k in KINDS},
            "matching_opt_out": setting.matching_opt_out,
            "monthly_cap": setting.monthly_cap,
        },
        "help_requests": [
            {
                "item_id": r.item_id,
                "asked_me": r.member_id == member.id,
                "created_at": iso(r.created_at),
            }
            for r in requests
        ],
    }
    return [Collected("notifications", data)]


@signals.account_erasing.connect
def erase(member) -> None:
    """The member's notifications, settings and requests go (the foreign keys would cascade
    too; this also works where a member row is anonymised rather than deleted). Where they
    were the actor of someone else's notification, that shows "someone" from then on."""
    db.session.execute(delete(Notification).where(Notification.recipient_id == member.id))
    db.session.execute(
        update(Notification).where(Notification.actor_id == member.id).values(actor_id=None)
    )
    db.session.execute(
        delete(NotificationSetting).where(NotificationSetting.member_id == member.id)
    )
    db.session.execute(delete(HelpRequest).where(HelpRequest.member_id == member.id))
    db.session.execute(
        update(HelpRequest).where(HelpRequest.asked_by_id == member.id).values(asked_by_id=None)
    )
