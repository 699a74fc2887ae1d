"""How search hears that a document changed: ``mark_changed(kind, id)`` in the same
transaction as the change (features send ``signals.content_changed``; ``receivers`` calls this).
After the commit the outbox is drained (see ``index``)."""

from flask import g, has_app_context

from alliance.core.database import drain_after_commit
from alliance.extensions import db
from alliance.search import documents
from alliance.search.index import drain_outbox
from alliance.search.models import SearchOutbox


def mark_changed(kind: str, ref_id: int) -> None:
    """Index document ``kind``/``ref_id`` again once this transaction commits (also for a
    deletion: the drain finds the row gone and removes the document)."""
    if kind not in documents.kinds():
        raise ValueError(f"unknown search document kind {kind!r}")
    db.session.add(SearchOutbox(kind=kind, ref_id=ref_id))
    _drain_after_commit()


def _drain_after_commit() -> None:
    if not has_app_context() or g.get("search_drain_scheduled"):
        return
    g.search_drain_scheduled = True
    drain_after_commit(drain_outbox)
