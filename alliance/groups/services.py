"""The rules of working groups: starting and editing one, who is in it, the time box, and the
lifecycle from active through wrapping up to archived (with the result published)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select, update

from alliance.core import audience, signals
from alliance.core.errors import RuleError
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import (
    JOIN_POLICIES,
    MAX_DAYS,
    MAX_SIZE_CAP,
    Membership,
    Task,
    WorkingGroup,
)
from alliance.members.models import Member
from alliance.themes.models import Theme

# --- who is in and who may do what -------------------------------------------------------------


def membership_of(group: WorkingGroup, member) -> Membership | None:
    """``member``'s row in ``group`` (whatever its state), or None."""
    if not getattr(member, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.member_id == member.id)
    )


def is_member(membership: Membership | None) -> bool:
    """The row says: in the group (and so in its private space)."""
    return membership is not None and membership.state == "member"


def is_lead(membership: Membership | None) -> bool:
    """The row says: a *trekker* of the group."""
    return membership is not None and membership.is_lead


def _count_members(group: WorkingGroup) -> None:
    db.session.flush()
    group.member_count = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.group_id == group.id, Membership.state == "member"
        )
    )


def _recount(group: WorkingGroup) -> None:
    """The member count from the rows; who is in may have changed, so the audience asks again
    and search reindexes the group."""
    _count_members(group)
    group.updated_at = utcnow()
    db.session.flush()
    audience.forget()
    signals.content_changed.send("group", ref_id=group.id)


def _locked(group: WorkingGroup) -> WorkingGroup:
    """The group row locked until commit (``FOR UPDATE`` on PostgreSQL; SQLite's writers run
    one at a time) with its member count read from the rows: whether there is room is then
    decided by one request at a time, and ten joins at once cannot pass a cap of three.

    Every change of who is in a group takes this lock first, before it touches a membership
    row: one order of locks (group, then memberships), so two changes at once wait for each
    other instead of deadlocking (a member leaving the waiting list while a place frees up)."""
    locked = db.session.scalar(
        select(WorkingGroup)
        .where(WorkingGroup.id == group.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    _count_members(locked)
    return locked


def _acting_id() -> int | None:
    """The member doing this in the current request (a lead), if any."""
    if has_request_context() and current_user.is_authenticated:
        return current_user.id
    return None


def _require_active(group: WorkingGroup, field_name: str) -> None:
    if group.state == "archived":
        raise RuleError(field_name, _("This working group is archived: it can only be read."))


# --- starting and editing a group --------------------------------------------------------------


@dataclass
class GroupChange:
    """The fields of a group as its founder or lead submits them."""

    name: str
    opgave: str
    deliverable: str
    ends_on: date | None
    description: str = ""
    join_policy: str = "request"
    size_cap: int | None = 8
    starts_on: date | None = None
    theme_ids: list[int] = field(default_factory=list)


def _check(change: GroupChange, group: WorkingGroup | None) -> date:
    if not change.name.strip():
        raise RuleError("name", _("Give the working group a name."))
    if not change.opgave.strip():
        raise RuleError("opgave", _("Write down the question the group takes on."))
    if not change.deliverable.strip():
        raise RuleError("deliverable", _("Say what the group will deliver."))
    if change.join_policy not in JOIN_POLICIES:
        raise RuleError("join_policy", _("Choose how members can join."))
    if change.size_cap is None or not 2 <= change.size_cap <= MAX_SIZE_CAP:
        raise RuleError(
            "size_cap", _("Choose a maximum between 2 and %(max)d members.", max=MAX_SIZE_CAP)
        )
    if group is not None and change.size_cap < group.member_count:
        raise RuleError(
            "size_cap",
            _(
                "The group already has %(num)d members: the maximum cannot be lower.",
                num=group.member_count,
            ),
        )
    starts_on = group.starts_on if group else (change.starts_on or utcnow().date())
    if change.ends_on is None:
        raise RuleError("ends_on", _("Choose an end date: working groups are time-boxed."))
    if change.ends_on < utcnow().date() and (group is None or change.ends_on != group.ends_on):
        raise RuleError("ends_on", _("The end date is in the past. Choose a later date."))
    if change.ends_on <= starts_on:
        raise RuleError("ends_on", _("The end date must be after the start date."))
    limit = starts_on + timedelta(days=MAX_DAYS)
    if group is not None and group.extension_reason is not None:
        limit = max(limit, group.ends_on)  # extended once: the new end date is the limit
    if change.ends_on > limit:
        raise RuleError(
            "ends_on", _("A working group runs at most a year. Choose an earlier end date.")
        )
    return starts_on


def _apply(group: WorkingGroup, change: GroupChange) -> None:
    group.name = " ".join(change.name.split())
    group.opgave = change.opgave.strip()
    group.deliverable = " ".join(change.deliverable.split())
    group.description = change.description.strip()
    group.join_policy = change.join_policy
    group.size_cap = change.size_cap
    group.ends_on = change.ends_on
    group.themes = list(
        db.session.scalars(
            select(Theme).where(Theme.id.in_(change.theme_ids or [0]), Theme.retired_at.is_(None))
        )
    )
    group.updated_at = utcnow()


def start_group(founder: Member, change: GroupChange, dilemma=None) -> WorkingGroup:
    """Any member starts a group (also from a dilemma, which it then links to) and leads it."""
    starts_on = _check(change, None)
    group = WorkingGroup(
        starts_on=starts_on,
        created_by_id=founder.id,
        dilemma_id=dilemma.id if dilemma is not None else None,
        member_count=1,
        result={},
    )
    _apply(group, change)
    db.session.add(group)
    db.session.flush()
    now = utcnow()
    db.session.add(
        Membership(
            group_id=group.id,
            member_id=founder.id,
            state="member",
            role="lead",
            joined_at=now,
            last_visit_at=now,
        )
    )
    _recount(group)
    return group


def edit_group(group: WorkingGroup, change: GroupChange) -> WorkingGroup:
    """The lead changes the description, the cap, the end date (earlier only: a later one is
    an extension, once and with a reason)..."""
    _require_active(group, "name")
    if change.ends_on is not None and change.ends_on > group.ends_on:
        if group.extension_reason is not None:
            raise RuleError("ends_on", _("This working group has been extended once already."))
        raise RuleError(
            "ends_on", _("Use “Extend” on the group's page to give it more time, and say why.")
        )
    _check(change, group)
    _apply(group, change)
    _recount(group)
    return group


def extend_group(group: WorkingGroup, ends_on: date | None, reason: str) -> WorkingGroup:
    """The lead moves the end date on, once, and says why (at most a year more)."""
    _require_active(group, "ends_on")
    if group.extension_reason is not None:
        raise RuleError("ends_on", _("This working group has been extended once already."))
    if not reason.strip():
        raise RuleError("reason", _("Say why the group needs more time."))
    if ends_on is None or ends_on <= max(group.ends_on, utcnow().date()):
        raise RuleError("ends_on", _("Choose a date after the current end date."))
    if ends_on > group.ends_on + timedelta(days=MAX_DAYS):
        raise RuleError("ends_on", _("Extend by at most a year."))
    group.ends_on = ends_on
    group.extension_reason = reason.strip()
    _recount(group)
    return group


# --- joining, asking, inviting, leaving --------------------------------------------------------


def _admit(group: WorkingGroup, membership: Membership) -> None:
    membership.state = "member"
    membership.role = membership.role or "member"
    membership.joined_at = utcnow()
    membership.message = ""


def join(group: WorkingGroup, member: Member, contribution: str = "") -> Membership:
    """Join an open group, ask to join one "on request" (saying what you bring), or accept an
    invitation. A full group puts the member on its waiting list."""
    group = _locked(group)
    _require_active(group, "contribution")
    if group.state != "active":
        raise RuleError("contribution", _("This group is wrapping up: it takes no new members."))
    membership = membership_of(group, member)
    if membership is not None:
        if membership.state == "member":
            raise RuleError("contribution", _("You are already a member of this group."))
        if membership.state in ("requested", "waiting"):
            raise RuleError("contribution", _("You have already asked to join. Please wait."))
    contribution = contribution.strip()
    invited = membership is not None and membership.state == "invited"
    if not invited and group.join_policy == "invite":
        raise RuleError("contribution", _("This group only takes members it invites."))
    if not invited and group.join_policy == "request" and not contribution:
        raise RuleError("contribution", _("Tell the group what you bring."))
    if membership is None:
        membership = Membership(group_id=group.id, member_id=member.id, role="member")
        db.session.add(membership)
    membership.contribution = contribution or membership.contribution
    membership.created_at = utcnow()
    if group.is_full:
        membership.state = "waiting"
    elif invited or group.join_policy == "open":
        _admit(group, membership)
        membership.last_visit_at = None
    else:
        membership.state = "requested"
    _recount(group)
    signals.join_requested.send(group, membership=membership, lead_ids=lead_ids(group))
    return membership


def decline_invitation(group: WorkingGroup, member: Member) -> None:
    """The invited member says no: the invitation is gone."""
    group = _locked(group)
    membership = membership_of(group, member)
    if membership is None or membership.state != "invited":
        raise RuleError("contribution", _("There is no invitation to answer."))
    db.session.delete(membership)
    _recount(group)


def approve(group: WorkingGroup, membership: Membership, message: str = "") -> Membership:
    """The lead lets in someone who asked (or waits): only while there is room."""
    group = _locked(group)
    _require_active(group, "message")
    if membership.group_id != group.id or membership.state not in ("requested", "waiting"):
        raise RuleError("message", _("This request has been answered already."))
    if group.is_full:
        raise RuleError(
            "message", _("The group is full. Raise the maximum or wait until someone leaves.")
        )
    _admit(group, membership)
    membership.message = message.strip()
    _recount(group)
    signals.join_answered.send(group, membership=membership, approved=True, by_id=_acting_id())
    return membership


def decline(group: WorkingGroup, membership: Membership, message: str) -> Membership:
    """The lead says no to a request, with a message the member reads on the group page."""
    group = _locked(group)
    _require_active(group, "message")
    if membership.group_id != group.id or membership.state not in ("requested", "waiting"):
        raise RuleError("message", _("This request has been answered already."))
    if not message.strip():
        raise RuleError("message", _("Write a short message to explain your answer."))
    membership.state = "declined"
    membership.message = message.strip()
    _recount(group)
    signals.join_answered.send(group, membership=membership, approved=False, by_id=_acting_id())
    return membership


def invite(group: WorkingGroup, by: Member, member_id: int | None) -> Membership:
    """The lead invites a member (who then accepts or declines)."""
    group = _locked(group)
    _require_active(group, "member_id")
    member = db.session.get(Member, member_id or 0)
    if member is None or member.email_confirmed_at is None:
        raise RuleError("member_id", _("Choose a member to invite."))
    membership = membership_of(group, member)
    if membership is not None and membership.state == "member":
        raise RuleError("member_id", _("%(name)s is already a member.", name=member.name))
    if membership is not None and membership.state == "invited":
        raise RuleError("member_id", _("%(name)s has been invited already.", name=member.name))
    if group.is_full:
        raise RuleError("member_id", _("The group is full. Raise the maximum first."))
    if membership is None:
        membership = Membership(group_id=group.id, member_id=member.id, role="member")
        db.session.add(membership)
    membership.state = "invited"
    membership.invited_by_id = by.id
    membership.created_at = utcnow()
    _recount(group)
    signals.member_invited.send(group, membership=membership, by=by)
    return membership


def lead_ids(group: WorkingGroup) -> list[int]:
    """The members who lead ``group`` now."""
    return list(
        db.session.scalars(
            select(Membership.member_id).where(
                Membership.group_id == group.id,
                Membership.state == "member",
                Membership.role == "lead",
            )
        )
    )


def _leads(group: WorkingGroup) -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.group_id == group.id,
            Membership.state == "member",
            Membership.role == "lead",
        )
    )


def _free_place(group: WorkingGroup) -> None:
    """An open group lets in the first on its waiting list when a place frees up."""
    group = _locked(group)
    if group.join_policy == "open" and group.state == "active" and not group.is_full:
        first = db.session.scalar(
            select(Membership)
            .where(Membership.group_id == group.id, Membership.state == "waiting")
            .order_by(Membership.created_at, Membership.id)
            .limit(1)
        )
        if first is not None:
            _admit(group, first)
    _recount(group)


def _membership_ended(group: WorkingGroup, member_id: int) -> None:
    """Someone who is no longer in the group owns none of its open tasks: they go back to
    "nobody yet". Done tasks keep the name: that is the record of who did the work. The other
    features hear of it (the agenda takes them off the group's events)."""
    audience.forget(member_id)
    if group.state == "archived":  # read-only: finished work stays as it was
        return
    db.session.execute(
        update(Task)
        .where(Task.group_id == group.id, Task.owner_id == member_id, Task.state != "done")
        .values(owner_id=None)
    )
    member = db.session.get(Member, member_id)
    if member is not None:
        signals.membership_ended.send(group.id, member=member)


def leave(group: WorkingGroup, member: Member) -> None:
    """A member leaves (or withdraws a request); the last lead hands over first."""
    group = _locked(group)
    membership = membership_of(group, member)
    if membership is None or membership.state == "declined":
        raise RuleError("contribution", _("You are not in this group."))
    if membership.is_lead and _leads(group) == 1 and group.member_count > 1:
        raise RuleError("contribution", _("You are the only lead. Hand over to someone first."))
    if membership.is_lead and group.member_count == 1 and group.state != "archived":
        raise RuleError("contribution", _("You are the last member. Wrap up the group instead."))
    db.session.delete(membership)
    _membership_ended(group, member.id)
    _free_place(group)


def remove(group: WorkingGroup, membership: Membership) -> None:
    """The lead takes someone out of the group: their access ends at once."""
    group = _locked(group)
    _require_active(group, "member_id")
    if membership.group_id != group.id or membership.state != "member":
        raise RuleError("member_id", _("This person is not a member of the group."))
    if membership.is_lead and _leads(group) == 1:
        raise RuleError("member_id", _("A group needs a lead. Hand over first."))
    db.session.delete(membership)
    _membership_ended(group, membership.member_id)
    _free_place(group)


def set_role(group: WorkingGroup, membership: Membership, role: str) -> Membership:
    """Make a member lead too, or make a lead an ordinary member again (at least one lead)."""
    group = _locked(group)
    _require_active(group, "role")
    if membership.group_id != group.id or membership.state != "member":
        raise RuleError("role", _("This person is not a member of the group."))
    if role not in ("lead", "member"):
        raise RuleError("role", _("Choose lead or member."))
    if role == "member" and membership.is_lead and _leads(group) == 1:
        raise RuleError("role", _("A group needs a lead. Make someone else lead first."))
    membership.role = role
    _recount(group)
    return membership


def hand_over(group: WorkingGroup, lead: Membership, successor: Membership) -> None:
    """The lead passes the lead to another member and becomes an ordinary member."""
    set_role(group, successor, "lead")
    set_role(group, lead, "member")


def depart(group: WorkingGroup, member: Member) -> None:
    """A member leaves for good (their account is deleted): a sole lead first hands over to
    the longest-standing member; with nobody to hand over to, the group goes on without one.
    An archived group stays as it was: nobody becomes the lead of work that is finished."""
    group = _locked(group)
    membership = membership_of(group, member)
    if membership is None:
        return
    if membership.is_lead and _leads(group) == 1 and group.state != "archived":
        successor = db.session.scalar(
            select(Membership)
            .where(
                Membership.group_id == group.id,
                Membership.state == "member",
                Membership.member_id != member.id,
            )
            .order_by(Membership.joined_at, Membership.id)
            .limit(1)
        )
        if successor is not None:
            hand_over(group, membership, successor)
    db.session.delete(membership)
    _membership_ended(group, member.id)
    _free_place(group)
