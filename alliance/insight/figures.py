"""The figures of network health, each one or a few SQL aggregates (no loops over rows).

What is counted: the Kennisbank as the network shares it — items and replies that are not
hidden by the moderation and not in a working group's private space (its discussion is the
group's own business); only "active members" (growth) counts activity anywhere. Counting reveals no content; who may *read* what stays with
``knowledge.access``, which the action lists (titles, names) go through."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, literal, not_, or_, select, union_all
from sqlalchemy.orm import aliased

from alliance.agenda.models import Event, Signup, event_themes
from alliance.core.timeutil import utcnow
from alliance.extensions import db
from alliance.groups.models import WorkingGroup, group_themes
from alliance.insight.periods import Period
from alliance.insight.sql import day_of, days_between, month_of
from alliance.knowledge.access import visible_to
from alliance.knowledge.models import KINDS, Item, ItemMark, Reply, item_themes
from alliance.members.models import PERSPECTIVES, Member, member_themes
from alliance.notify.models import NotificationSetting
from alliance.themes.models import Theme

ANSWER_BUCKETS = ("day", "three_days", "week", "later", "none")


def counted_items():
    """The items the figures are about (see the module's docstring)."""
    return (Item.visibility != "group") & Item.hidden_at.is_(None)


def _in(column, period: Period):
    return (column >= period.start) & (column < period.end)


def _item_theme(theme: str):
    return _item_has_theme(Item.id, theme) if theme else literal(True)


def _share(part: int, whole: int) -> float | None:
    return None if not whole else 100.0 * part / whole


# --- two-way traffic ----------------------------------------------------------------------------


def traffic(period: Period, theme: str = "") -> dict[tuple[str, str], int]:
    """Replies in the period by (perspective of the asker, perspective of the replier)."""
    asker = aliased(Member)
    rows = db.session.execute(
        select(asker.perspective, Reply.perspective, func.count(Reply.id))
        .join(Item, Item.id == Reply.item_id)
        .join(asker, asker.id == Item.author_id)
        .where(
            counted_items(),
            _item_theme(theme),
            Reply.hidden_at.is_(None),
            _in(Reply.created_at, period),
            Reply.author_id.is_distinct_from(Item.author_id),
            asker.perspective.in_(PERSPECTIVES),
            Reply.perspective.in_(PERSPECTIVES),
        )
        .group_by(asker.perspective, Reply.perspective)
    ).all()
    return {(a, r): n for a, r, n in rows}


# --- answered -----------------------------------------------------------------------------------


@dataclass
class Answered:
    """Dilemmas posted in the period and how soon others first replied."""

    posted: int = 0
    eligible: int = 0  # at least three days old
    within_three_days: int = 0
    buckets: dict[str, int] = field(default_factory=dict)
    median_days: float | None = None

    @property
    def share(self) -> float | None:
        return _share(self.within_three_days, self.eligible)


def _dilemmas_of(period: Period, theme: str):
    return (
        counted_items(),
        _item_theme(theme),
        Item.kind == "dilemma",
        _in(Item.created_at, period),
    )


def _first_replies(period: Period, theme: str):
    """When each dilemma of the period first got a reply from someone else."""
    return (
        select(Reply.item_id, func.min(Reply.created_at).label("first_at"))
        .join(Item, Item.id == Reply.item_id)
        .where(
            *_dilemmas_of(period, theme),
            Reply.hidden_at.is_(None),
            Reply.author_id.is_distinct_from(Item.author_id),
        )
        .group_by(Reply.item_id)
        .subquery()
    )


def answered(
    period: Period, theme: str = "", now: datetime | None = None, median: bool = True
) -> Answered:
    """The share of dilemmas with a first reply by someone else within three days (of those
    at least three days old), the spread of the waiting time, and (``median``) its median."""
    now = now or utcnow()
    first = _first_replies(period, theme)
    delay = days_between(first.c.first_at, Item.created_at)
    bucket = case(
        (first.c.first_at.is_(None), "none"),
        (delay <= 1, "day"),
        (delay <= 3, "three_days"),
        (delay <= 7, "week"),
        else_="later",
    )
    eligible = case((Item.created_at <= now - timedelta(days=3), 1), else_=0)
    base = (
        select(Item.id)
        .outerjoin(first, first.c.item_id == Item.id)
        .where(*_dilemmas_of(period, theme))
    )
    result = Answered()
    result.buckets = dict.fromkeys(ANSWER_BUCKETS, 0)
    grouped = base.with_only_columns(bucket, eligible, func.count()).group_by(bucket, eligible)
    for key, old_enough, count in db.session.execute(grouped):
        result.buckets[key] += count
        result.posted += count
        if old_enough:
            result.eligible += count
            if key in ("day", "three_days"):
                result.within_three_days += count
    replied = result.posted - result.buckets["none"]
    if replied and median:
        middle = base.where(first.c.first_at.is_not(None)).with_only_columns(delay)
        middle = middle.order_by(delay).offset((replied - 1) // 2).limit(2 - replied % 2)
        values = list(db.session.scalars(middle))
        result.median_days = sum(values) / len(values)
    return result


def unanswered(viewer, theme: str = "", limit: int = 20, now: datetime | None = None):
    """Open dilemmas more than seven days old that nobody else has replied to, newest first
    (as far as ``viewer`` may see them): (items, total)."""
    now = now or utcnow()
    replied = (
        select(Reply.id)
        .where(
            Reply.item_id == Item.id,
            Reply.hidden_at.is_(None),
            Reply.author_id.is_distinct_from(Item.author_id),
        )
        .exists()
    )
    statement = select(Item).where(
        counted_items(),
        visible_to(viewer),
        _item_theme(theme),
        Item.kind == "dilemma",
        Item.status == "open",
        Item.created_at <= now - timedelta(days=7),
        not_(replied),
    )
    total = db.session.scalar(statement.with_only_columns(func.count(Item.id)))
    items = db.session.scalars(statement.order_by(Item.created_at.desc()).limit(limit)).all()
    return list(items), total or 0


# --- perspectives heard ---------------------------------------------------------------------------


@dataclass
class Heard:
    """Dilemmas posted in the period and the perspectives that replied to them."""

    dilemmas: int = 0
    with_three: int = 0
    by_perspective: dict[str, int] = field(default_factory=dict)

    @property
    def share(self) -> float | None:
        return _share(self.with_three, self.dilemmas)

    @property
    def most_missing(self) -> str | None:
        if not self.dilemmas:
            return None
        return min(PERSPECTIVES, key=lambda key: (self.by_perspective.get(key, 0), key))


def heard(period: Period, theme: str = "") -> Heard:
    """How many perspectives each dilemma heard (``answered_perspectives`` "|a|b|")."""
    counted = Item.answered_perspectives
    number = func.length(counted) - func.length(func.replace(counted, "|", "")) - 1
    columns = [func.count(Item.id), func.count(Item.id).filter(number >= 3)]
    columns += [func.count(Item.id).filter(counted.like(f"%|{key}|%")) for key in PERSPECTIVES]
    row = db.session.execute(
        select(*columns).where(
            counted_items(),
            _item_theme(theme),
            Item.kind == "dilemma",
            _in(Item.created_at, period),
        )
    ).one()
    return Heard(row[0], row[1], dict(zip(PERSPECTIVES, row[2:], strict=True)))


# --- closing the loop -----------------------------------------------------------------------------


def closing(period: Period, theme: str = "", now: datetime | None = None) -> dict[int, tuple]:
    """For 30 and 90 days: (dilemmas of the period at least that old, decided within it,
    evaluated within it)."""
    now = now or utcnow()
    columns = []
    for days in (30, 90):
        old_enough = Item.created_at <= now - timedelta(days=days)
        decided = days_between(Item.decided_at, Item.created_at) <= days
        evaluated = days_between(Item.evaluated_at, Item.created_at) <= days
        columns += [
            func.count(Item.id).filter(old_enough),
            func.count(Item.id).filter(old_enough, Item.decided_at.is_not(None), decided),
            func.count(Item.id).filter(old_enough, Item.evaluated_at.is_not(None), evaluated),
        ]
    row = db.session.execute(
        select(*columns).where(
            counted_items(),
            _item_theme(theme),
            Item.kind == "dilemma",
            _in(Item.created_at, period),
        )
    ).one()
    return {30: tuple(row[0:3]), 90: tuple(row[3:6])}


# --- give and take --------------------------------------------------------------------------------


def _exchanges(period: Period, theme: str):
    """(giver, taker) for each reply in the period by one member to another's item."""
    return (
        select(Reply.author_id.label("giver"), Item.author_id.label("taker"))
        .join(Item, Item.id == Reply.item_id)
        .where(
            counted_items(),
            _item_theme(theme),
            Reply.hidden_at.is_(None),
            _in(Reply.created_at, period),
            Reply.author_id.is_not(None),
            Item.author_id.is_not(None),
            Reply.author_id != Item.author_id,
        )
        .subquery()
    )


def _roles(period: Period, theme: str):
    exchanges = _exchanges(period, theme)
    sides = union_all(
        select(
            exchanges.c.giver.label("member_id"), literal(1).label("gave"), literal(0).label("took")
        ),
        select(exchanges.c.taker, literal(0), literal(1)),
    ).subquery()
    return (
        select(
            sides.c.member_id,
            func.max(sides.c.gave).label("gave"),
            func.max(sides.c.took).label("took"),
        )
        .group_by(sides.c.member_id)
        .subquery()
    )


def give_and_take(period: Period, theme: str = "") -> dict[str, int]:
    """Members who in the period only took (got replies), only gave (replied), or both."""
    roles = _roles(period, theme)
    kind = case(
        (and_(roles.c.gave == 1, roles.c.took == 1), "both"),
        (roles.c.gave == 1, "give"),
        else_="take",
    )
    counts = dict.fromkeys(("take", "give", "both"), 0)
    counts.update(db.session.execute(select(kind, func.count()).group_by(kind)).all())
    return counts


def only_takers(period: Period, theme: str = "", limit: int = 20) -> list[Member]:
    """Members who only took in the period and allow being asked to help (matching), by name:
    the coordinators' action list."""
    roles = _roles(period, theme)
    allowed = ~Member.id.in_(
        select(NotificationSetting.member_id).where(NotificationSetting.matching_opt_out.is_(True))
    )
    return list(
        db.session.scalars(
            select(Member)
            .join(roles, roles.c.member_id == Member.id)
            .where(roles.c.gave == 0, allowed, Member.email_confirmed_at.is_not(None))
            .order_by(Member.name)
            .limit(limit)
        )
    )


# --- working groups, agenda -----------------------------------------------------------------------


def groups(period: Period, theme: str = "") -> dict[str, int]:
    """Working groups: started in the period; archived in it with their result on time, after
    an extension or late; stopped without a result; still active and extended."""
    archived = _in(WorkingGroup.archived_at, period)
    result = WorkingGroup.result_item_id.is_not(None)
    on_time = day_of(WorkingGroup.archived_at) <= WorkingGroup.ends_on
    active_in_period = (WorkingGroup.created_at < period.end) & or_(
        WorkingGroup.archived_at.is_(None), WorkingGroup.archived_at >= period.start
    )
    statement = select(
        func.count(WorkingGroup.id).filter(_in(WorkingGroup.created_at, period)),
        func.count(WorkingGroup.id).filter(
            archived, result, on_time, WorkingGroup.extension_reason.is_(None)
        ),
        func.count(WorkingGroup.id).filter(
            active_in_period, WorkingGroup.extension_reason.is_not(None)
        ),
        func.count(WorkingGroup.id).filter(archived, ~result),
        func.count(WorkingGroup.id).filter(archived, result),
    )
    if theme:
        statement = statement.where(
            WorkingGroup.id.in_(
                select(group_themes.c.group_id)
                .join(Theme, Theme.id == group_themes.c.theme_id)
                .where(Theme.slug == theme)
            )
        )
    row = db.session.execute(statement).one()
    return dict(zip(("started", "on_time", "extended", "stopped", "published"), row, strict=True))


def agenda(period: Period, theme: str = "") -> dict[str, tuple[int, int, int]]:
    """Per kind of event in the agenda (approved, not of a group) starting in the period:
    (events, sign-ups, reports written)."""
    signups = (
        select(Signup.event_id, func.count(Signup.id).label("n"))
        .where(Signup.state == "signed_up")
        .group_by(Signup.event_id)
        .subquery()
    )
    statement = (
        select(
            Event.kind,
            func.count(Event.id),
            func.coalesce(func.sum(signups.c.n), 0),
            func.count(Event.id).filter(Event.report_at.is_not(None)),
        )
        .outerjoin(signups, signups.c.event_id == Event.id)
        .where(
            Event.state == "approved",
            Event.hidden_at.is_(None),
            Event.visibility != "group",
            _in(Event.starts_at, period),
        )
        .group_by(Event.kind)
    )
    if theme:
        statement = statement.where(
            Event.id.in_(
                select(event_themes.c.event_id)
                .join(Theme, Theme.id == event_themes.c.theme_id)
                .where(Theme.slug == theme)
            )
        )
    return {kind: (n, s, r) for kind, n, s, r in db.session.execute(statement)}


# --- growth ---------------------------------------------------------------------------------------


def _item_has_theme(item_id, theme: str):
    return item_id.in_(
        select(item_themes.c.item_id)
        .join(Theme, Theme.id == item_themes.c.theme_id)
        .where(Theme.slug == theme)
    )


def _activity(start: datetime, end: datetime, theme: str):
    """(member, moment) of every post, reply and mark in the time span. Activity anywhere
    counts (a working group's space too): who was active, not what they wrote. Read from the
    covering indexes of ``insight.models`` only (items by kind and time)."""
    posts = select(Item.author_id.label("member_id"), Item.created_at.label("at")).where(
        Item.kind.in_(KINDS), Item.created_at >= start, Item.created_at < end
    )
    replies = select(Reply.author_id, Reply.created_at).where(
        Reply.created_at >= start, Reply.created_at < end
    )
    marks = select(ItemMark.member_id, ItemMark.created_at).where(
        ItemMark.created_at >= start, ItemMark.created_at < end
    )
    if theme:
        posts = posts.where(_item_has_theme(Item.id, theme))
        replies = replies.where(_item_has_theme(Reply.item_id, theme))
        marks = marks.where(_item_has_theme(ItemMark.item_id, theme))
    return union_all(posts, replies, marks).subquery()


def _joined(start: datetime, end: datetime, theme: str):
    condition = [
        Member.email_confirmed_at.is_not(None),
        Member.created_at >= start,
        Member.created_at < end,
    ]
    if theme:
        condition.append(
            Member.id.in_(
                select(member_themes.c.member_id)
                .join(Theme, Theme.id == member_themes.c.theme_id)
                .where(Theme.slug == theme)
            )
        )
    return condition


def growth(months: list[datetime], theme: str = "") -> dict[str, tuple[int, int]]:
    """Per month ("2026-11"): (members who joined, members who were active)."""
    start = months[0]
    end = (months[-1] + timedelta(days=32)).replace(day=1)
    joined = dict(
        db.session.execute(
            select(month_of(Member.created_at), func.count(Member.id))
            .where(*_joined(start, end, theme))
            .group_by(month_of(Member.created_at))
        ).all()
    )
    activity = _activity(start, end, theme)
    active = dict(
        db.session.execute(
            select(month_of(activity.c.at), func.count(func.distinct(activity.c.member_id)))
            .where(activity.c.member_id.is_not(None))
            .group_by(month_of(activity.c.at))
        ).all()
    )
    keys = [m.strftime("%Y-%m") for m in months]
    return {key: (joined.get(key, 0), active.get(key, 0)) for key in keys}


def growth_by_organisation(period: Period, theme: str = "") -> dict[str | None, tuple[int, int]]:
    """Per organisation type: (joined in the period, active in the period)."""
    joined = dict(
        db.session.execute(
            select(Member.organisation_type, func.count(Member.id))
            .where(*_joined(period.start, period.end, theme))
            .group_by(Member.organisation_type)
        ).all()
    )
    activity = _activity(period.start, period.end, theme)
    active = dict(
        db.session.execute(
            select(Member.organisation_type, func.count(Member.id))
            .where(Member.id.in_(select(activity.c.member_id)))
            .group_by(Member.organisation_type)
        ).all()
    )
    return {key: (joined.get(key, 0), active.get(key, 0)) for key in joined.keys() | active.keys()}
