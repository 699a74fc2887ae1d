"""Reading messages: my conversations (the inbox) and one conversation, each only for those
in it, without the messages of members the reader blocked."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload, selectinload

from alliance.extensions import db
from alliance.members.models import Member
from alliance.messages.models import Block, Conversation, Message, Participant


def _not_blocked_by(reader_id: int):
    """SQL: the message's author is not someone ``reader_id`` blocked (a former member's
    messages, without author, stay)."""
    return Message.author_id.is_(None) | Message.author_id.not_in(
        select(Block.blocked_id).where(Block.blocker_id == reader_id)
    )


@dataclass
class InboxRow:
    """One conversation in my list: who else is in it, its newest message I may see, and
    whether something came after I last read it."""

    conversation: Conversation
    others: list[Member]
    last: Message | None
    unread: bool


def inbox(member: Member, page: int, size: int) -> tuple[list[InboxRow], bool]:
    """My conversations, newest first: one page, and whether there is another. Three
    statements, whatever the numbers (conversations with their members, the newest message
    of each)."""
    page = max(1, min(page, 10_000))
    rows = db.session.execute(
        select(Conversation, Participant.last_read_at)
        .join(
            Participant,
            and_(
                Participant.conversation_id == Conversation.id, Participant.member_id == member.id
            ),
        )
        .options(selectinload(Conversation.participants).joinedload(Participant.member))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        .limit(size + 1)
        .offset((page - 1) * size)
    ).all()
    more = len(rows) > size
    rows = rows[:size]
    newest = {}
    if rows:
        ids = [conversation.id for conversation, _read in rows]
        latest = (
            select(func.max(Message.id))
            .where(Message.conversation_id.in_(ids), _not_blocked_by(member.id))
            .group_by(Message.conversation_id)
        )
        newest = {
            message.conversation_id: message
            for message in db.session.scalars(
                select(Message).where(Message.id.in_(latest)).options(joinedload(Message.author))
            )
        }
    return [
        InboxRow(
            conversation,
            [p.member for p in conversation.participants if p.member_id != member.id],
            newest.get(conversation.id),
            _unread(newest.get(conversation.id), read_at, member.id),
        )
        for conversation, read_at in rows
    ], more


def _unread(last: Message | None, read_at: datetime | None, member_id: int) -> bool:
    if last is None or last.author_id == member_id:
        return False
    return read_at is None or last.created_at > read_at


def conversation_for(conversation_id: int, member) -> Conversation | None:
    """The conversation, if ``member`` is in it (else None: for anyone else it does not
    exist)."""
    if not getattr(member, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Conversation)
        .join(
            Participant,
            and_(
                Participant.conversation_id == Conversation.id, Participant.member_id == member.id
            ),
        )
        .where(Conversation.id == conversation_id)
        .options(selectinload(Conversation.participants).joinedload(Participant.member))
    )


def messages_of(
    conversation: Conversation, reader: Member, size: int, before: int | None = None
) -> tuple[list[Message], bool]:
    """The newest ``size`` messages (older than message ``before``), oldest first, and whether
    there are older ones. Messages of members the reader blocked are left out."""
    statement = select(Message).where(
        Message.conversation_id == conversation.id, _not_blocked_by(reader.id)
    )
    if before:
        statement = statement.where(Message.id < before)
    rows = db.session.scalars(
        statement.options(joinedload(Message.author)).order_by(Message.id.desc()).limit(size + 1)
    ).all()
    return list(reversed(rows[:size])), len(rows) > size
