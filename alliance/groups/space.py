"""The private group space: actiepunten, links and notes, what happened since the last visit,
and wrapping up with the result. (The conversation: ``stream``; documents: ``documents``;
proposals: ``proposals``.)"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from alliance.core import signals
from alliance.core.errors import RuleError
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import TASK_STATES, GroupNote, Membership, Task, WorkingGroup
from alliance.groups.services import _acting_id, _recount, _require_active
from alliance.groups.workmodels import GroupDocument, GroupMessage, Proposal
from alliance.knowledge.models import VISIBILITIES, Item, Reply
from alliance.knowledge.services import ItemChange, post_item
from alliance.members.models import Member

#: The open tasks shown at first and the most recent finished ones; the rest is counted and
#: shown on request (the space stays quick and short at 500 tasks: the ten due soonest are what
#: a group of at most fifteen works on this week).
OPEN_SHOWN = 10
DONE_SHOWN = 5


# --- actiepunten -------------------------------------------------------------------------------


def _in_group(group: WorkingGroup, member_id: int) -> bool:
    return (
        db.session.scalar(
            select(Membership.member_id).where(
                Membership.group_id == group.id,
                Membership.member_id == member_id,
                Membership.state == "member",
            )
        )
        is not None
    )


def _owner(group: WorkingGroup, owner_id: int | None) -> int | None:
    """The owner must be a member of the group (or nobody yet)."""
    if not owner_id:
        return None
    if not _in_group(group, owner_id):
        raise RuleError("owner_id", _("Choose a member of this group."))
    return owner_id


def add_task(
    group: WorkingGroup, by: Member, title: str, owner_id: int | None, due_on: date | None
) -> Task:
    """A member adds an actiepunt, for themselves or another member of the group."""
    _require_active(group, "title")
    title = " ".join((title or "").split())
    if not title:
        raise RuleError("title", _("Say what needs to be done."))
    task = Task(
        group_id=group.id,
        title=title[:200],
        owner_id=_owner(group, owner_id),
        due_on=due_on,
        created_by_id=by.id,
    )
    db.session.add(task)
    db.session.flush()
    if task.owner_id and task.owner_id != by.id:
        signals.task_assigned.send(group, task=task, by_id=by.id)
    return task


def update_task(
    task: Task, group: WorkingGroup, state: str | None = None, owner_id: int | None = -1
) -> Task:
    """Move an actiepunt (te doen, bezig, klaar) or give it to another member. ``owner_id``
    -1 means: leave the owner as it is."""
    _require_active(group, "state")
    if state is not None and state not in TASK_STATES:
        raise RuleError("state", _("Choose to do, in progress or done."))
    previous_owner = task.owner_id
    if owner_id != -1:
        owner = _owner(group, owner_id)  # checked first: a refused owner changes nothing
    elif (
        previous_owner and (state or task.state) != "done" and not _in_group(group, previous_owner)
    ):
        owner = None  # reopened, but whoever did it has left the group
    else:
        owner = previous_owner
    if state is not None:
        task.state = state
    task.owner_id = owner
    task.updated_at = utcnow()
    db.session.flush()
    if task.owner_id and task.owner_id != previous_owner:
        signals.task_assigned.send(group, task=task, by_id=_acting_id())
    return task


@dataclass
class TaskLists:
    """The actiepunten the space shows: the open ones by due date, the latest finished ones,
    and how many there are of each (the lists may be shorter)."""

    open: list[Task]
    open_count: int
    done: list[Task]
    done_count: int


def tasks_of(
    group: WorkingGroup,
    all_open: bool = False,
    all_done: bool = False,
    include: int | None = None,
    counts: tuple[int, int] | None = None,
) -> TaskLists:
    """The first :data:`OPEN_SHOWN` open tasks (soonest due first) and the :data:`DONE_SHOWN`
    latest finished ones, or all of either on request: three statements, however many.
    ``include``: a task that must be shown (just added or changed) even if it falls outside the
    first ones; it comes first in its list."""
    values = {"group_id": group.id}
    open_tasks = db.session.scalars(_task_list(False, all_open), values).all()
    done = db.session.scalars(_task_list(True, all_done), values).all()
    if counts is None:
        counts = db.session.execute(_task_counts(), values).one()
    open_count, done_count = counts
    lists = TaskLists(list(open_tasks), open_count, list(done), done_count)
    if include and include not in {task.id for task in (*lists.open, *lists.done)}:
        task = db.session.get(Task, include)
        if task is not None and task.group_id == group.id:
            (lists.done if task.state == "done" else lists.open).insert(0, task)
    return lists


# --- links and notes ---------------------------------------------------------------------------


def add_note(group: WorkingGroup, by: Member, title: str, url: str, body: str) -> GroupNote:
    """A link (with a title) or a short note in the group space."""
    _require_active(group, "title")
    title, url, body = " ".join((title or "").split()), (url or "").strip(), (body or "").strip()
    if not title:
        raise RuleError("title", _("Give the link or note a title."))
    if url and not re.match(r"^https?://[^\s/]+\S*$", url):
        raise RuleError("url", _("Give a web address that starts with https://."))
    if not url and not body:
        raise RuleError("body", _("Give a web address or write a note."))
    note = GroupNote(group_id=group.id, author_id=by.id, title=title[:200], url=url, body=body)
    db.session.add(note)
    db.session.flush()
    return note


def notes_of(group: WorkingGroup, limit: int = 30) -> list[GroupNote]:
    """The newest links and notes."""
    return list(
        db.session.scalars(
            select(GroupNote)
            .where(GroupNote.group_id == group.id)
            .options(joinedload(GroupNote.author))
            .order_by(GroupNote.created_at.desc(), GroupNote.id.desc())
            .limit(limit)
        )
    )


# --- since your last visit ---------------------------------------------------------------------


@dataclass
class Activity:
    """What happened in the group since ``since`` (None: first visit, nothing to compare)."""

    since: datetime | None
    posts: int = 0
    replies: int = 0
    tasks_added: int = 0
    tasks_done: int = 0
    members_joined: int = 0
    notes: int = 0
    messages: int = 0
    documents: int = 0
    proposals: int = 0
    # Not news: how many tasks there are (counted in the same statement for the task lists).
    open_tasks: int = 0
    done_tasks: int = 0

    @property
    def anything(self) -> bool:
        return any(
            (
                self.posts,
                self.replies,
                self.tasks_added,
                self.tasks_done,
                self.members_joined,
                self.notes,
                self.messages,
                self.documents,
                self.proposals,
            )
        )


def count(model, *conditions):
    """A count as a scalar subquery (several in one statement)."""
    return select(func.count(model.id)).where(*conditions).scalar_subquery()


def activity_since(group: WorkingGroup, since: datetime | None, viewer_id: int) -> Activity:
    """Counts of what others did since ``since`` (not counting the viewer's own), and how many
    tasks are open and done (for the task lists), in one statement."""
    values = {"group_id": group.id, "since": since, "others": viewer_id}
    if since is None:
        open_tasks, done_tasks = db.session.execute(_task_counts(), values).one()
        return Activity(since=None, open_tasks=open_tasks, done_tasks=done_tasks)
    *changes, open_tasks, done_tasks = db.session.execute(_activity(), values).one()
    return Activity(since, *changes, open_tasks=open_tasks, done_tasks=done_tasks)


# The statements are built once, with parameters: building eleven counts anew and computing
# their cache key took two thirds of the time of the call on every visit of a space.
_group_id, _since, _others = bindparam("group_id"), bindparam("since"), bindparam("others")


@cache
def _task_list(done: bool, whole: bool):
    """The open tasks by due date or the finished ones latest first; the first ones or all."""
    tasks = select(Task).where(Task.group_id == _group_id).options(joinedload(Task.owner))
    if done:
        return (
            tasks.where(Task.state == "done")
            .order_by(Task.updated_at.desc(), Task.id.desc())
            .limit(None if whole else DONE_SHOWN)
        )
    return (
        tasks.where(Task.state != "done")
        .order_by(Task.due_on.is_(None), Task.due_on, Task.created_at, Task.id)
        .limit(None if whole else OPEN_SHOWN)
    )


@cache
def _task_counts():
    is_done = Task.state == "done"
    return select(
        count(Task, Task.group_id == _group_id, ~is_done),
        count(Task, Task.group_id == _group_id, is_done),
    )


@cache
def _activity():
    group_item = (Item.visibility == "group") & (Item.group_id == _group_id)
    return select(
        count(Item, group_item, Item.created_at > _since, Item.author_id.is_distinct_from(_others)),
        count(
            Reply,
            Reply.created_at > _since,
            Reply.item_id.in_(select(Item.id).where(group_item)),
            Reply.author_id.is_distinct_from(_others),
        ),
        count(
            Task,
            Task.group_id == _group_id,
            Task.created_at > _since,
            Task.created_by_id.is_distinct_from(_others),
        ),
        count(Task, Task.group_id == _group_id, Task.state == "done", Task.updated_at > _since),
        count(
            Membership,
            Membership.group_id == _group_id,
            Membership.state == "member",
            Membership.joined_at > _since,
            Membership.member_id != _others,
        ),
        count(
            GroupNote,
            GroupNote.group_id == _group_id,
            GroupNote.created_at > _since,
            GroupNote.author_id.is_distinct_from(_others),
        ),
        count(
            GroupMessage,
            GroupMessage.group_id == _group_id,
            GroupMessage.created_at > _since,
            GroupMessage.deleted_at.is_(None),
            GroupMessage.author_id.is_distinct_from(_others),
        ),
        count(
            GroupDocument,
            GroupDocument.group_id == _group_id,
            GroupDocument.updated_at > _since,
            GroupDocument.deleted_at.is_(None),
        ),
        count(
            Proposal,
            Proposal.group_id == _group_id,
            Proposal.created_at > _since,
            Proposal.author_id.is_distinct_from(_others),
        ),
        *_task_counts().selected_columns,
    )


def record_visit(membership: Membership) -> datetime | None:
    """Remember this visit; returns the one before it."""
    previous = membership.last_visit_at
    membership.last_visit_at = utcnow()
    db.session.flush()
    return previous


# --- wrapping up -------------------------------------------------------------------------------

RESULT_FIELDS = ("title", "made", "learned", "worked", "failed", "links", "visibility")
#: What the lead attaches to the result: ids of documents and of decided proposals.
ATTACHED = ("documents", "proposals")


def start_wrap_up(group: WorkingGroup) -> WorkingGroup:
    """The lead starts the wrap-up: the group takes no new members; the result is written."""
    _require_active(group, "made")
    if group.state == "active":
        group.state = "wrapping_up"
        group.result = {"visibility": "members"}
        _recount(group)
    return group


def save_result(group: WorkingGroup, result: dict[str, str]) -> WorkingGroup:
    """The lead writes the *opbrengst*: what we made and what we learned (required)."""
    if group.state != "wrapping_up":
        raise RuleError("made", _("Start the wrap-up first."))
    clean = {name: (result.get(name) or "").strip() for name in RESULT_FIELDS}
    if not clean["title"]:
        raise RuleError("title", _("Give the result a title."))
    if not clean["made"]:
        raise RuleError("made", _("Write what the group made."))
    if not clean["learned"]:
        raise RuleError("learned", _("Write what the group learned."))
    if clean["visibility"] not in ("public", "members"):
        raise RuleError("visibility", _("Choose who can read this."))
    # What is attached to the result is chosen apart (``choose_for_result``) and kept.
    group.result = clean | {key: list((group.result or {}).get(key) or []) for key in ATTACHED}
    group.updated_at = utcnow()
    db.session.flush()
    return group


def choose_for_result(group: WorkingGroup, document_ids: list[int], proposal_ids: list[int]):
    """The lead chooses the documents and decided proposals to publish with the result (only
    the group's own, not deleted, decided)."""
    if group.state != "wrapping_up":
        raise RuleError("made", _("Start the wrap-up first."))
    documents = db.session.scalars(
        select(GroupDocument.id).where(
            GroupDocument.id.in_(document_ids or []),
            GroupDocument.group_id == group.id,
            GroupDocument.deleted_at.is_(None),
        )
    ).all()
    decided = db.session.scalars(
        select(Proposal.id).where(
            Proposal.id.in_(proposal_ids or []),
            Proposal.group_id == group.id,
            Proposal.outcome.is_not(None),
        )
    ).all()
    group.result = (group.result or {}) | {
        "documents": sorted(documents),
        "proposals": sorted(decided),
    }
    db.session.flush()
    return group


def publish_result(group: WorkingGroup, by: Member) -> Item:
    """Publish the result to the Kennisbank as an experience by the lead, with the other
    members as co-authors, linked to the group; the group is then archived (read-only)."""
    if group.state != "wrapping_up":
        raise RuleError("made", _("Start the wrap-up first."))
    result = group.result or {}
    save_result(group, result)  # the same checks as when it was written
    member_ids = list(
        db.session.scalars(
            select(Membership.member_id).where(
                Membership.group_id == group.id, Membership.state == "member"
            )
        )
    )
    item = post_item(
        by,
        ItemChange(
            kind="ervaring",
            title=result["title"][:200],
            visibility=result["visibility"] if result["visibility"] in VISIBILITIES else "members",
            fields={
                "what_we_did": result["made"],
                "what_worked": result.get("worked", ""),
                "what_failed": result.get("failed", ""),
                "lesson": result["learned"],
                "links": result.get("links", ""),
            },
            theme_ids=[t.id for t in group.themes],
        ),
    )
    item.coauthors = list(
        db.session.scalars(
            select(Member)
            .where(Member.id.in_(member_ids), Member.id != by.id)
            .order_by(Member.name)
        )
    )
    group.result_item_id = item.id
    for document in db.session.scalars(
        select(GroupDocument).where(
            GroupDocument.id.in_(result.get("documents") or []),
            GroupDocument.group_id == group.id,
            GroupDocument.deleted_at.is_(None),
        )
    ):
        document.result_item_id = item.id  # as visible as the result from now on
    for proposal in db.session.scalars(
        select(Proposal).where(
            Proposal.id.in_(result.get("proposals") or []),
            Proposal.group_id == group.id,
            Proposal.outcome.is_not(None),
        )
    ):
        proposal.in_result = True
    group.state = "archived"
    group.archived_at = utcnow()
    _recount(group)
    return item
