"""Search: one permission-aware Dutch search over items, replies, members and working groups.

Features send ``signals.content_changed`` (``receivers`` puts it in the outbox); ``services``
answers queries; ``index`` keeps the Whoosh index on disk; ``engine`` evaluates queries.
``postgres`` is the second backend (``SEARCH_BACKEND = "postgresql"``): the documents in a
table with a ``tsvector``, written in the transaction of the change, asked with PostgreSQL's
full-text search; the features do not notice which one answers."""

import os
import time

import click
from flask import Blueprint, Flask

bp = Blueprint("search", __name__)


class Progress:
    """Progress of a rebuild on stderr: a line per kind at 0 %, every 10 % and at the end."""

    def __init__(self):
        self.started = {}
        self.shown = {}

    def __call__(self, kind: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.started.setdefault(kind, now)
        step = (done * 10 // total) if total else 10
        if self.shown.get(kind) == step:
            return
        self.shown[kind] = step
        rate = done / max(now - self.started[kind], 1e-9)
        percent = 100 * done // total if total else 100
        click.echo(f"{kind:>7}: {done:>7} of {total} ({percent:3d} %), {rate:,.0f}/s", err=True)


def init_app(app: Flask) -> None:
    """The search page, the receivers, ``flask search rebuild|status|drain``; each request's
    index view is closed at its end."""
    from alliance.search import postgres, receivers, views  # noqa: F401
    from alliance.search.backend import rebuild_index
    from alliance.search.engine import forget_views
    from alliance.search.index import drain_outbox, status

    backend = app.config.get("SEARCH_BACKEND") or "whoosh"
    if backend not in ("whoosh", "postgresql"):
        raise ValueError(f"SEARCH_BACKEND must be 'whoosh' or 'postgresql', not {backend!r}")
    if backend == "postgresql":
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            raise ValueError("SEARCH_BACKEND 'postgresql' needs a PostgreSQL DATABASE_URL")
        postgres.configure_session_events()
    app.register_blueprint(bp)
    app.teardown_appcontext(forget_views)

    @app.cli.group("search")
    def search_cli():
        """The search index."""

    @search_cli.command("rebuild")
    @click.option(
        "--procs", type=int, default=None, help="indexing processes (default: cores, at most 4)"
    )
    def rebuild_command(procs):
        """Build a new index from the database aside, then swap it in (with progress)."""
        procs = procs or min(4, os.cpu_count() or 1)
        started = time.perf_counter()
        count = rebuild_index(Progress(), procs=procs)
        seconds = time.perf_counter() - started
        click.echo(
            f"Indexed {count} things in {seconds:.1f} s ({count / max(seconds, 1e-9):.0f}/s); "
            "the new index is in use."
        )

    @search_cli.command("status")
    def status_command():
        """Documents indexed and changes waiting in the outbox."""
        if postgres.enabled():
            figures = postgres.status()
            click.echo("Index: PostgreSQL (table search_document, kept in each transaction)")
            click.echo(f"Documents: {figures['documents']}")
            click.echo("Waiting in the outbox: 0 (no outbox on PostgreSQL)")
            return
        figures = status()
        if figures.get("error") or figures["directory"] is None:
            click.echo(
                f"No usable index: {figures.get('error', 'none built yet')}. "
                "Run 'flask search rebuild'."
            )
        else:
            click.echo(f"Index: {figures['directory']}")
            click.echo(f"Documents: {figures['documents']} in {figures['segments']} segment(s)")
        oldest = figures["oldest_waiting_s"]
        click.echo(
            f"Waiting in the outbox: {figures['waiting']}"
            + (f" (oldest {oldest:.0f} s)" if oldest is not None else "")
        )

    @search_cli.command("drain")
    def drain_command():
        """Index what is waiting in the outbox (the app does this itself after each change)."""
        if postgres.enabled():
            click.echo("0 change(s) indexed (PostgreSQL: written with each change)")
            return
        click.echo(f"{drain_outbox(wait=60)} change(s) indexed")

