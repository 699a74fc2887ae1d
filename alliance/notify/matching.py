"""Matching a dilemma to the members who can help, asking them to think along (within their
cap), and the page of dilemmas that ask for my knowledge."""

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import distinct, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from alliance.core import audience
from alliance.core.errors import RuleError
from alliance.core.language import index_terms
from alliance.core.timeutil import utcnow
from alliance.core.web import path_for
from alliance.extensions import db
from alliance.knowledge.access import can_view
from alliance.knowledge.models import Item, Reply
from alliance.knowledge.queries import similar_items
from alliance.members.models import Member, member_themes
from alliance.members.services import offering
from alliance.notify.models import DEFAULT_MONTHLY_CAP, HelpRequest, NotificationSetting
from alliance.notify.services import notify

SUGGESTIONS = 5
#: The cap counts the requests of this many days back ("a month").
CAP_WINDOW = timedelta(days=30)
#: At most this many words of the dilemma are looked for in the *Ik bied* of members.
MAX_WORDS = 8


@dataclass
class Suggestion:
    """A member who could help, and why (shown to the asker)."""

    member: Member
    score: float
    reasons: list[str] = field(default_factory=list)


def _words(item: Item) -> list[str]:
    """The stems of the dilemma's tags (short ones too: "Woo", "AVG"), then of its title
    (4+ letters); of its tension only when those say too little. The body is full of words
    that fit anyone ("belangrijk")."""
    seen: list[str] = []
    sources = [([t.label for t in item.tags], 2), ([item.title], 4), ([item.tension], 4)]
    for number, (texts, shortest) in enumerate(sources):
        if number == 2 and len(seen) >= 3:
            break
        for text in texts:
            for term in index_terms(text or ""):
                if len(term) >= shortest and term not in seen:
                    seen.append(term)
    return seen[:MAX_WORDS]


def unavailable_ids(member_ids: set[int]) -> set[int]:
    """Of ``member_ids``, those who opted out or reached their monthly cap."""
    if not member_ids:
        return set()
    settings = {
        s.member_id: s
        for s in db.session.scalars(
            select(NotificationSetting).where(NotificationSetting.member_id.in_(member_ids))
        )
    }
    asked = dict(
        db.session.execute(
            select(HelpRequest.member_id, func.count(HelpRequest.id))
            .where(
                HelpRequest.member_id.in_(member_ids),
                HelpRequest.created_at > utcnow() - CAP_WINDOW,
            )
            .group_by(HelpRequest.member_id)
        ).all()
    )
    out = set()
    for member_id in member_ids:
        setting = settings.get(member_id)
        cap = setting.monthly_cap if setting else DEFAULT_MONTHLY_CAP
        if (setting and setting.matching_opt_out) or asked.get(member_id, 0) >= cap:
            out.add(member_id)
    return out


def suggest_helpers(item: Item, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Up to ``limit`` members whose *Ik bied* and themes fit the dilemma, best first:
    perspectives that have not answered score higher, members the asker already hears from
    lower; never the asker, those who answered or were asked, who opted out or are at their
    cap, nor (for a group's dilemma) anyone outside the group."""
    words = _words(item)
    scores: dict[int, float] = {}
    offers: dict[int, list[str]] = {}  # the reasons, translated only for those shown
    if words:
        offered = offering(words).subquery()
        rows = db.session.execute(
            select(offered.c.member_id, offered.c.label, offered.c.key).order_by(offered.c.id)
        ).all()
        for member_id, label, key in rows:
            hits = sum(1 for w in words if w in key)
            if hits:
                scores[member_id] = scores.get(member_id, 0) + 3 * min(hits, 3)
                offers.setdefault(member_id, []).append(label)
    theme_names = {t.id: t.name for t in item.themes}
    if theme_names:
        shared = db.session.execute(
            select(member_themes.c.member_id, func.count())
            .where(member_themes.c.theme_id.in_(list(theme_names)))
            .group_by(member_themes.c.member_id)
            .order_by(func.count().desc())
            .limit(300)
        ).all()
        for member_id, count in shared:
            scores[member_id] = scores.get(member_id, 0) + count
    if not scores:
        return []
    excluded = {item.author_id}
    excluded.update(
        db.session.scalars(select(distinct(Reply.author_id)).where(Reply.item_id == item.id))
    )
    excluded.update(
        db.session.scalars(select(HelpRequest.member_id).where(HelpRequest.item_id == item.id))
    )
    group_members = None
    if item.visibility == "group":
        group_members = set(
            db.session.scalars(
                select(Member.id).where(audience.in_group(item.group_id or 0, Member.id))
            )
        )
    ranked = sorted(
        (m for m in scores if m not in excluded and (group_members is None or m in group_members)),
        key=lambda m: -scores[m],
    )
    # Walk down the ranking in chunks until enough are available: the opt-out and cap checks
    # then cost a few small queries instead of one over thousands of ids.
    members: dict[int, Member] = {}
    wanted = limit * 4
    for start in range(0, len(ranked), 100):
        chunk = ranked[start : start + 100]
        free = set(chunk) - unavailable_ids(set(chunk))
        for member in db.session.scalars(
            select(Member)
            .where(Member.id.in_(free), Member.email_confirmed_at.is_not(None))
            .options(selectinload(Member.themes))
        ):
            members[member.id] = member
        if len(members) >= wanted:
            break
    if not members:
        return []
    heard_from = set()
    if item.author_id:
        heard_from = set(
            db.session.scalars(
                select(distinct(Reply.author_id))
                .join(Item, Item.id == Reply.item_id)
                .where(Item.author_id == item.author_id, Reply.author_id.in_(list(members)))
            )
        )
    author = db.session.get(Member, item.author_id or 0)
    answered = item.perspectives | (
        {author.perspective} if author and author.perspective else set()
    )
    ranked_members = []
    for member_id, member in members.items():
        score = scores[member_id]
        if member.perspective and member.perspective not in answered:
            score += 2
        if member_id in heard_from:
            score -= 2
        ranked_members.append((score, member))
    ranked_members.sort(key=lambda pair: (-pair[0], pair[1].name))
    suggestions = []
    for score, member in ranked_members[:limit]:
        why = [_("offers: %(offer)s", offer=label) for label in offers.get(member.id, [])[:2]]
        why += [
            _("theme: %(theme)s", theme=theme_names[t.id])
            for t in member.themes
            if t.id in theme_names
        ][:2]
        if member.perspective and member.perspective not in answered:
            why.append(_("perspective not heard yet: %(p)s", p=member.perspective_label))
        suggestions.append(Suggestion(member, score, why))
    return suggestions


def _locked_setting(member_id: int) -> NotificationSetting:
    """The member's settings row, locked until commit (FOR UPDATE on PostgreSQL; SQLite's
    write transactions are serial), so two requests at once cannot both pass the cap."""
    statement = (
        select(NotificationSetting)
        .where(NotificationSetting.member_id == member_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    setting = db.session.scalar(statement)
    if setting is None:
        try:
            with db.session.begin_nested():
                db.session.add(NotificationSetting(member_id=member_id, deliveries={}))
        except IntegrityError:  # another request made it just now: wait for its lock
            pass
        setting = db.session.scalar(statement)
    return setting


def ask_to_help(item: Item, asker: Member, member_id: int | None) -> HelpRequest:
    """The asker asks a member to think along; refused when the member opted out, reached
    their cap, was asked already, answered already, or may not read the dilemma."""
    if not item.is_dilemma or item.status != "open":
        raise RuleError("member_id", _("Only an open dilemma can ask for help."))
    member = db.session.get(Member, member_id or 0)
    if member is None or member.email_confirmed_at is None or member.id == item.author_id:
        raise RuleError("member_id", _("Choose one of the suggested members."))
    if not can_view(item, member):
        raise RuleError("member_id", _("This member cannot read your dilemma."))
    setting = _locked_setting(member.id)
    if setting.matching_opt_out:
        raise RuleError("member_id", _("%(name)s does not take requests.", name=member.name))
    asked = db.session.scalar(
        select(func.count(HelpRequest.id)).where(
            HelpRequest.member_id == member.id, HelpRequest.created_at > utcnow() - CAP_WINDOW
        )
    )
    if asked >= setting.monthly_cap:
        raise RuleError(
            "member_id",
            _("%(name)s has had enough requests this month. Ask someone else.", name=member.name),
        )
    if db.session.scalar(
        select(HelpRequest.id).where(
            HelpRequest.item_id == item.id, HelpRequest.member_id == member.id
        )
    ):
        raise RuleError("member_id", _("You have asked %(name)s already.", name=member.name))
    request = HelpRequest(
        item_id=item.id, member_id=member.id, asked_by_id=asker.id, created_at=utcnow()
    )
    db.session.add(request)
    db.session.flush()
    notify(
        member.id,
        "help_asked",
        actor_id=asker.id,
        item_id=item.id,
        url=path_for("knowledge.show", item_id=item.id),
    )
    return request


def asked_of(item: Item) -> list[Member]:
    """The members asked to think along about ``item``."""
    return list(
        db.session.scalars(
            select(Member)
            .join(HelpRequest, HelpRequest.member_id == Member.id)
            .where(HelpRequest.item_id == item.id)
            .order_by(HelpRequest.created_at)
        )
    )


@dataclass
class AskedDilemma:
    """An open dilemma that asks for my knowledge: asked in person, or it fits my *Ik bied*."""

    item: Item
    asked: bool


def where_knowledge_is_asked(member: Member, limit: int = 20) -> list[AskedDilemma]:
    """Open dilemmas I may read and have not answered: first those I was asked about, then
    those that fit my *Ik bied* (the search index: stemmed, with synonyms)."""
    answered = set(
        db.session.scalars(select(distinct(Reply.item_id)).where(Reply.author_id == member.id))
    )
    asked = db.session.scalars(
        select(Item)
        .join(HelpRequest, HelpRequest.item_id == Item.id)
        .where(HelpRequest.member_id == member.id, Item.status == "open")
        .order_by(HelpRequest.created_at.desc())
        .limit(limit)
    ).all()
    result = [AskedDilemma(i, True) for i in asked if can_view(i, member) and i.id not in answered]
    shown = {r.item.id for r in result}
    if member.offers:
        for item in similar_items(" ".join(member.offers), member, limit=limit * 3):
            if (
                item.is_dilemma
                and item.status == "open"
                and item.author_id != member.id
                and item.id not in answered
                and item.id not in shown
            ):
                result.append(AskedDilemma(item, False))
                shown.add(item.id)
    ids = [r.item.id for r in result[:limit]]
    if ids:  # themes and authors of the page in one go
        db.session.scalars(
            select(Item)
            .where(Item.id.in_(ids))
            .options(selectinload(Item.themes), selectinload(Item.author))
        ).all()
    return result[:limit]


def open_dilemmas_of(member: Member, limit: int = 50) -> list[Item]:
    """The member's own open dilemmas (not hidden by moderation), newest first: what they can
    ask someone to think along about from that member's profile."""
    return list(
        db.session.scalars(
            select(Item)
            .where(
                Item.author_id == member.id,
                Item.kind == "dilemma",
                Item.status == "open",
                Item.hidden_at.is_(None),
            )
            .order_by(Item.created_at.desc(), Item.id.desc())
            .limit(limit)
        )
    )
