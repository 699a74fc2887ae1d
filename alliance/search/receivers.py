"""How search hears of changes (``signals.content_changed``, ``signals.member_renamed``) and
answers the questions of the features below it: similar items while a title is typed, and the
members matching a text in the directory."""

from sqlalchemy import select

from alliance.core import signals
from alliance.extensions import db
from alliance.knowledge.models import Item
from alliance.search import outbox, postgres, services


def mark_changed(kind: str, ref_id: int) -> None:
    """Whoosh: index the document again once the transaction commits (the search outbox).
    PostgreSQL: write its search documents in this transaction, just before it commits."""
    if postgres.enabled():
        postgres.mark_changed(kind, ref_id)
    else:
        outbox.mark_changed(kind, ref_id)


@signals.content_changed.connect
def reindex(kind: str, ref_id: int) -> None:
    """Find the thing as it is now (see ``mark_changed``)."""
    mark_changed(kind, ref_id)


@signals.member_renamed.connect
def reindex_authored(member) -> None:
    """A new name: the member's posts are found under it (anonymous ones never by a name)."""
    for item_id in db.session.scalars(
        select(Item.id).where(Item.author_id == member.id, Item.anonymous.is_(False))
    ):
        mark_changed("item", item_id)


@signals.similar_items.connect
def similar_items(text: str, viewer, limit: int, exclude: int | None) -> list[Item]:
    """Items about the same thing as ``text``, that ``viewer`` may read, best first."""
    return services.similar_items(text, viewer, limit, exclude)


@signals.members_matching.connect
def members_matching(text: str, viewer) -> list[int] | None:
    """Members matching every word of ``text``; None when the index is unavailable."""
    return services.member_ids(text, viewer)
