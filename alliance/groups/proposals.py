"""Decisions of a working group ("Voorstellen"): any member proposes with a closing day; the
members respond eens, onthouden, niet eens or blokkeren (a block needs a reason) and may change
their response until it closes; everyone sees who said what. At the close the proposer or a
lead records the outcome in one sentence. Members who have not responded get one reminder the
day before it closes (``flask notify reminders``)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from alliance.core import audience, signals
from alliance.core.errors import RuleError
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import Membership, WorkingGroup
from alliance.groups.services import _require_active
from alliance.groups.workmodels import POSITIONS, Proposal, ProposalResponse
from alliance.members.models import Member

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")
MAX_DAYS_OPEN = 60
#: Decided proposals the space shows (the rest stay in the wrap-up).
DECIDED_SHOWN = 5


def end_of_day(day: date) -> datetime:
    """Midnight after ``day`` in the Netherlands, as naive UTC (how times are stored)."""
    local = datetime.combine(day + timedelta(days=1), time()).replace(tzinfo=LOCAL_ZONE)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def local_day(moment: datetime) -> date:
    """The day in the Netherlands a stored (UTC) moment falls on."""
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(LOCAL_ZONE).date()


def _member_ids(group: WorkingGroup) -> list[int]:
    return list(
        db.session.scalars(
            select(Membership.member_id).where(
                Membership.group_id == group.id, Membership.state == "member"
            )
        )
    )


def propose(
    group: WorkingGroup, by: Member, title: str, body: str, closes_on: date | None
) -> Proposal:
    """A member puts a proposal to the group; the others are asked to respond."""
    _require_active(group, "title")
    title = " ".join((title or "").split())
    if not title:
        raise RuleError("title", _("Say what you propose."))
    today = local_day(utcnow())
    if closes_on is None or closes_on < today:
        raise RuleError("closes_on", _("Choose today or a day after it."))
    if closes_on > today + timedelta(days=MAX_DAYS_OPEN):
        raise RuleError(
            "closes_on", _("A proposal is open for at most %(num)d days.", num=MAX_DAYS_OPEN)
        )
    proposal = Proposal(
        group_id=group.id,
        author_id=by.id,
        title=title[:200],
        body=(body or "").strip(),
        closes_at=end_of_day(closes_on),
    )
    db.session.add(proposal)
    db.session.flush()
    signals.proposal_opened.send(group, proposal=proposal, member_ids=_member_ids(group))
    return proposal


def respond(
    group: WorkingGroup, proposal: Proposal, member: Member, position: str, reason: str
) -> ProposalResponse:
    """A member responds, or changes their response, while the proposal is open."""
    _require_active(group, "position")
    if not proposal.is_open():
        raise RuleError("position", _("This proposal is closed."))
    if position not in POSITIONS:
        raise RuleError("position", _("Choose agree, abstain, disagree or block."))
    reason = (reason or "").strip()
    if position == "block" and not reason:
        raise RuleError("reason", _("Say why you block: the group needs to know what to change."))
    existing = db.session.scalar(
        select(ProposalResponse).where(
            ProposalResponse.proposal_id == proposal.id, ProposalResponse.member_id == member.id
        )
    )
    if existing is None:
        existing = ProposalResponse(proposal_id=proposal.id, member_id=member.id)
        try:
            with db.session.begin_nested():  # two clicks at once: the second one updates
                db.session.add(existing)
                existing.position, existing.reason = position, reason
        except IntegrityError:
            existing = db.session.scalar(
                select(ProposalResponse).where(
                    ProposalResponse.proposal_id == proposal.id,
                    ProposalResponse.member_id == member.id,
                )
            )
    existing.position, existing.reason, existing.updated_at = position, reason, utcnow()
    db.session.flush()
    return existing


def may_decide(proposal: Proposal, member_id: int, is_lead: bool) -> bool:
    """The proposer and the leads close a proposal and record its outcome."""
    return is_lead or proposal.author_id == member_id


def close_now(group: WorkingGroup, proposal: Proposal, by: Member, is_lead: bool) -> Proposal:
    """The proposer or a lead closes the proposal before its day (everyone has responded)."""
    _require_active(group, "outcome")
    if not may_decide(proposal, by.id, is_lead):
        raise RuleError("outcome", _("Only the proposer or a lead can close the proposal."))
    if proposal.is_open():
        proposal.closes_at = utcnow()
        db.session.flush()
    return proposal


def record_outcome(
    group: WorkingGroup, proposal: Proposal, by: Member, outcome: str, is_lead: bool
) -> Proposal:
    """At the close, the proposer or a lead writes what was decided, in one sentence."""
    _require_active(group, "outcome")
    if not may_decide(proposal, by.id, is_lead):
        raise RuleError("outcome", _("Only the proposer or a lead can record the outcome."))
    if proposal.is_open():
        raise RuleError("outcome", _("The proposal is still open. Close it first."))
    outcome = " ".join((outcome or "").split())
    if not outcome:
        raise RuleError("outcome", _("Write the outcome in one sentence."))
    first = proposal.outcome is None
    proposal.outcome = outcome[:300]
    proposal.outcome_by_id = by.id
    proposal.decided_at = utcnow()
    db.session.flush()
    if first:
        signals.proposal_decided.send(group, proposal=proposal, member_ids=_member_ids(group))
    return proposal


# --- reading -----------------------------------------------------------------------------------


@dataclass
class ProposalLists:
    """Open proposals (and closed ones waiting for their outcome), the latest decided ones."""

    open: list[Proposal]
    decided: list[Proposal]


def proposals_of(group: WorkingGroup) -> ProposalLists:
    """Every undecided proposal and the latest decided ones, each with its responses and who
    gave them: one statement."""
    rows = db.session.scalars(_undecided_and_latest(), {"group_id": group.id}).unique().all()
    return ProposalLists(
        [p for p in rows if p.outcome is None],
        sorted(
            (p for p in rows if p.outcome is not None), key=lambda p: p.decided_at, reverse=True
        ),
    )


@cache
def _undecided_and_latest():
    """Built once, with the group as a parameter: building it and its cache key anew took a
    third of the time of every visit of a space."""
    group_id = bindparam("group_id")
    undecided = Proposal.outcome.is_(None)
    latest = (
        select(Proposal.id)
        .where(Proposal.group_id == group_id, ~undecided)
        .order_by(Proposal.decided_at.desc())
        .limit(DECIDED_SHOWN)
    )
    return (
        select(Proposal)
        .where(Proposal.group_id == group_id, undecided | Proposal.id.in_(latest))
        .options(
            # Only the names: whole member rows are most of the cost of this page.
            joinedload(Proposal.author).load_only(Member.id, Member.name),
            joinedload(Proposal.responses)
            .joinedload(ProposalResponse.member)
            .load_only(Member.id, Member.name),
        )
        .order_by(Proposal.closes_at, Proposal.id)
    )


def decided_of(group: WorkingGroup) -> list[Proposal]:
    """Every decided proposal of the group (the wrap-up)."""
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.group_id == group.id, Proposal.outcome.is_not(None))
            .order_by(Proposal.decided_at)
        )
    )


def load_proposal(group: WorkingGroup, proposal_id: int) -> Proposal | None:
    """A proposal of this group."""
    proposal = db.session.get(Proposal, proposal_id)
    return proposal if proposal is not None and proposal.group_id == group.id else None


def awaiting_response(member, limit: int = 5) -> list[tuple[Proposal, str]]:
    """The open proposals in ``member``'s current groups they have not responded to yet,
    closing soonest first, with the group's name (for "Jouw beurt" on the home page): at most
    ``limit``, in one statement."""
    if not audience.is_member(member):
        return []
    answered = exists().where(
        ProposalResponse.proposal_id == Proposal.id, ProposalResponse.member_id == member.id
    )
    rows = db.session.execute(
        select(Proposal, WorkingGroup.name)
        .join(WorkingGroup, WorkingGroup.id == Proposal.group_id)
        .where(
            Proposal.group_id.in_(audience.group_ids_query(member)),
            Proposal.closes_at > utcnow(),
            Proposal.author_id.is_distinct_from(member.id),
            WorkingGroup.state != "archived",
            ~answered,
        )
        .order_by(Proposal.closes_at, Proposal.id)
        .limit(limit)
    ).all()
    return [(proposal, name) for proposal, name in rows]


def closing_reminders(today: date) -> list[tuple[Proposal, int]]:
    """(proposal, member id) for every member who has not responded to a proposal that closes
    tomorrow or today (one reminder each: the key is the proposal's)."""
    soon = end_of_day(today + timedelta(days=1))
    answered = exists().where(
        ProposalResponse.proposal_id == Proposal.id,
        ProposalResponse.member_id == Membership.member_id,
    )
    rows = db.session.execute(
        select(Proposal, Membership.member_id)
        .join(Membership, Membership.group_id == Proposal.group_id)
        .join(WorkingGroup, WorkingGroup.id == Proposal.group_id)
        .where(
            Membership.state == "member",
            WorkingGroup.state != "archived",
            Proposal.closes_at > utcnow(),
            Proposal.closes_at <= soon,
            Proposal.author_id.is_distinct_from(Membership.member_id),
            ~answered,
        )
    ).all()
    return [(proposal, member_id) for proposal, member_id in rows]
