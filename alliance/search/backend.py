"""Which search backend answers: Whoosh (the embedded default) or PostgreSQL
(``SEARCH_BACKEND = "postgresql"``); what the app and its commands ask of either."""

from alliance.search import index, postgres


def rebuild_index(progress=None, procs: int = 1) -> int:
    """Build the search index again from the database, on the configured backend."""
    if postgres.enabled():
        return postgres.rebuild(progress)
    return index.rebuild(progress, procs=procs)


def check_index() -> None:
    """Raise when search cannot answer (the health check)."""
    if postgres.enabled():
        postgres.check()
    else:
        index.open_index()
