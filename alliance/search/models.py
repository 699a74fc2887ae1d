"""The search outbox (the Whoosh backend: which documents changed, written in the same
transaction as the change) and the search documents of the PostgreSQL backend."""

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from alliance.core.timeutil import utcnow
from alliance.extensions import db


class SearchOutbox(db.Model):
    """One document (``kind``, ``ref_id``) to index again; the row is re-read when drained, so a
    rollback leaves nothing behind and a crash before the drain loses nothing."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    ref_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


#: On SQLite (where this table stays empty: the Whoosh backend) the PostgreSQL types become
#: plain ones, so that one model and one migration serve both databases.
_WORDS = TSVECTOR().with_variant(Text(), "sqlite")
_TOKENS = ARRAY(String(40)).with_variant(JSON(), "sqlite")
_NUMBERS = ARRAY(Integer()).with_variant(JSON(), "sqlite")


class SearchDocument(db.Model):
    """One thing to find, for the PostgreSQL backend (``SEARCH_BACKEND = "postgresql"``):
    written in the same transaction as the change it reflects (``search.postgres``).
    ``vector``: the weighted Dutch words (title A; tags, *Ik bied* and lessons B; the text C;
    replies, names and labels D); ``access``: who may find it (``knowledge.access`` tokens);
    ``excerpt``: a short window of the text for ``ts_headline``."""

    __tablename__ = "search_document"
    __table_args__ = (
        Index("ix_search_document_vector", "vector", postgresql_using="gin"),
        Index("ix_search_document_head", "head", postgresql_using="gin"),
        Index("ix_search_document_created", "created"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(40), index=True)  # "item:12"
    kind: Mapped[str] = mapped_column(String(20))
    ref: Mapped[int]
    access = mapped_column(_TOKENS, nullable=False)
    themes = mapped_column(_NUMBERS, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="")
    perspective: Mapped[str] = mapped_column(String(20), default="")
    year: Mapped[str] = mapped_column(String(4), default="")
    created: Mapped[datetime]
    title: Mapped[str] = mapped_column(Text, default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    vector = mapped_column(_WORDS, nullable=False)
    #: The words of the title (A) and of tags, *Ik bied* and lessons (B) alone: small, kept in
    #: the row, for the first pass of ranking many hits.
    head = mapped_column(_WORDS, nullable=False)


class SearchWord(db.Model):
    """A word (folded, as written, no stop words) of some search document, for the PostgreSQL
    backend: spelling suggestions and the parts of compounds are looked up here (a trigram
    index). Words are added with the documents and never removed: a word nobody uses any more
    finds nothing, and suggestions are only made when they find something."""

    __tablename__ = "search_word"
    __table_args__ = (
        Index(
            "ix_search_word_trigram",
            "word",
            postgresql_using="gin",
            postgresql_ops={"word": "public.gin_trgm_ops"},
        ),
    )

    word: Mapped[str] = mapped_column(String(40), primary_key=True)
