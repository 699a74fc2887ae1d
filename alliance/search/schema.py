"""What the index holds: one schema for every kind of document, and the document we give it."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.system import pack_uint

from alliance.search import analysis
from alliance.search.analysis import PART_BREAK, dutch_analyzer, word_analyzer


@lru_cache(maxsize=256)
def _packed(frequency: int) -> bytes:
    return pack_uint(frequency)


class FastText(TEXT):
    """A TEXT field that indexes with ``analysis.index_terms``/``word_terms`` instead of
    Whoosh's token-by-token analyzer chain (same terms and positions, much faster). The
    analyzer is kept for highlighting and for anything else in Whoosh that asks for it."""

    def __init__(self, terms: str, scorable: bool = True, **options):
        super().__init__(**options)
        self.terms_function = terms  # a name in ``analysis``: fields must pickle
        self.scorable = scorable  # False: no per-document field length to write

    def index(self, value, **kwargs):
        terms = getattr(analysis, self.terms_function)(value)
        boost = self.format.field_boost
        if isinstance(self.format, Positions):
            positions = defaultdict(list)
            for position, term in enumerate(terms):
                positions[term].append(position)
            encode = self.format.encode
            for term, where in positions.items():
                yield term.encode("utf-8"), len(where), len(where) * boost, encode(where)
            return
        for term, frequency in Counter(terms).items():  # counted in C
            yield term.encode("utf-8"), frequency, frequency * boost, _packed(frequency)


EPOCH = datetime(1970, 1, 1)

#: Fields a query looks in, with their weight in the ranking: the title over the tags over a
#: decision or lesson over the text over the replies; names and *Ik bied* high, the names of a
#: thing's kind, themes and perspective ("uitvoering") low.
FIELD_WEIGHTS = {
    "title": 3.0,
    "tags": 2.0,
    "lesson": 1.5,
    "body": 1.0,
    "replies": 0.6,
    "people": 2.0,
    "offers": 1.5,
    "labels": 0.4,
}
#: Fields that hold names as written (not stemmed).
NAME_FIELDS = frozenset({"people"})
#: Text fields whose snippets the results show, in order of preference.
SNIPPET_FIELDS = ("title", "body", "people")


def make_schema() -> Schema:
    dutch = dutch_analyzer()
    return Schema(
        owner=ID(stored=True),  # "item:12": every document of that thing is replaced together
        kind=ID(stored=True),
        title=FastText("index_terms", analyzer=dutch, phrase=False),
        tags=FastText("index_terms", analyzer=dutch, phrase=False),
        # A dilemma's decision, outcome and lesson; an experience's lesson.
        lesson=FastText("index_terms", analyzer=dutch, phrase=False),
        body=FastText("index_terms", analyzer=dutch, phrase=False),
        replies=FastText("index_terms", analyzer=dutch, phrase=False),
        people=FastText("word_terms", analyzer=word_analyzer(), phrase=False),
        offers=FastText("index_terms", analyzer=dutch, phrase=False),
        # The names of its kind, themes and perspective: "uitvoering" finds what the facet does.
        labels=FastText("index_terms", analyzer=dutch, phrase=False),
        # Neighbouring terms of title, body and offers as one term ("open overheid"): phrases
        # are looked up here. Cheaper to write than positions, and a phrase costs a term lookup
        # instead of reading the positions of every document that has all its words.
        pairs=FastText("pair_terms", analyzer=dutch, phrase=False, scorable=False),
        # Unstemmed words of all the text: prefixes as typed, spelling corrections and the
        # parts of compounds draw on this vocabulary.
        words=FastText("vocabulary_terms", analyzer=word_analyzer(), phrase=False, scorable=False),
        themes=KEYWORD(),
        status=ID(),
        perspective=ID(),
        year=ID(),
        access=KEYWORD(),
        created=NUMERIC(bits=64, sortable=True, stored=False, signed=False),
        ref=STORED(),
    )


@dataclass
class Document:
    """One thing to find. ``access`` says who may find it: "public" (everyone), "members"
    (logged in), "anon" (only visitors: a profile's public part), "group:N" (members of that
    working group), "author:N" (that member)."""

    owner: str
    kind: str
    ref: int
    title: str
    created: datetime
    access: list[str]
    body: str = ""
    lesson: str = ""
    replies: str = ""
    tags: str = ""
    labels: str = ""
    people: str = ""
    offers: str = ""
    themes: list[int] = field(default_factory=list)
    status: str = ""
    perspective: str = ""

    @property
    def pairs_text(self) -> str:
        """The parts whose neighbouring words are kept as pairs, for phrases (no pair spans
        two parts)."""
        return PART_BREAK.join(
            (self.title, self.body, self.lesson, self.tags, self.replies, self.offers)
        )

    def fields(self) -> dict:
        values = {
            "owner": self.owner,
            "kind": self.kind,
            "ref": self.ref,
            "title": self.title,
            "tags": self.tags,
            "lesson": self.lesson,
            "body": self.body,
            "replies": self.replies,
            "people": self.people,
            "offers": self.offers,
            "labels": self.labels,
            "pairs": self.pairs_text,
            "words": "\n".join(
                (self.title, self.tags, self.body, self.lesson, self.replies, self.people)
                + (self.offers,)
            ),
            "themes": " ".join(str(theme) for theme in self.themes),
            "access": " ".join(self.access),
            "year": str(self.created.year),
            "created": int((self.created - EPOCH).total_seconds()),
        }
        if self.status:
            values["status"] = self.status
        if self.perspective:
            values["perspective"] = self.perspective
        return values


class RebuildCodec(W3Codec):
    """Whoosh's codec without per-block length statistics while a new index is written in
    bulk: reading every document length back per posting made up half of a rebuild. Blocks
    then report a minimum length of 0, which only makes block-quality skipping a little less
    eager; scores are unchanged."""

    length_stats = False
