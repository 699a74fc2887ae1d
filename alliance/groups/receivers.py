"""How working groups take part in what happens elsewhere: their links under a dilemma, their
reminders, what search finds of them, and what they keep about a member (export, erasure)."""

from datetime import date, timedelta

from flask import render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import delete, select, update

from alliance.core import audience, signals
from alliance.core.signals import Collected, Reminder
from alliance.core.timeutil import iso
from alliance.core.web import path_for
from alliance.extensions import db
from alliance.groups import proposals, searchable
from alliance.groups.documents import human_size
from alliance.groups.models import GroupNote, Membership, Task, WorkingGroup
from alliance.groups.services import depart
from alliance.groups.workmodels import (
    DocumentVersion,
    GroupDocument,
    GroupMessage,
    Proposal,
    ProposalResponse,
)

TASK_DUE_DAYS = 2
GROUP_ENDING_DAYS = 14

# --- on the pages of the knowledge base --------------------------------------------------------


@signals.template_hook.connect_via("item-origin")
def message_origin(_name, item, **_context) -> Markup | None:
    """A post made of a message of a group's conversation: a link back to it, for the group's
    current members (the post may have been opened up to others since)."""
    message = db.session.scalar(select(GroupMessage).where(GroupMessage.item_id == item.id))
    if message is None or message.group_id not in audience.group_ids_of(current_user):
        return None
    return Markup(render_template("groups/_message_origin.html", message=message))


@signals.template_hook.connect_via("item-origin")
def result_origin(_name, item, **_context) -> Markup | None:
    """Under a published result: the working group it came from, and who wrote it along."""
    if item.is_dilemma:
        return None
    group = db.session.scalar(select(WorkingGroup).where(WorkingGroup.result_item_id == item.id))
    if group is None:
        return None
    attached = db.session.scalars(
        select(GroupDocument)
        .where(GroupDocument.result_item_id == item.id, GroupDocument.deleted_at.is_(None))
        .order_by(GroupDocument.title)
    ).all()
    decided = db.session.scalars(
        select(Proposal)
        .where(Proposal.group_id == group.id, Proposal.in_result.is_(True))
        .order_by(Proposal.decided_at)
    ).all()
    return Markup(
        render_template(
            "groups/_item_origin.html",
            item=item,
            origin_group=group,
            attached=attached,
            decided=decided,
            human_size=human_size,
        )
    )


@signals.template_hook.connect_via("item-together")
def work_together(_name, item, **_context) -> Markup | None:
    """Under a dilemma, for members: the groups working on it, and starting one."""
    if not item.is_dilemma or not audience.is_member(current_user):
        return None
    groups = db.session.scalars(
        select(WorkingGroup).where(WorkingGroup.dilemma_id == item.id).order_by(WorkingGroup.id)
    ).all()
    return Markup(render_template("groups/_item_together.html", item=item, working_groups=groups))


# --- search -------------------------------------------------------------------------------------


@signals.search_sources.connect
def search_source(_sender) -> list:
    """Search finds the public side of working groups, and for their members the messages
    and documents of the space."""
    return [searchable.SOURCE, searchable.MESSAGES, searchable.DOCUMENTS]


# --- reminders ----------------------------------------------------------------------------------


def _group_url(group_id: int, anchor: str | None = None) -> str:
    return path_for("groups.show", group_id=group_id, _anchor=anchor)


def _tasks_due(today: date) -> list[Reminder]:
    rows = db.session.execute(
        select(Task, WorkingGroup.id)
        .join(WorkingGroup, WorkingGroup.id == Task.group_id)
        .where(
            Task.state != "done",
            Task.owner_id.is_not(None),
            Task.due_on.is_not(None),
            Task.due_on >= today,
            Task.due_on <= today + timedelta(days=TASK_DUE_DAYS),
            WorkingGroup.state == "active",
        )
    ).all()
    return [
        Reminder(
            "task_due",
            task.owner_id,
            _group_url(group_id),
            key=f"task_due:{task.id}:{task.due_on.isoformat()}",
            group_id=group_id,
            params={"task": task.title, "due": task.due_on.isoformat()},
        )
        for task, group_id in rows
    ]


def _groups_ending(today: date) -> list[Reminder]:
    rows = db.session.execute(
        select(WorkingGroup.id, WorkingGroup.ends_on, Membership.member_id)
        .join(Membership, Membership.group_id == WorkingGroup.id)
        .where(
            WorkingGroup.state == "active",
            WorkingGroup.ends_on >= today,
            WorkingGroup.ends_on <= today + timedelta(days=GROUP_ENDING_DAYS),
            Membership.state == "member",
        )
    ).all()
    return [
        Reminder(
            "group_ending",
            member_id,
            _group_url(group_id),
            key=f"group_ending:{group_id}:{ends_on.isoformat()}",
            group_id=group_id,
            params={"ends": ends_on.isoformat()},
        )
        for group_id, ends_on, member_id in rows
    ]


def _groups_overdue(today: date) -> list[Reminder]:
    """Once per end date: an extension sets it going again."""
    rows = db.session.execute(
        select(WorkingGroup.id, WorkingGroup.ends_on, Membership.member_id)
        .join(Membership, Membership.group_id == WorkingGroup.id)
        .where(
            WorkingGroup.state != "archived",
            WorkingGroup.ends_on < today,
            Membership.state == "member",
            Membership.role == "lead",
        )
    ).all()
    return [
        Reminder(
            "group_overdue",
            lead_id,
            _group_url(group_id, "lifecycle-heading"),
            key=f"group_overdue:{group_id}:{ends_on.isoformat()}",
            group_id=group_id,
            params={"ends": ends_on.isoformat()},
        )
        for group_id, ends_on, lead_id in rows
    ]


def _proposals_closing(today: date) -> list[Reminder]:
    """Once per proposal: members who have not responded, the day before it closes."""
    return [
        Reminder(
            "proposal_closing",
            member_id,
            _group_url(proposal.group_id, f"voorstel-{proposal.id}"),
            key=f"proposal_closing:{proposal.id}",
            group_id=proposal.group_id,
            params={
                "proposal": proposal.title,
                "closes": proposals.local_day(proposal.closes_at).isoformat(),
            },
        )
        for proposal, member_id in proposals.closing_reminders(today)
    ]


#: The reminders of working groups: tasks due soon (their owner), groups ending soon (their
#: members), groups past their end date (their leads), proposals closing (who has not
#: responded).
REMINDERS = (_tasks_due, _groups_ending, _groups_overdue, _proposals_closing)


@signals.reminders_due.connect
def reminders(today: date) -> list[Reminder]:
    """What working groups remind members of today."""
    return [reminder for kind in REMINDERS for reminder in kind(today)]


# --- a member's data ------------------------------------------------------------------------------


@signals.personal_data.connect
def personal_data(member) -> list[Collected]:
    """Memberships (also asked, invited or waiting) with what the member brings in; the tasks
    they created, and those they own in the groups they are still in (a task in a group they
    left is the group's); links and notes they added."""
    rows = db.session.execute(
        select(Membership, WorkingGroup.name)
        .join(WorkingGroup, WorkingGroup.id == Membership.group_id)
        .where(Membership.member_id == member.id)
    ).all()
    groups = [
        {
            "group_id": membership.group_id,
            "group": name,
            "state": membership.state,
            "role": membership.role,
            "contribution": membership.contribution,
            "joined_at": iso(membership.joined_at),
            "last_visit_at": iso(membership.last_visit_at),
        }
        for membership, name in rows
    ]
    mine = (Task.owner_id == member.id) & Task.group_id.in_(audience.group_ids_of(member))
    tasks = db.session.scalars(select(Task).where(mine | (Task.created_by_id == member.id))).all()
    notes = db.session.scalars(select(GroupNote).where(GroupNote.author_id == member.id)).all()
    return [
        Collected("groups", groups),
        Collected(
            "tasks",
            [
                {
                    "group_id": task.group_id,
                    "title": task.title,
                    "owner": task.owner_id == member.id,
                    "due_on": task.due_on.isoformat() if task.due_on else None,
                    "state": task.state,
                }
                for task in tasks
            ],
        ),
        *_own_work(member),
        Collected(
            "group_notes",
            [
                {
                    "group_id": note.group_id,
                    "title": note.title,
                    "url": note.url,
                    "body": note.body,
                    "created_at": iso(note.created_at),
                }
                for note in notes
            ],
        ),
    ]


def _own_work(member) -> list[Collected]:
    """The member's own words in the groups' space: messages and replies, the documents they
    uploaded (title, note, file names; the files stay with the group), their proposals and
    responses."""
    messages = db.session.scalars(
        select(GroupMessage).where(GroupMessage.author_id == member.id).order_by(GroupMessage.id)
    ).all()
    versions = db.session.execute(
        select(DocumentVersion, GroupDocument)
        .join(GroupDocument, GroupDocument.id == DocumentVersion.document_id)
        .where(DocumentVersion.uploaded_by_id == member.id)
        .order_by(DocumentVersion.id)
    ).all()
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.author_id == member.id).order_by(Proposal.id)
    ).all()
    responses = db.session.execute(
        select(ProposalResponse, Proposal.title, Proposal.group_id)
        .join(Proposal, Proposal.id == ProposalResponse.proposal_id)
        .where(ProposalResponse.member_id == member.id)
        .order_by(ProposalResponse.id)
    ).all()
    return [
        Collected(
            "group_messages",
            [
                {
                    "group_id": m.group_id,
                    "reply_to": m.parent_id,
                    "body": m.body,
                    "created_at": iso(m.created_at),
                    "edited_at": iso(m.edited_at),
                    "deleted_at": iso(m.deleted_at),
                }
                for m in messages
            ],
        ),
        Collected(
            "group_documents",
            [
                {
                    "group_id": document.group_id,
                    "title": document.title,
                    "note": document.note,
                    "version": version.number,
                    "filename": version.filename,
                    "size": version.size,
                    "uploaded_at": iso(version.created_at),
                }
                for version, document in versions
            ],
        ),
        Collected(
            "group_proposals",
            [
                {
                    "group_id": p.group_id,
                    "title": p.title,
                    "body": p.body,
                    "closes_at": iso(p.closes_at),
                    "outcome": p.outcome,
                }
                for p in proposals
            ],
        ),
        Collected(
            "proposal_responses",
            [
                {
                    "group_id": group_id,
                    "proposal": title,
                    "position": response.position,
                    "reason": response.reason,
                    "updated_at": iso(response.updated_at),
                }
                for response, title, group_id in responses
            ],
        ),
    ]


@signals.account_erasing.connect
def erase(member) -> None:
    """Leads hand over first (to the longest-standing member); then every membership ends.
    Tasks, notes, messages, documents and proposals stay in the group without the name; the
    member's responses to proposals go."""
    groups_of_member = db.session.scalars(
        select(WorkingGroup)
        .join(Membership, Membership.group_id == WorkingGroup.id)
        .where(Membership.member_id == member.id)
    ).all()
    for group in groups_of_member:
        depart(group, member)
    db.session.execute(update(Task).where(Task.owner_id == member.id).values(owner_id=None))
    db.session.execute(
        update(Task).where(Task.created_by_id == member.id).values(created_by_id=None)
    )
    db.session.execute(
        update(GroupNote).where(GroupNote.author_id == member.id).values(author_id=None)
    )
    for model, column in (
        (GroupMessage, GroupMessage.author_id),
        (GroupDocument, GroupDocument.uploaded_by_id),
        (GroupDocument, GroupDocument.deleted_by_id),
        (DocumentVersion, DocumentVersion.uploaded_by_id),
        (Proposal, Proposal.author_id),
        (Proposal, Proposal.outcome_by_id),
    ):
        db.session.execute(update(model).where(column == member.id).values({column: None}))
    db.session.execute(delete(ProposalResponse).where(ProposalResponse.member_id == member.id))
    db.session.execute(
        update(WorkingGroup)
        .where(WorkingGroup.created_by_id == member.id)
        .values(created_by_id=None)
    )
    db.session.execute(
        update(Membership).where(Membership.invited_by_id == member.id).values(invited_by_id=None)
    )
