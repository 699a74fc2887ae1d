"""The rules of messages: who may write to whom, starting a conversation and answering in it,
what a member has read, blocking, and the limit for new accounts.

Who may write to a member: not someone they blocked (or who blocked them), and only as the
member allows it (every member, only members who share a theme or a working group, nobody).
A new account (younger than ``MESSAGES_NEW_ACCOUNT_DAYS``) sends at most
``MESSAGES_NEW_PER_HOUR`` and ``MESSAGES_NEW_PER_DAY`` messages: counted from its messages,
with its member row locked, so concurrent sends cannot pass the limit together."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, delete, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from alliance.core import signals
from alliance.core.audience import group_ids_query, in_group
from alliance.core.errors import RuleError
from alliance.core.text import contains
from alliance.core.timeutil import utcnow
from alliance.core.web import path_for
from alliance.extensions import db
from alliance.members.models import Member, member_themes
from alliance.messages.models import (
    ALLOW,
    MAX_PARTICIPANTS,
    Block,
    Conversation,
    Message,
    MessageSetting,
    Participant,
)

MAX_BODY = 5000


# --- who may write to whom ------------------------------------------------------------------


def _accepts(sender: Member, recipient_id: int):
    """SQL: ``recipient_id`` takes a new message from ``sender`` (confirmed, no block either
    way, and their setting allows it). One expression, so the profile asks it in one
    statement."""
    sender_id = sender.id
    mine, theirs = aliased(member_themes), aliased(member_themes)
    shares_theme = (
        select(literal(1))
        .select_from(mine)
        .join(theirs, theirs.c.theme_id == mine.c.theme_id)
        .where(mine.c.member_id == sender_id, theirs.c.member_id == recipient_id)
        .exists()
    )
    my_groups = group_ids_query(sender).subquery()
    shares_group = (
        select(literal(1))
        .select_from(my_groups)
        .where(in_group(my_groups.c.group_id, recipient_id))
        .exists()
    )
    blocked = exists().where(
        or_(
            and_(Block.blocker_id == recipient_id, Block.blocked_id == sender_id),
            and_(Block.blocker_id == sender_id, Block.blocked_id == recipient_id),
        )
    )
    allow = func.coalesce(
        select(MessageSetting.allow)
        .where(MessageSetting.member_id == recipient_id)
        .scalar_subquery(),
        "all",
    )
    return and_(
        ~blocked,
        or_(allow == "all", and_(allow == "shared", or_(shares_theme, shares_group))),
    )


def may_write(sender: Member, recipient_id: int) -> bool:
    """Whether ``sender`` may start writing to this member (one statement)."""
    if not getattr(sender, "is_authenticated", False) or sender.id == recipient_id:
        return False
    return bool(
        db.session.scalar(
            select(Member.id).where(
                Member.id == recipient_id,
                Member.email_confirmed_at.is_not(None),
                _accepts(sender, recipient_id),
            )
        )
    )


def accepting(sender: Member, member_ids: list[int]) -> list[int]:
    """Those of ``member_ids`` who take a message from ``sender`` now."""
    return [
        member_id
        for member_id in member_ids
        if member_id != sender.id and may_write(sender, member_id)
    ]


def writable_named(
    sender: Member, typed: str, leave_out: list[int], limit: int = 8
) -> list[Member]:
    """Confirmed members whose name contains every word typed (any case) and who take a
    message from ``sender`` now, by name, without ``leave_out``: the choices when a member adds
    someone to a new conversation. Who does not accept messages is simply not offered."""
    words = typed.lower().split()[:5]
    if not words or not getattr(sender, "is_authenticated", False):
        return []
    return list(
        db.session.scalars(
            select(Member)
            .where(
                Member.email_confirmed_at.is_not(None),
                Member.id != sender.id,
                Member.id.not_in(leave_out or [0]),
                *(contains(func.lower(Member.name), word) for word in words),
                _accepts(sender, Member.id),
            )
            .order_by(Member.name, Member.id)
            .limit(limit)
        )
    )


def _cannot_write() -> RuleError:
    # The same words whatever the reason: a blocked member is not told they are blocked.
    return RuleError("body", _("You cannot send a message to this member."))


# --- the limit for new accounts -------------------------------------------------------------


def _check_limit(sender: Member) -> None:
    """Refuse when a new account has sent its number of messages this hour or day. The
    sender's row is locked first: two sends at once are counted one after the other."""
    config = current_app.config
    now = utcnow()
    if sender.created_at <= now - timedelta(days=config["MESSAGES_NEW_ACCOUNT_DAYS"]):
        return
    db.session.execute(select(Member.id).where(Member.id == sender.id).with_for_update())
    for period, limit, text in (
        (
            timedelta(hours=1),
            config["MESSAGES_NEW_PER_HOUR"],
            _(
                "New accounts can send %(num)d messages an hour. Try again later.",
                num=config["MESSAGES_NEW_PER_HOUR"],
            ),
        ),
        (
            timedelta(days=1),
            config["MESSAGES_NEW_PER_DAY"],
            _(
                "New accounts can send %(num)d messages a day. Try again tomorrow.",
                num=config["MESSAGES_NEW_PER_DAY"],
            ),
        ),
    ):
        sent = db.session.scalar(
            select(func.count(Message.id)).where(
                Message.author_id == sender.id, Message.created_at > now - period
            )
        )
        if sent >= limit:
            raise RuleError("body", text)


# --- writing --------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise RuleError("body", _("Write your message."))
    if len(body) > MAX_BODY:
        raise RuleError("body", _("Keep it under %(num)d characters.", num=MAX_BODY))
    return body


def _two_person_conversation(a: int, b: int) -> Conversation | None:
    """The conversation of exactly these two members, if there is one."""
    mine, theirs = aliased(Participant), aliased(Participant)
    others = (
        select(func.count())
        .select_from(Participant)
        .where(Participant.conversation_id == Conversation.id)
        .scalar_subquery()
    )
    return db.session.scalar(
        select(Conversation)
        .join(mine, and_(mine.conversation_id == Conversation.id, mine.member_id == a))
        .join(theirs, and_(theirs.conversation_id == Conversation.id, theirs.member_id == b))
        .where(others == 2)
        .limit(1)
    )


def start(sender: Member, recipient_ids: list[int], body: str) -> Message:
    """Write to one member (the conversation of the two of you, new or not) or to a few (a new
    conversation of at most ``MAX_PARTICIPANTS``)."""
    body = _clean_body(body)
    recipients = list(dict.fromkeys(i for i in recipient_ids if i and i != sender.id))
    if not recipients:
        raise RuleError("body", _("Choose who to write to."))
    if len(recipients) + 1 > MAX_PARTICIPANTS:
        raise RuleError(
            "body", _("A conversation has at most %(num)d members.", num=MAX_PARTICIPANTS)
        )
    if len(accepting(sender, recipients)) != len(recipients):
        raise _cannot_write()
    _check_limit(sender)
    conversation = (
        _two_person_conversation(sender.id, recipients[0]) if len(recipients) == 1 else None
    )
    if conversation is None:
        conversation = Conversation()
        conversation.participants = [
            Participant(member_id=member_id) for member_id in [sender.id, *recipients]
        ]
        db.session.add(conversation)
        db.session.flush()
    return _post(conversation, sender, body, recipients)


def answer(conversation: Conversation, sender: Member, body: str) -> Message:
    """Answer in a conversation: it reaches those in it who still take messages from you; if
    nobody does, it is refused."""
    body = _clean_body(body)
    others = [p.member_id for p in conversation.participants if p.member_id != sender.id]
    recipients = accepting(sender, others)
    if not recipients:
        raise _cannot_write()
    _check_limit(sender)
    return _post(conversation, sender, body, recipients)


def _post(conversation: Conversation, sender: Member, body: str, recipients: list[int]) -> Message:
    now = utcnow()
    message = Message(
        conversation_id=conversation.id, author_id=sender.id, body=body, created_at=now
    )
    db.session.add(message)
    conversation.last_message_at = now
    mark_read(conversation, sender.id, now)
    db.session.flush()
    signals.message_sent.send(
        message,
        recipient_ids=recipients,
        url=path_for(
            "messages.show", conversation_id=conversation.id, _anchor=f"bericht-{message.id}"
        ),
    )
    return message


def mark_read(conversation: Conversation, member_id: int, when=None) -> None:
    """The member has read the conversation up to now (or ``when``)."""
    for participant in conversation.participants:
        if participant.member_id == member_id:
            participant.last_read_at = when or utcnow()


# --- blocking and settings ------------------------------------------------------------------


def block(blocker: Member, blocked_id: int) -> None:
    """``blocker`` no longer hears from ``blocked_id`` (who is not told)."""
    if blocked_id == blocker.id or db.session.get(Member, blocked_id) is None:
        raise RuleError("member", _("This member cannot be blocked."))
    if db.session.get(Block, (blocker.id, blocked_id)) is None:
        db.session.add(Block(blocker_id=blocker.id, blocked_id=blocked_id))
        db.session.flush()
        signals.member_blocked.send(blocker, blocked_id=blocked_id)


def unblock(blocker: Member, blocked_id: int) -> None:
    """Hear from a member again."""
    db.session.execute(
        delete(Block).where(Block.blocker_id == blocker.id, Block.blocked_id == blocked_id)
    )


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    return db.session.get(Block, (blocker_id, blocked_id)) is not None


def allow_of(member_id: int) -> str:
    """Who may start writing to the member (``ALLOW``)."""
    setting = db.session.get(MessageSetting, member_id)
    return setting.allow if setting else "all"


def set_allow(member: Member, allow: str) -> None:
    """Choose who may start writing to me."""
    if allow not in ALLOW:
        raise RuleError("allow", _("Choose one of the options."))
    setting = db.session.get(MessageSetting, member.id)
    if setting is None:
        db.session.add(MessageSetting(member_id=member.id, allow=allow))
    else:
        setting.allow = allow
    db.session.flush()
