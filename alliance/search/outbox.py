"""How features tell search that a document changed: ``mark_changed(kind, id)`` in the same
transaction as the change. After the commit the outbox is drained (see ``index``)."""

from alliance.extensions import db
from alliance.search.models import SearchOutbox

#: The kinds of document search knows; each has a loader in ``alliance.search.documents``.
KINDS = ("item", "member", "group")


def mark_changed(kind: str, ref_id: int) -> None:
    """Index document ``kind``/``ref_id`` again once this transaction commits (also for a
    deletion: the drain finds the row gone and removes the document)."""
    if kind not in KINDS:
        raise ValueError(f"unknown search document kind {kind!r}")
    db.session.add(SearchOutbox(kind=kind, ref_id=ref_id))
    _drain_after_commit()


def _drain_after_commit() -> None:
    from flask import g, has_app_context

    if not has_app_context() or g.get("search_drain_scheduled"):
        return
    g.search_drain_scheduled = True
    from alliance.core.database import after_commit

    def drain():
        from alliance.search.index import drain_outbox

        drain_outbox()

    after_commit(drain)
