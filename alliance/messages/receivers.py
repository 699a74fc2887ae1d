"""What messages does when something happens elsewhere: a member's data for the export, an
account that goes, and what members can report (a message: the coordinators see that message,
never the conversation)."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from alliance.core import signals
from alliance.core.signals import Collected, ReportableKind
from alliance.core.timeutil import iso, utcnow
from alliance.extensions import db
from alliance.messages.models import Block, Conversation, Message, MessageSetting, Participant
from alliance.messages.services import allow_of

# --- reporting ----------------------------------------------------------------------------------


def _in_conversation(message: Message, viewer) -> bool:
    """Those in the conversation see its messages (a report is possible only on those)."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    return db.session.get(Participant, (message.conversation_id, viewer.id)) is not None


def _hide(message: Message, hidden: bool) -> None:
    message.hidden_at = utcnow() if hidden else None
    db.session.flush()


MESSAGE = ReportableKind(
    name="message",
    label=_l("A message"),
    load=lambda ref_id: db.session.get(Message, ref_id),
    can_see=_in_conversation,
    set_hidden=_hide,
    is_hidden=lambda message: message.hidden_at is not None,
    url=lambda message: url_for(
        "messages.show", conversation_id=message.conversation_id, _anchor=f"bericht-{message.id}"
    ),
    summary=lambda message: message.body[:1000],
    author_id=lambda message: message.author_id,
)


@signals.reportable_kinds.connect
def reportable(_sender) -> list[ReportableKind]:
    """Members can report a message in a conversation they are in."""
    return [MESSAGE]


# --- a member's data ----------------------------------------------------------------------------


@signals.personal_data.connect
def personal_data(member) -> list[Collected]:
    """Who may write to them, whom they blocked, and their conversations with every message
    in them they can see."""
    blocked = db.session.scalars(select(Block).where(Block.blocker_id == member.id)).all()
    conversations = db.session.scalars(
        select(Conversation)
        .join(Participant, Participant.conversation_id == Conversation.id)
        .where(Participant.member_id == member.id)
        .order_by(Conversation.last_message_at)
    ).all()
    blocked_ids = {block.blocked_id for block in blocked}
    exported = []
    for conversation in conversations:
        messages = db.session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation.id)
            .order_by(Message.created_at, Message.id)
        ).all()
        exported.append(
            {
                "with": [
                    p.member.name for p in conversation.participants if p.member_id != member.id
                ],
                "messages": [
                    {
                        "from": "me"
                        if m.author_id == member.id
                        else (m.author.name if m.author else "een voormalig lid"),
                        "at": iso(m.created_at),
                        "text": m.body,
                        "hidden_by_moderation": m.hidden_at is not None,
                    }
                    for m in messages
                    if m.author_id is None or m.author_id not in blocked_ids
                ],
            }
        )
    return [
        Collected(
            "messages",
            {
                "who_may_write": allow_of(member.id),
                "blocked": [{"id": b.blocked_id, "name": b.blocked.name} for b in blocked],
                "conversations": exported,
            },
        )
    ]


@signals.account_erasing.connect
def account_erasing(member) -> None:
    """Their messages stay for the others, from "een voormalig lid"; their place in each
    conversation, their blocks and their setting go; a conversation nobody is left in goes."""
    db.session.execute(update(Message).where(Message.author_id == member.id).values(author_id=None))
    mine = select(Participant.conversation_id).where(Participant.member_id == member.id)
    conversation_ids = list(db.session.scalars(mine))
    db.session.execute(delete(Participant).where(Participant.member_id == member.id))
    db.session.execute(
        delete(Block).where((Block.blocker_id == member.id) | (Block.blocked_id == member.id))
    )
    db.session.execute(delete(MessageSetting).where(MessageSetting.member_id == member.id))
    if conversation_ids:
        still_in = select(Participant.conversation_id).where(
            Participant.conversation_id.in_(conversation_ids)
        )
        db.session.execute(
            delete(Conversation).where(
                Conversation.id.in_(conversation_ids), Conversation.id.not_in(still_in)
            )
        )
