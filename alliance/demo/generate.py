"""Synthetic members in bulk, for benchmarks: fast, Dutch, and the same for the same seed."""

import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from itertools import accumulate, islice

from sqlalchemy import func, insert, select

from alliance.core.text import fold
from alliance.core.timeutil import utcnow
from alliance.demo import vocabulary as words
from alliance.extensions import db
from alliance.members.models import PROFILE_FIELDS, Member, MemberTag, member_themes
from alliance.members.services import search_key_for
from alliance.themes.models import Theme

SYNTHETIC_DOMAIN = "demo.alliantie.example"
SYNTHETIC_PREFIX = "lid-"
NUMBER_WIDTH = 6
MAX_SYNTHETIC = 10**NUMBER_WIDTH - 1
BATCH_SIZE = 1000
ZIPF_EXPONENT = 1.1

#: Which profile fields synthetic members show to visitors, and how often.
PUBLIC_FIELD_CHOICES = (
    ((), 40),
    (("organisation", "organisation_type", "themes"), 25),
    (("organisation", "organisation_type", "perspective", "themes", "offers"), 25),
    (PROFILE_FIELDS, 10),
)


class ZipfChoice:
    """Picks from a list ordered common → rare with weights 1/rank^exponent."""

    def __init__(self, items: Sequence, exponent: float = ZIPF_EXPONENT):
        self.items = list(items)
        self.cum_weights = list(
            accumulate(1 / rank**exponent for rank in range(1, len(self.items) + 1))
        )

    def pick(self, rng: random.Random):
        """One item."""
        return rng.choices(self.items, cum_weights=self.cum_weights)[0]

    def pick_distinct(self, rng: random.Random, count: int, avoid: Iterable = ()) -> list:
        """Up to ``count`` different items, none of them in ``avoid``."""
        chosen: list = []
        taken = set(avoid)
        for _ in range(count * 10):  # a few collisions on the common items are normal
            if len(chosen) == count:
                break
            item = self.pick(rng)
            if item not in taken:
                taken.add(item)
                chosen.append(item)
        return chosen


class WeightedChoice:
    """Picks from a mapping of item → weight."""

    def __init__(self, weights: dict):
        self.items = list(weights)
        self.cum_weights = list(accumulate(weights.values()))

    def pick(self, rng: random.Random):
        """One item."""
        return rng.choices(self.items, cum_weights=self.cum_weights)[0]


@dataclass
class SyntheticPerson:
    """One generated member, before it becomes rows."""

    number: int
    email: str
    name: str
    organisation: str
    organisation_type: str
    perspective: str
    themes: list[str]
    offers: list[str]
    seeks: list[str]
    bio: str
    public_fields: list[str]
    created_at: datetime


class _Vocabulary:
    """The word lists of :mod:`alliance.demo.vocabulary`, ready to pick from."""

    def __init__(self):
        self.first_names = ZipfChoice(words.FIRST_NAMES)
        self.surnames = ZipfChoice(words.SURNAMES)
        self.organisation_types = WeightedChoice(words.ORGANISATION_TYPE_WEIGHTS)
        self.organisations = {
            kind: ZipfChoice(names) for kind, names in words.ORGANISATIONS.items()
        }
        self.perspectives = {
            kind: WeightedChoice(weights) for kind, weights in words.PERSPECTIVE_WEIGHTS.items()
        }
        self.themes = ZipfChoice(words.THEMES)
        self.tags = {slug: ZipfChoice(tags) for slug, tags in words.TAGS_BY_THEME.items()}
        self.general_tags = ZipfChoice(words.GENERAL_TAGS)
        self.seek_only_tags = ZipfChoice(words.SEEK_ONLY_TAGS)
        self.job_titles = {kind: ZipfChoice(titles) for kind, titles in words.JOB_TITLES.items()}
        self.theme_job_titles = {
            slug: ZipfChoice(titles) for slug, titles in words.JOB_TITLES_BY_THEME.items()
        }
        self.places = ZipfChoice(words.PLACES)
        self.fragments = ZipfChoice(words.BIO_FRAGMENTS)
        self.public_fields = WeightedChoice(dict(PUBLIC_FIELD_CHOICES))


@cache
def _vocabulary() -> _Vocabulary:
    return _Vocabulary()


def synthetic_email(number: int) -> str:
    """``lid-000123@demo.alliantie.example``."""
    return f"{SYNTHETIC_PREFIX}{number:0{NUMBER_WIDTH}d}@{SYNTHETIC_DOMAIN}"


def _tags(
    rng: random.Random,
    vocab: _Vocabulary,
    themes: list[str],
    count: int,
    extra,
    extra_share: float,
    avoid: Iterable[str] = (),
) -> list[str]:
    """``count`` different tags, mostly from the member's themes, some from ``extra``."""
    tags: list[str] = []
    taken = {fold(tag) for tag in avoid}
    for _ in range(count * 10):
        if len(tags) == count:
            break
        pool = extra if rng.random() < extra_share else vocab.tags[rng.choice(themes)]
        tag = pool.pick(rng)
        if fold(tag) not in taken:
            taken.add(fold(tag))
            tags.append(tag)
    return tags


def _bio(rng: random.Random, vocab: _Vocabulary, person: dict) -> str:
    """A short Markdown bio in Dutch, in the first person."""
    main_theme = person["themes"][0]
    if person["perspective"] == "uitvoering" and rng.random() < 0.8:
        title = vocab.theme_job_titles[main_theme].pick(rng)
    else:
        title = vocab.job_titles[person["perspective"]].pick(rng)
    if person["organisation"]:
        opening = rng.choice(words.OPENINGS).format(
            title=title, organisation=person["organisation"]
        )
    else:
        opening = f"Ik ben {title} in {vocab.places.pick(rng)}."
    sentences = [opening, f"Mijn hart ligt bij {words.THEME_NAMES[main_theme]}."]
    sentences += vocab.fragments.pick_distinct(rng, rng.randint(1, 2))
    closing = rng.choice(words.CLOSINGS).format(offer=person["offers"][0])
    return " ".join(sentences) + "\n\n" + closing


def synthetic_people(
    count: int,
    seed: int,
    start: int = 1,
    now: datetime | None = None,
    themes: Sequence[str] = words.THEMES,
) -> Iterator[SyntheticPerson]:
    """``count`` members numbered from ``start``: the same seed and start give the same people.

    Only the ``themes`` given (the active ones) are handed out."""
    vocab = _vocabulary()
    theme_choice = ZipfChoice([slug for slug in words.THEMES if slug in themes])
    rng = random.Random(f"alliantie-demo:{seed}:{start}")
    now = now or utcnow()
    for number in range(start, start + count):
        kind = vocab.organisation_types.pick(rng)
        perspective = vocab.perspectives[kind].pick(rng)
        person: dict = {
            "organisation_type": kind,
            "perspective": perspective,
            "organisation": "" if perspective == "inwoner" else vocab.organisations[kind].pick(rng),
            "themes": theme_choice.pick_distinct(rng, rng.choice((1, 1, 2, 2, 3))),
        }
        person["offers"] = _tags(
            rng, vocab, person["themes"], rng.randint(2, 5), vocab.general_tags, 0.15
        )
        person["seeks"] = _tags(
            rng,
            vocab,
            person["themes"],
            rng.randint(2, 5),
            vocab.seek_only_tags,
            0.25,
            avoid=person["offers"],
        )
        yield SyntheticPerson(
            number=number,
            email=synthetic_email(number),
            name=f"{vocab.first_names.pick(rng)} {vocab.surnames.pick(rng)}",
            bio=_bio(rng, vocab, person),
            public_fields=list(vocab.public_fields.pick(rng)),
            created_at=now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60)),
            **person,
        )


def next_synthetic_number() -> int:
    """The number after the highest synthetic member already there (1 in an empty network)."""
    highest = db.session.scalar(
        select(func.max(Member.email)).where(
            Member.email.like(f"{SYNTHETIC_PREFIX}%@{SYNTHETIC_DOMAIN}")
        )
    )
    if not highest:
        return 1
    return int(highest.removeprefix(SYNTHETIC_PREFIX).split("@")[0]) + 1


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def generate_members(
    count: int, seed: int, password_hash: str, progress: Callable[[int], None] | None = None
) -> range:
    """Insert ``count`` confirmed synthetic members, with tags and themes, in bulk.

    Numbers continue after the synthetic members already there, so running it again adds more
    instead of failing. ``progress`` is called with the number of members of each batch written.
    Returns the numbers used. Flushes only; the caller commits."""
    start = next_synthetic_number()
    if start + count - 1 > MAX_SYNTHETIC:
        raise ValueError(f"At most {MAX_SYNTHETIC} synthetic members fit the numbering.")
    theme_ids = dict(
        db.session.execute(select(Theme.slug, Theme.id).where(Theme.retired_at.is_(None)))
        .tuples()
        .all()
    )
    if not theme_ids:
        raise ValueError("There are no active themes; run the migrations first.")
    db.session.flush()
    member_table, tag_table = Member.__table__, MemberTag.__table__
    add_members = insert(member_table).returning(member_table.c.id, sort_by_parameter_order=True)
    keys: dict[str, str] = {}  # fold() per distinct label, not per row

    people = synthetic_people(count, seed, start, themes=list(theme_ids))
    for batch in _batches(people, BATCH_SIZE):
        ids = db.session.scalars(add_members, [_member_row(p, password_hash) for p in batch]).all()
        tag_rows, theme_rows = [], []
        for member_id, person in zip(ids, batch, strict=True):
            for kind, labels in (("offer", person.offers), ("seek", person.seeks)):
                for position, label in enumerate(labels):
                    key = keys.get(label) or keys.setdefault(label, fold(label))
                    tag_rows.append(
                        {
                            "member_id": member_id,
                            "kind": kind,
                            "label": label,
                            "key": key,
                            "position": position,
                        }
                    )
            theme_rows += [
                {"member_id": member_id, "theme_id": theme_ids[slug]} for slug in person.themes
            ]
        db.session.execute(insert(tag_table), tag_rows)
        db.session.execute(insert(member_themes), theme_rows)
        if progress:
            progress(len(batch))
    return range(start, start + count)


def _member_row(person: SyntheticPerson, password_hash: str) -> dict:
    """The ``member`` row of a synthetic person, with the search key the services would make."""
    return {
        "email": person.email,
        "password_hash": password_hash,
        "email_confirmed_at": person.created_at + timedelta(minutes=5),
        "role": "member",
        "locale": None,
        "created_at": person.created_at,
        "name": person.name,
        "organisation": person.organisation,
        "organisation_type": person.organisation_type,
        "perspective": person.perspective,
        "bio": person.bio,
        "public_fields": person.public_fields,
        "search_key": search_key_for(person.name, person.organisation, list(person.offers)),
    }
