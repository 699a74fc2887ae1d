"""The demo knowledge base: the hand-written items of the named network, and synthetic items
with replies in bulk for benchmarks.

The named items (texts in :mod:`alliance.demo.item_vocabulary`) are written through the
knowledge-base services, so every counter is what the site itself would keep; only the
timestamps are moved back afterwards, so that the items have a history. The synthetic items are
inserted in batches with SQLAlchemy Core, with their counters computed from the replies they get.
"""

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import func, insert, select, text

from alliance.core.text import fold
from alliance.core.timeutil import utcnow
from alliance.demo import item_vocabulary as texts
from alliance.demo import vocabulary as words
from alliance.demo.generate import BATCH_SIZE, WeightedChoice, ZipfChoice, _batches
from alliance.demo.item_vocabulary import NAMED_ITEMS, DemoItem, email
from alliance.extensions import db
from alliance.groups.models import WorkingGroup
from alliance.knowledge.models import Item, ItemMark, ItemTag, Reply, item_themes
from alliance.knowledge.services import (
    ItemChange,
    add_reply,
    post_item,
    record_decision,
    record_evaluation,
    set_helped,
    set_recognised,
)
from alliance.members.models import Member
from alliance.themes.models import Theme

# --- the named knowledge base -------------------------------------------------------------------


@dataclass
class KnowledgeBaseResult:
    """What loading the named knowledge base did (titles)."""

    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # an item with this title exists
    incomplete: list[str] = field(default_factory=list)  # an author or replier is missing


def load_items(items: Sequence[DemoItem] = NAMED_ITEMS, now: datetime | None = None):
    """Post the named items whose title is not in use yet, with their replies, marks and loop.

    Needs the named network (:func:`alliance.demo.network.load_network`). Flushes only; the
    caller commits."""
    result = KnowledgeBaseResult()
    existing = set(
        db.session.scalars(select(Item.title).where(Item.title.in_([i.title for i in items])))
    )
    to_add = [item for item in items if item.title not in existing]
    result.skipped = [item.title for item in items if item.title in existing]
    if not to_add:
        return result
    addresses = set().union(*(item.emails() for item in to_add))
    members = {
        member.email: member
        for member in db.session.scalars(select(Member).where(Member.email.in_(addresses)))
    }
    theme_ids = dict(db.session.execute(select(Theme.slug, Theme.id)).tuples().all())
    now = now or utcnow()
    for demo in to_add:
        if not demo.emails() <= members.keys():
            result.incomplete.append(demo.title)
            continue
        _write(demo, members, theme_ids, now)
        result.added.append(demo.title)
    return result


def _write(demo: DemoItem, members: dict[str, Member], theme_ids: dict[str, int], now: datetime):
    """One named item through the services; then its timestamps moved back ``days_ago``."""

    def who(name: str) -> Member:
        return members[email(name)]

    author = who(demo.author)
    item = post_item(
        author,
        ItemChange(
            kind=demo.kind,
            title=demo.title,
            visibility=demo.visibility,
            anonymous=demo.anonymous,
            organisation_type=author.organisation_type if demo.kind == "dilemma" else None,
            fields=dict(demo.fields),
            theme_ids=[theme_ids[slug] for slug in demo.themes if slug in theme_ids],
            tags=demo.tags,
        ),
    )
    created = now - timedelta(days=demo.days_ago)
    latest = now - timedelta(minutes=5)
    moments = (min(created + timedelta(hours=3 + 9 * n + n * n), latest) for n in range(999))
    stamps = [created]
    for spec in demo.replies:
        reply = add_reply(item, who(spec.author), spec.body, who(spec.author).perspective)
        reply.created_at = next(moments)
        stamps.append(reply.created_at)
        for answer_spec in spec.answers:
            answerer = who(answer_spec.author)
            answer = add_reply(item, answerer, answer_spec.body, answerer.perspective, reply)
            answer.created_at = next(moments)
            stamps.append(answer.created_at)
        if spec.helped:
            set_helped(reply, True)
    for name in demo.recognised_by:
        set_recognised(item, who(name), True)
    if demo.decision:
        record_decision(item, author, demo.decision)
        item.decided_at = min(stamps[-1] + timedelta(days=2), latest)
        stamps.append(item.decided_at)
    if demo.outcome:
        record_evaluation(item, author, demo.outcome, demo.lesson)
        item.evaluated_at = item.decided_at + (latest - item.decided_at) * 2 / 3
        stamps.append(item.evaluated_at)
    item.created_at = item.updated_at = created
    item.last_activity_at = max(stamps)
    db.session.flush()


# --- synthetic items in bulk ------------------------------------------------------------------

#: Fewer members than this cannot give items a realistic spread of authors and repliers.
MIN_MEMBERS = 50
#: Authors and repliers: a few members write a lot, most now and then (flatter than words).
MEMBER_EXPONENT = 0.7
VISIBILITY_WEIGHTS = {"members": 70, "public": 20, "group": 10}
GROUP_COUNT = 20
KIND_WEIGHTS = {"dilemma": 60, "ervaring": 40}
STATUS_WEIGHTS = {"open": 50, "besloten": 25, "geevalueerd": 25}
#: Replies per item: most 0–6, a few long threads.
REPLY_COUNT_WEIGHTS = {0: 18, 1: 22, 2: 18, 3: 14, 4: 10, 5: 7, 6: 5, 8: 3, 11: 1.5, 16: 1, 24: 0.5}
RECOGNITION_WEIGHTS = {0: 45, 1: 20, 2: 12, 3: 8, 5: 7, 8: 4, 13: 2.5, 21: 1, 34: 0.5}
THEME_COUNT_WEIGHTS = {1: 60, 2: 35, 3: 5}
YEARS = 3
#: The lists of :mod:`alliance.demo.item_vocabulary` that sentences are picked from.
SENTENCE_LISTS = (
    "CONTEXTS",
    "DILEMMA_TITLES",
    "EXPERIENCE_TITLES",
    "SITUATIONS",
    "SITUATION_DETAILS",
    "TENSIONS",
    "OPTIONS",
    "CONSTRAINTS",
    "WHAT_WE_DID",
    "WHAT_WORKED",
    "WHAT_FAILED",
    "LESSONS",
    "DECISIONS",
    "DECISION_REASONS",
    "OUTCOMES",
    "REPLY_ADVICE",
    "REPLY_CLOSINGS",
    "ANSWERS",
    "LINKS",
)


class Author(NamedTuple):
    """What the generator needs to know of a member."""

    id: int
    perspective: str | None
    organisation: str
    organisation_type: str | None


@dataclass
class SyntheticReply:
    """A reply before it becomes a row; ``parent`` is the index of the reply it answers."""

    author_id: int
    perspective: str | None
    body: str
    created_at: datetime
    parent: int | None = None
    helped: bool = False


@dataclass
class SyntheticItem:
    """An item before it becomes rows: the ``item`` row without its id, and what hangs on it."""

    row: dict
    themes: list[str]
    tags: list[str]
    replies: list[SyntheticReply]
    recognised_by: list[int]


class _Vocabulary:
    """The word lists of :mod:`alliance.demo.item_vocabulary`, ready to pick from."""

    def __init__(self):
        self.subjects = {slug: ZipfChoice(subjects) for slug, subjects in texts.SUBJECTS.items()}
        self.tags = {slug: ZipfChoice(tags) for slug, tags in words.TAGS_BY_THEME.items()}
        self.general_tags = ZipfChoice(words.GENERAL_TAGS)
        self.places = ZipfChoice(words.PLACES)
        self.reply_openings = {
            key: ZipfChoice(openings) for key, openings in texts.REPLY_OPENINGS.items()
        }
        self.all_openings = ZipfChoice([o for os in texts.REPLY_OPENINGS.values() for o in os])
        self.lists = {name: ZipfChoice(getattr(texts, name)) for name in SENTENCE_LISTS}
        self.visibility = WeightedChoice(VISIBILITY_WEIGHTS)
        self.kind = WeightedChoice(KIND_WEIGHTS)
        self.status = WeightedChoice(STATUS_WEIGHTS)
        self.reply_count = WeightedChoice(REPLY_COUNT_WEIGHTS)
        self.recognitions = WeightedChoice(RECOGNITION_WEIGHTS)
        self.theme_count = WeightedChoice(THEME_COUNT_WEIGHTS)

    def some(self, rng: random.Random, name: str, low: int, high: int, context: dict) -> list:
        """Between ``low`` and ``high`` different sentences of list ``name``, filled in."""
        picked = self.lists[name].pick_distinct(rng, rng.randint(low, high))
        return [sentence.format(**context) for sentence in picked]


@cache
def _vocabulary() -> _Vocabulary:
    return _Vocabulary()


def _capital(text: str) -> str:
    return text if "." in text.split(" ")[0] else text[:1].upper() + text[1:]


def _context(rng: random.Random, vocab: _Vocabulary, author: Author, theme: str) -> dict:
    subject = vocab.subjects[theme].pick(rng)
    tags = vocab.tags[theme]
    return {
        "subject": subject,
        "Subject": _capital(subject),
        "organisation": author.organisation or "onze organisatie",
        "place": vocab.places.pick(rng),
        "number": rng.choice((2, 3, 4, 5, 6, 8, 12, 20)),
        "months": rng.choice((3, 4, 6, 9, 12, 18)),
        "tag": tags.pick(rng),
    }


def _title(rng: random.Random, vocab: _Vocabulary, kind: str, context: dict) -> str:
    templates = vocab.lists["DILEMMA_TITLES" if kind == "dilemma" else "EXPERIENCE_TITLES"]
    template = templates.pick(rng)
    if rng.random() < 0.3 and not any(t in template for t in ("{place}", "{org", " bij {")):
        extra = vocab.lists["CONTEXTS"].pick(rng)
        context = context | {
            "subject": f"{context['subject']} {extra}",
            "Subject": f"{context['Subject']} {extra}",
        }
    return template.format(**context)


def _fields(rng: random.Random, vocab: _Vocabulary, kind: str, context: dict) -> dict[str, str]:
    some = vocab.some
    if kind == "dilemma":
        situation = some(rng, "SITUATIONS", 1, 1, context)
        situation += some(rng, "SITUATION_DETAILS", 1, 2, context)
        options = some(rng, "OPTIONS", 2, 4, context)
        return {
            "situation": " ".join(situation),
            "tension": " ".join(some(rng, "TENSIONS", 1, 2, context)),
            "options": "\n".join(f"- {option}" for option in options),
            "constraints": " ".join(some(rng, "CONSTRAINTS", 0, 2, context)),
        }
    links = some(rng, "LINKS", 0, 1, context) if rng.random() < 0.3 else []
    return {
        "what_we_did": " ".join(some(rng, "WHAT_WE_DID", 2, 3, context)),
        "what_worked": " ".join(some(rng, "WHAT_WORKED", 1, 2, context)),
        "what_failed": " ".join(some(rng, "WHAT_FAILED", 0, 2, context)),
        "lesson": " ".join(some(rng, "LESSONS", 1, 2, context)),
        "links": "\n".join(f"- {link}" for link in links),
    }


def _reply_body(rng, vocab: _Vocabulary, replier: Author, context: dict) -> str:
    openings = vocab.reply_openings.get(replier.perspective or "", vocab.all_openings)
    context = context | {"organisation": replier.organisation or "onze organisatie"}
    sentences = [openings.pick(rng).format(**context)]
    sentences += vocab.some(rng, "REPLY_ADVICE", 1, 2, context)
    body = " ".join(sentences)
    if rng.random() < 0.4:
        body += ("\n\n" if rng.random() < 0.5 else " ") + vocab.lists["REPLY_CLOSINGS"].pick(rng)
    return body


def _replies(rng, vocab, members, repliers, author: Author, created, now, context):
    """The replies of one item, in time order; answers point at an earlier top-level reply."""
    replies: list[SyntheticReply] = []
    moment = created
    for _ in range(vocab.reply_count.pick(rng)):
        replier = members[repliers.pick(rng)]
        if replier.id == author.id:
            continue  # an asker who replied would give away an anonymous dilemma
        moment = min(moment + timedelta(minutes=5 + int(rng.expovariate(1 / 2000))), now)
        tops = [n for n, reply in enumerate(replies) if reply.parent is None]
        if tops and rng.random() < 0.2:
            body = vocab.lists["ANSWERS"].pick(rng)
            parent = rng.choice(tops)
        else:
            body, parent = _reply_body(rng, vocab, replier, context), None
        replies.append(SyntheticReply(replier.id, replier.perspective, body, moment, parent))
    return replies


def synthetic_items(
    count: int,
    seed: int,
    members: Sequence[Author],
    themes: Sequence[str] = words.THEMES,
    now: datetime | None = None,
    start: int = 0,
) -> Iterator[SyntheticItem]:
    """``count`` items by ``members`` on ``themes``: the same seed, start and members give the
    same items. Counters and ``last_activity_at`` follow from the replies generated."""
    vocab = _vocabulary()
    rng = random.Random(f"alliantie-items:{seed}:{start}")
    now = now or utcnow()
    order = list(range(len(members)))
    rng.shuffle(order)
    authors = ZipfChoice(order, MEMBER_EXPONENT)
    rng.shuffle(order)
    repliers = ZipfChoice(list(order), MEMBER_EXPONENT)
    theme_choice = ZipfChoice([slug for slug in words.THEMES if slug in themes])
    span = YEARS * 365 * 24 * 60
    for _ in range(count):
        author = members[authors.pick(rng)]
        kind = vocab.kind.pick(rng)
        item_themes_ = theme_choice.pick_distinct(rng, vocab.theme_count.pick(rng))
        context = _context(rng, vocab, author, item_themes_[0])
        created = now - timedelta(minutes=rng.randint(30, span))
        replies = _replies(rng, vocab, members, repliers, author, created, now, context)
        row = _item_row(rng, vocab, kind, author, created, now, replies, context)
        tags = vocab.tags[item_themes_[0]].pick_distinct(rng, rng.choice((0, 1, 1, 2, 2, 3, 4)))
        if rng.random() < 0.15:
            tags.append(vocab.general_tags.pick(rng))
        chosen = rng.sample(order, min(len(order), vocab.recognitions.pick(rng)))
        recognisers = {members[i].id for i in chosen}
        recognisers.discard(author.id)
        row["recognition_count"] = len(recognisers)
        yield SyntheticItem(row, item_themes_, tags, replies, sorted(recognisers))


def _item_row(rng, vocab, kind, author: Author, created, now, replies, context) -> dict:
    """The ``item`` row, with the loop closed for older dilemmas and the counters filled in."""
    row = {
        "kind": kind,
        "title": _title(rng, vocab, kind, context),
        "author_id": author.id,
        "anonymous": kind == "dilemma" and rng.random() < 0.05,
        "visibility": vocab.visibility.pick(rng),
        "status": "open",
        "organisation_type": None,
        **dict.fromkeys(("situation", "tension", "options", "constraints"), ""),
        **dict.fromkeys(("what_we_did", "what_worked", "what_failed", "links", "lesson"), ""),
        **_fields(rng, vocab, kind, context),
        "decision": "",
        "outcome": "",
        "created_at": created,
        "updated_at": created,
        "decided_at": None,
        "evaluated_at": None,
    }
    row["group_id"] = rng.randint(1, GROUP_COUNT) if row["visibility"] == "group" else None
    if kind == "dilemma" and rng.random() < 0.5:
        row["organisation_type"] = author.organisation_type
    last = replies[-1].created_at if replies else created
    if kind == "dilemma" and replies:
        tops = [reply for reply in replies if reply.parent is None]
        if rng.random() < 0.35:
            rng.choice(tops).helped = True
    age = now - created
    status = vocab.status.pick(rng) if kind == "dilemma" and age > timedelta(days=10) else "open"
    if status == "geevalueerd" and age < timedelta(days=60):
        status = "besloten"
    if status != "open":
        row["status"] = status
        row["decision"] = " ".join(
            [*vocab.some(rng, "DECISIONS", 1, 1, context)]
            + vocab.some(rng, "DECISION_REASONS", 1, 1, context)
        )
        row["decided_at"] = last = min(last + timedelta(hours=rng.randint(2, 24 * 20)), now)
    if status == "geevalueerd":
        row["outcome"] = " ".join(vocab.some(rng, "OUTCOMES", 1, 2, context))
        row["lesson"] = " ".join(vocab.some(rng, "LESSONS", 1, 2, context))
        row["evaluated_at"] = last = min(last + timedelta(days=rng.randint(20, 120)), now)
    perspectives = {reply.perspective for reply in replies if reply.perspective}
    row["last_activity_at"] = last
    row["reply_count"] = len(replies)
    row["answered_perspectives"] = "|" + "".join(f"{p}|" for p in sorted(perspectives))
    return row


@dataclass
class GeneratedItems:
    """What :func:`generate_items` wrote."""

    items: int = 0
    replies: int = 0


def item_authors() -> list[Author]:
    """The confirmed members, who write and answer synthetic items; refused when too few."""
    members = [
        Author(*row)
        for row in db.session.execute(
            select(Member.id, Member.perspective, Member.organisation, Member.organisation_type)
            .where(Member.email_confirmed_at.is_not(None))
            .order_by(Member.id)
        ).tuples()
    ]
    if len(members) < MIN_MEMBERS:
        raise ValueError(
            f"Synthetic items need at least {MIN_MEMBERS} members to write and reply; there "
            f"are {len(members)}. Add synthetic members with --members."
        )
    return members


def generate_items(
    count: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
    members: list[Author] | None = None,
) -> GeneratedItems:
    """Insert ``count`` synthetic items by ``members`` (default: :func:`item_authors`), with
    themes, tags, replies, recognitions and follows, in bulk. Another run adds more (seeded on
    from the items already there). ``progress`` is called with the number of items of each
    batch written. Flushes only; the caller commits.

    Ids are handed out here, after the highest one in use, so that every batch is one
    ``executemany`` per table (SQLite answers ``INSERT … RETURNING`` in parameter order only
    row by row). Nothing else should write items meanwhile; on PostgreSQL the id sequences are
    moved on afterwards."""
    members = members if members is not None else item_authors()
    theme_ids = dict(
        db.session.execute(select(Theme.slug, Theme.id).where(Theme.retired_at.is_(None)))
        .tuples()
        .all()
    )
    if not set(theme_ids) & set(words.THEMES):
        raise ValueError("None of the demo themes is active; run the migrations first.")
    db.session.flush()
    start = db.session.scalar(select(func.count(Item.id))) or 0
    next_item = (db.session.scalar(select(func.max(Item.id))) or 0) + 1
    next_reply = (db.session.scalar(select(func.max(Reply.id))) or 0) + 1
    keys: dict[str, str] = {}  # fold() per distinct label, not per row
    done = GeneratedItems()

    planned = synthetic_items(count, seed, members, list(theme_ids), start=start)
    # Group posts go to the working groups that exist (by number); without any, to members.
    group_ids = list(db.session.scalars(select(WorkingGroup.id).order_by(WorkingGroup.id)))
    for batch in _batches(planned, BATCH_SIZE):
        item_rows, theme_rows, tag_rows, mark_rows, top_rows, answer_rows = [], [], [], [], [], []
        for item in batch:
            item_id, next_item = next_item, next_item + 1
            row = item.row | {"id": item_id}
            if row["group_id"] is not None:
                if group_ids:
                    row["group_id"] = group_ids[(row["group_id"] - 1) % len(group_ids)]
                else:
                    row["group_id"], row["visibility"] = None, "members"
            item_rows.append(row)
            theme_rows += [{"item_id": item_id, "theme_id": theme_ids[s]} for s in item.themes]
            for position, label in enumerate(item.tags):
                key = keys.get(label) or keys.setdefault(label, fold(label))
                tag_rows.append(
                    {"item_id": item_id, "label": label, "key": key, "position": position}
                )
            created = item.row["created_at"]
            followers = dict.fromkeys([item.row["author_id"], *(r.author_id for r in item.replies)])
            mark_rows += [_mark_row(item_id, member, "follow", created) for member in followers]
            mark_rows += [
                _mark_row(item_id, member, "recognise", created) for member in item.recognised_by
            ]
            reply_ids = list(range(next_reply, next_reply + len(item.replies)))
            next_reply += len(item.replies)
            for reply_id, reply in zip(reply_ids, item.replies, strict=True):
                if reply.parent is None:
                    top_rows.append(_reply_row(reply_id, item_id, reply, None))
                else:
                    parent_id = reply_ids[reply.parent]
                    answer_rows.append(_reply_row(reply_id, item_id, reply, parent_id))
        db.session.execute(insert(Item.__table__), item_rows)
        db.session.execute(insert(item_themes), theme_rows)
        for table, rows in ((ItemTag, tag_rows), (ItemMark, mark_rows), (Reply, top_rows)):
            if rows:
                db.session.execute(insert(table.__table__), rows)
        if answer_rows:  # after the replies they answer
            db.session.execute(insert(Reply.__table__), answer_rows)
        done.items += len(batch)
        done.replies += len(top_rows) + len(answer_rows)
        if progress:
            progress(len(batch))
    if db.engine.dialect.name == "postgresql":
        for table in ("item", "reply"):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            )
    return done


def _mark_row(item_id: int, member_id: int, kind: str, created_at: datetime) -> dict:
    return {"item_id": item_id, "member_id": member_id, "kind": kind, "created_at": created_at}


def _reply_row(reply_id: int, item_id: int, reply: SyntheticReply, parent_id) -> dict:
    return {
        "id": reply_id,
        "item_id": item_id,
        "parent_id": parent_id,
        "author_id": reply.author_id,
        "perspective": reply.perspective,
        "body": reply.body,
        "created_at": reply.created_at,
        "updated_at": None,
        "helped_author": reply.helped,
        "useful_count": 0,
    }
