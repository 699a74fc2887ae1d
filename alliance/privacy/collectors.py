"""The collectors and erasers of the features on this branch: accounts and profile, the
knowledge base, working groups, moderation and mail."""

from sqlalchemy import delete, select, update

from alliance.accounts.models import LoginSession, RecoveryCode
from alliance.extensions import db
from alliance.groups.models import GroupNote, Membership, Task, WorkingGroup
from alliance.knowledge.models import (
    DILEMMA_FIELDS,
    EXPERIENCE_FIELDS,
    FIELD_LABELS,
    Item,
    ItemMark,
    ItemRevision,
    Reply,
    ReplyMark,
    item_coauthors,
)
from alliance.mail.models import OutgoingMail
from alliance.mail.upkeep import forget_sent_mail_naming
from alliance.members.models import Member
from alliance.moderation.models import AuditEntry, Report, Suspension
from alliance.privacy.registry import Collected, collector, eraser


def _when(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _slug(text: str) -> str:
    kept = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(part for part in kept.split("-") if part)[:60] or "zonder-titel"


# --- account and profile ----------------------------------------------------------------------


@collector("account")
def collect_account(member: Member) -> Collected:
    """Account data and settings."""
    return Collected(
        {
            "email": member.email,
            "email_confirmed_at": _when(member.email_confirmed_at),
            "role": member.role,
            "language": member.locale,
            "created_at": _when(member.created_at),
            "two_step_login": member.has_two_factor,
            "two_step_login_since": _when(member.totp_enabled_at),
        }
    )


@collector("profile")
def collect_profile(member: Member) -> Collected:
    """The profile, with which fields everyone may see."""
    return Collected(
        {
            "name": member.name,
            "organisation": member.organisation,
            "organisation_type": member.organisation_type,
            "perspective": member.perspective,
            "themes": [theme.slug for theme in member.themes],
            "offers": member.offers,
            "seeks": member.seeks,
            "bio": member.bio,
            "public_fields": list(member.public_fields or []),
            "hidden_by_moderation_at": _when(member.profile_hidden_at),
        }
    )


@collector("sessions")
def collect_sessions(member: Member) -> Collected:
    """Where the member is logged in (browser, since, last seen); never the tokens."""
    rows = db.session.scalars(select(LoginSession).where(LoginSession.member_id == member.id))
    return Collected(
        [
            {
                "browser": row.user_agent,
                "created_at": _when(row.created_at),
                "last_seen_at": _when(row.last_seen_at),
            }
            for row in rows
        ]
    )


@eraser("accounts")
def erase_accounts(member: Member) -> None:
    """Sessions and recovery codes go."""
    db.session.execute(delete(LoginSession).where(LoginSession.member_id == member.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))


# --- knowledge base -----------------------------------------------------------------------------


def _item_markdown(item: Item) -> str:
    names = ("title", *(DILEMMA_FIELDS if item.is_dilemma else EXPERIENCE_FIELDS))
    names += ("decision", "outcome", "lesson") if item.is_dilemma else ()
    parts = [f"# {item.title}", "", f"*{item.kind_label}, {_when(item.created_at)}*", ""]
    for name in names[1:]:
        text = getattr(item, name)
        if text:
            parts += [f"## {FIELD_LABELS[name]}", "", text, ""]
    return "\n".join(parts)


@collector("items")
def collect_items(member: Member) -> Collected:
    """The dilemmas and experiences the member posted, as data and as Markdown."""
    items = db.session.scalars(
        select(Item).where(Item.author_id == member.id).order_by(Item.id)
    ).all()
    data, files = [], {}
    for item in items:
        record = {
            "id": item.id,
            "kind": item.kind,
            "title": item.title,
            "visibility": item.visibility,
            "anonymous": item.anonymous,
            "status": item.status,
            "created_at": _when(item.created_at),
            "updated_at": _when(item.updated_at),
            "tags": [tag.label for tag in item.tags],
            "themes": [theme.slug for theme in item.themes],
            "hidden_by_moderation_at": _when(item.hidden_at),
        }
        for name in (*DILEMMA_FIELDS, *EXPERIENCE_FIELDS, "decision", "outcome", "lesson"):
            record[name] = getattr(item, name)
        data.append(record)
        files[f"bijdragen/{item.id}-{_slug(item.title)}.md"] = _item_markdown(item)
    return Collected(data, files)


@collector("replies")
def collect_replies(member: Member) -> Collected:
    """The member's replies, as data and as one Markdown file. The title of the post is given
    only when the member can still see it (a working group they left stays closed)."""
    from alliance.knowledge.services import can_view

    replies = db.session.scalars(
        select(Reply).where(Reply.author_id == member.id).order_by(Reply.id)
    ).all()
    data, lines = [], ["# Mijn reacties", ""]
    for reply in replies:
        title = reply.item.title if can_view(reply.item, member) else None
        data.append(
            {
                "id": reply.id,
                "item_id": reply.item_id if title else None,
                "item_title": title,
                "perspective": reply.perspective,
                "body": reply.body,
                "created_at": _when(reply.created_at),
                "updated_at": _when(reply.updated_at),
                "hidden_by_moderation_at": _when(reply.hidden_at),
            }
        )
        lines += [f"## {title or '(werkgroep)'} — {_when(reply.created_at)}", "", reply.body, ""]
    return Collected(data, {"bijdragen/reacties.md": "\n".join(lines)} if replies else {})


@collector("marks")
def collect_marks(member: Member) -> Collected:
    """What the member recognised, follows, or marked useful."""
    item_marks = db.session.execute(
        select(ItemMark.item_id, ItemMark.kind, ItemMark.created_at).where(
            ItemMark.member_id == member.id
        )
    ).all()
    reply_marks = db.session.scalars(
        select(ReplyMark.reply_id).where(ReplyMark.member_id == member.id)
    ).all()
    return Collected(
        {
            "items": [
                {"item_id": row.item_id, "kind": row.kind, "created_at": _when(row.created_at)}
                for row in item_marks
            ],
            "useful_replies": list(reply_marks),
        }
    )


@eraser("knowledge")
def erase_knowledge(member: Member) -> None:
    """Posts and replies stay, under "voormalig lid"; marks go (and the counts follow); the
    search index forgets the name on every post the member wrote or answered."""
    from alliance.search.outbox import mark_changed

    touched = set(db.session.scalars(select(Item.id).where(Item.author_id == member.id)))
    touched |= set(db.session.scalars(select(Reply.item_id).where(Reply.author_id == member.id)))
    touched |= set(
        db.session.scalars(
            select(item_coauthors.c.item_id).where(item_coauthors.c.member_id == member.id)
        )
    )
    for item_id, kind in db.session.execute(
        select(ItemMark.item_id, ItemMark.kind).where(ItemMark.member_id == member.id)
    ).all():
        if kind == "recognise":
            db.session.execute(
                update(Item)
                .where(Item.id == item_id, Item.recognition_count > 0)
                .values(recognition_count=Item.recognition_count - 1)
            )
    for (reply_id,) in db.session.execute(
        select(ReplyMark.reply_id).where(ReplyMark.member_id == member.id)
    ).all():
        db.session.execute(
            update(Reply)
            .where(Reply.id == reply_id, Reply.useful_count > 0)
            .values(useful_count=Reply.useful_count - 1)
        )
    db.session.execute(delete(ItemMark).where(ItemMark.member_id == member.id))
    db.session.execute(delete(ReplyMark).where(ReplyMark.member_id == member.id))
    db.session.execute(delete(item_coauthors).where(item_coauthors.c.member_id == member.id))
    db.session.execute(update(Item).where(Item.author_id == member.id).values(author_id=None))
    db.session.execute(update(Reply).where(Reply.author_id == member.id).values(author_id=None))
    db.session.execute(
        update(ItemRevision).where(ItemRevision.editor_id == member.id).values(editor_id=None)
    )
    for item_id in sorted(touched):
        mark_changed("item", item_id)


# --- working groups ---------------------------------------------------------------------------


@collector("groups")
def collect_groups(member: Member) -> Collected:
    """Group memberships (also asked, invited or waiting) with what the member brings in."""
    rows = db.session.execute(
        select(Membership, WorkingGroup.name)
        .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
        .where(Membership.member_id == member.id)
    ).all()
    return Collected(
        [
            {
                "group_id": membership.group_id,
                "group": name,
                "state": membership.state,
                "role": membership.role,
                "contribution": membership.contribution,
                "joined_at": _when(membership.joined_at),
                "last_visit_at": _when(membership.last_visit_at),
            }
            for membership, name in rows
        ]
    )


@collector("tasks")
def collect_tasks(member: Member) -> Collected:
    """The tasks (actiepunten) the member created, and those they own in the groups they are
    still in (a task in a group they left is the group's, written by someone else)."""
    from alliance.groups.services import group_ids_of

    mine = (Task.owner_id == member.id) & Task.group_id.in_(group_ids_of(member))
    rows = db.session.scalars(select(Task).where(mine | (Task.created_by_id == member.id))).all()
    return Collected(
        [
            {
                "group_id": task.group_id,
                "title": task.title,
                "owner": task.owner_id == member.id,
                "due_on": task.due_on.isoformat() if task.due_on else None,
                "state": task.state,
            }
            for task in rows
        ]
    )


@collector("group_notes")
def collect_notes(member: Member) -> Collected:
    """Links and notes the member added to a group space."""
    rows = db.session.scalars(select(GroupNote).where(GroupNote.author_id == member.id)).all()
    return Collected(
        [
            {
                "group_id": note.group_id,
                "title": note.title,
                "url": note.url,
                "body": note.body,
                "created_at": _when(note.created_at),
            }
            for note in rows
        ]
    )


@eraser("groups")
def erase_groups(member: Member) -> None:
    """Leads hand over first (to the longest-standing member); then every membership ends.
    Tasks and notes stay in the group without the name."""
    from alliance.groups import services as groups

    groups_of_member = db.session.scalars(
        select(WorkingGroup)
        .join(Membership, Membership.group_id == WorkingGroup.id)
        .where(Membership.member_id == member.id)
    ).all()
    for group in groups_of_member:
        groups.depart(group, member)
    db.session.execute(update(Task).where(Task.owner_id == member.id).values(owner_id=None))
    db.session.execute(
        update(Task).where(Task.created_by_id == member.id).values(created_by_id=None)
    )
    db.session.execute(
        update(GroupNote).where(GroupNote.author_id == member.id).values(author_id=None)
    )
    db.session.execute(
        update(WorkingGroup)
        .where(WorkingGroup.created_by_id == member.id)
        .values(created_by_id=None)
    )
    db.session.execute(
        update(Membership).where(Membership.invited_by_id == member.id).values(invited_by_id=None)
    )


# --- moderation and mail ------------------------------------------------------------------------


@collector("reports")
def collect_reports(member: Member) -> Collected:
    """The reports the member made, and suspensions of the member."""
    reports = db.session.scalars(select(Report).where(Report.reporter_id == member.id)).all()
    suspensions = db.session.scalars(
        select(Suspension).where(Suspension.member_id == member.id)
    ).all()
    return Collected(
        {
            "reports": [
                {
                    "kind": row.kind,
                    "ref_id": row.ref_id,
                    "reason": row.reason,
                    "state": row.state,
                    "created_at": _when(row.created_at),
                }
                for row in reports
            ],
            "suspensions": [
                {
                    "until": _when(row.until),
                    "reason": row.reason,
                    "lifted_at": _when(row.lifted_at),
                }
                for row in suspensions
            ],
        }
    )


@eraser("moderation")
def erase_moderation(member: Member) -> None:
    """Reports stay for the record without the reporter; the audit log keeps the action
    without the name; suspensions go."""
    db.session.execute(
        update(Report).where(Report.reporter_id == member.id).values(reporter_id=None)
    )
    db.session.execute(
        update(Report).where(Report.resolved_by_id == member.id).values(resolved_by_id=None)
    )
    db.session.execute(
        update(AuditEntry).where(AuditEntry.actor_id == member.id).values(actor_id=None)
    )
    db.session.execute(delete(Suspension).where(Suspension.member_id == member.id))
    db.session.execute(
        update(Suspension).where(Suspension.created_by_id == member.id).values(created_by_id=None)
    )


@eraser("mail")
def erase_mail(member: Member) -> None:
    """Messages to the member's address, sent or waiting, go from the outbox; so do the copies
    of sent mail to others that name the member (see ``forget_sent_mail_naming``)."""
    db.session.execute(delete(OutgoingMail).where(OutgoingMail.recipient == member.email))
    forget_sent_mail_naming(member.name)


# --- notifications ----------------------------------------------------------------------------


@collector("notifications")
def collect_notifications(member: Member) -> Collected:
    """Notifications (as text, without what the member may no longer see), settings, and the
    requests to think along received and made."""
    from alliance.notify.services import personal_data

    return Collected(personal_data(member))


@eraser("notifications")
def erase_notifications(member: Member) -> None:
    from alliance.notify.services import erase_personal_data

    erase_personal_data(member)


# --- the agenda -------------------------------------------------------------------------------


@collector("agenda")
def collect_agenda(member: Member) -> Collected:
    """Sign-ups (and waiting lists), events organised with their reports, and whether a
    private calendar address exists (not the address itself: it is a secret)."""
    from alliance.agenda.models import CalendarLink, Event, Signup

    signups = db.session.execute(
        select(Event.title, Event.starts_at, Signup.state, Signup.created_at)
        .join(Event, Event.id == Signup.event_id)
        .where(Signup.member_id == member.id)
        .order_by(Event.starts_at)
    ).all()
    organised = db.session.scalars(
        select(Event).where(Event.organiser_id == member.id).order_by(Event.starts_at)
    ).all()
    files = {}
    for event in organised:
        text = f"# {event.title}\n\n{_when(event.starts_at)} (UTC)\n\n{event.description}\n"
        if event.report:
            text += f"\n## Verslag\n\n{event.report}\n"
        files[f"agenda/{event.id}-{_slug(event.title)}.md"] = text
    has_link = db.session.scalar(
        select(CalendarLink.member_id).where(CalendarLink.member_id == member.id)
    )
    return Collected(
        {
            "signups": [
                {
                    "event": title,
                    "starts_at_utc": _when(starts),
                    "state": state,
                    "signed_up_at": _when(created),
                }
                for title, starts, state, created in signups
            ],
            "organised": [
                {
                    "title": event.title,
                    "kind": event.kind,
                    "starts_at_utc": _when(event.starts_at),
                    "ends_at_utc": _when(event.ends_at),
                    "state": event.state,
                    "description": event.description,
                    "report": event.report,
                }
                for event in organised
            ],
            "private_calendar_address": bool(has_link),
        },
        files,
    )


@eraser("agenda")
def erase_agenda(member: Member) -> None:
    """Places at coming events go to the waiting list (who move up are told); the member's
    sign-ups and calendar address go; events they organised stay, without organiser."""
    from alliance.agenda.models import CalendarLink, Event, Signup
    from alliance.agenda.signups import withdraw_member

    withdraw_member(member)
    db.session.execute(delete(Signup).where(Signup.member_id == member.id))
    db.session.execute(delete(CalendarLink).where(CalendarLink.member_id == member.id))
    db.session.execute(
        update(Event).where(Event.organiser_id == member.id).values(organiser_id=None)
    )
    db.session.execute(
        update(Event).where(Event.reviewed_by_id == member.id).values(reviewed_by_id=None)
    )
