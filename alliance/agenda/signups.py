"""Signing up: a place while there is room (decided by the database), else the waiting list,
which moves up by itself when a place opens. The member hears of it through
``signals.signup_changed``."""

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from alliance.agenda.models import Event, Signup
from alliance.core import audience, signals
from alliance.core.errors import RuleError
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.members.models import Member

# --- signing up ---------------------------------------------------------------------------------


def signup_of(event: Event, member) -> Signup | None:
    """``member``'s row for ``event`` (whatever its state), or None."""
    if not audience.is_member(member):
        return None
    return db.session.scalar(
        select(Signup).where(Signup.event_id == event.id, Signup.member_id == member.id)
    )


def is_open_for_signup(event: Event) -> bool:
    """Approved and not started: sign-up closes at the start."""
    return event.state == "approved" and not event.has_started


def _take_place(event_id: int) -> bool:
    """Take one place, decided by the database: the counter only goes up while there is
    room, so two requests at the same moment cannot both take the last place (PostgreSQL
    re-checks the condition on the locked row; SQLite writers run one at a time)."""
    taken = db.session.execute(
        update(Event)
        .where(
            Event.id == event_id,
            Event.state == "approved",
            or_(Event.capacity.is_(None), Event.participant_count < Event.capacity),
        )
        .values(participant_count=Event.participant_count + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    return taken == 1


def _give_back_place(event_id: int) -> None:
    db.session.execute(
        update(Event)
        .where(Event.id == event_id, Event.participant_count > 0)
        .values(participant_count=Event.participant_count - 1)
        .execution_options(synchronize_session=False)
    )


def sign_up(event: Event, member: Member) -> Signup:
    """Sign up; when the event is full, join the waiting list. The member is told which."""
    if event.state != "approved":
        raise RuleError("signup", _("This event is not in the agenda yet."))
    if event.has_started:
        raise RuleError("signup", _("Sign-up has closed: the event has started."))
    already = _("You are already signed up or on the waiting list.")
    signup = signup_of(event, member)
    now = utcnow()
    if signup is None:
        try:
            with db.session.begin_nested():
                signup = Signup(
                    event_id=event.id, member_id=member.id, state="pending", queued_at=now
                )
                db.session.add(signup)
        except IntegrityError as error:  # the same member, twice at the same moment
            raise RuleError("signup", already) from error
    else:
        claimed = db.session.execute(
            update(Signup)
            .where(Signup.id == signup.id, Signup.state == "cancelled")
            .values(state="pending", queued_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            raise RuleError("signup", already)
    signup.state = "signed_up" if _take_place(event.id) else "waiting"
    signup.queued_at = now
    db.session.flush()
    db.session.refresh(event)
    signals.signup_changed.send(event, member=member, state=signup.state)
    return signup


def cancel(event: Event, member: Member) -> None:
    """Cancel a place or leave the waiting list. A freed place goes to the first on the
    waiting list, who is told."""
    signup = signup_of(event, member)
    if signup is None or signup.state not in ("signed_up", "waiting"):
        raise RuleError("signup", _("You are not signed up for this event."))
    if event.has_started:
        raise RuleError("signup", _("The event has started: cancelling is no longer possible."))
    had_place = signup.state == "signed_up"
    left = db.session.execute(
        update(Signup)
        .where(Signup.id == signup.id, Signup.state == signup.state)
        .values(state="cancelled")
        .execution_options(synchronize_session=False)
    ).rowcount
    if left and had_place:
        _give_back_place(event.id)
    db.session.flush()
    db.session.expire(signup)
    db.session.refresh(event)
    promote(event)


def _still_invited(event: Event):
    """A group's event moves up only who is in the group now (someone who left before leaving
    took their sign-ups along waits for nothing)."""
    if event.group_id is None:
        return true()
    return audience.in_group(event.group_id, Signup.member_id)


def promote(event: Event) -> list[Signup]:
    """Move members up from the waiting list while there are places, first come first."""
    moved = []
    if event.has_started or event.state != "approved":
        return moved
    while True:
        statement = (
            select(Signup)
            .where(Signup.event_id == event.id, Signup.state == "waiting", _still_invited(event))
            .order_by(Signup.queued_at, Signup.id)
            .limit(1)
        )
        if db.engine.dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        first = db.session.scalar(statement)
        if first is None or not _take_place(event.id):
            break
        first.state = "signed_up"
        db.session.flush()
        moved.append(first)
    db.session.refresh(event)
    for signup in moved:
        signals.signup_changed.send(event, member=signup.member, state="moved_up")
    return moved


def participants(event: Event) -> tuple[list[Signup], list[Signup]]:
    """Who is signed up (in order of sign-up) and who waits (in order), with their member."""
    rows = list(
        db.session.scalars(
            select(Signup)
            .options(joinedload(Signup.member))
            .where(Signup.event_id == event.id, Signup.state.in_(("signed_up", "waiting")))
            .order_by(Signup.queued_at, Signup.id)
        )
    )
    return [s for s in rows if s.state == "signed_up"], [s for s in rows if s.state == "waiting"]


def waiting_position(event: Event, signup: Signup) -> int:
    """1 for the first on the waiting list."""
    return 1 + db.session.scalar(
        select(func.count(Signup.id)).where(
            Signup.event_id == event.id,
            Signup.state == "waiting",
            or_(
                Signup.queued_at < signup.queued_at,
                (Signup.queued_at == signup.queued_at) & (Signup.id < signup.id),
            ),
        )
    )


def withdraw_member(member: Member) -> int:
    """Before an account is deleted: give back every place at an event that has not started
    (the waiting list moves up, and is told) and leave every waiting list. Past sign-ups go
    with the account (ON DELETE CASCADE); the counts of past events stay as they were.
    Events the member organised stay, with no organiser (``organiser_id`` is SET NULL).
    Returns the number of sign-ups withdrawn."""
    rows = list(
        db.session.scalars(
            select(Signup)
            .join(Event, Event.id == Signup.event_id)
            .where(
                Signup.member_id == member.id,
                Signup.state.in_(("signed_up", "waiting")),
                Event.starts_at > utcnow(),
            )
        )
    )
    for signup in rows:
        cancel(signup.event, member)
    return len(rows)


def withdraw_from_group(group_id: int, member: Member) -> None:
    """Who leaves a working group, or is taken out of it, leaves its events too: a place at
    one that has not started goes back (the waiting list moves up and is told), and no
    sign-up of theirs stays behind, past ones included: a group's events are its members'."""
    rows = list(
        db.session.scalars(
            select(Signup)
            .join(Event, Event.id == Signup.event_id)
            .where(Signup.member_id == member.id, Event.group_id == group_id)
        )
    )
    for signup in rows:
        if signup.state in ("signed_up", "waiting") and not signup.event.has_started:
            cancel(signup.event, member)  # the place goes back, the waiting list moves up
        elif signup.state == "signed_up":
            _give_back_place(signup.event_id)  # started or past: the count follows the rows
    for signup in rows:
        db.session.delete(signup)
    db.session.flush()
