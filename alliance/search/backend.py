"""Which search backend answers: Whoosh (the embedded default) or PostgreSQL
(``SEARCH_BACKEND = "postgresql"``); what the app and its commands ask of either."""

from alliance.search import index, postgres


def rebuild_index(progress=None, procs: int = 1) -> int:
    """Build the search index again from the database, on the configured backend."""
    if postgres.enabled():
        return postgres.rebuild(progress)
    return index.rebuild(progress, procs=procs)


def drain_outbox(wait: float = 5.0, stop=None) -> int:
    """Index what waits in the outbox (Whoosh); PostgreSQL writes its documents in the
    transaction of each change, so there is nothing to drain there."""
    if postgres.enabled():
        return 0
    return index.drain_outbox(wait=wait, stop=stop)


def check_index() -> None:
    """Raise when search cannot answer (the health check)."""
    if postgres.enabled():
        postgres.check()
    else:
        index.open_index()
