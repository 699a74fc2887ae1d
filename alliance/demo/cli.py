"""``flask demo-data``: load the named demo network, and optionally many synthetic members."""

from functools import cache

import click
from flask.cli import with_appcontext

from alliance.demo.network import DEMO_PASSWORD, DEMO_TOTP_SECRET, FIXED_ACCOUNTS


@click.command("demo-data")
@click.option(
    "--members",
    "member_count",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Also generate this many synthetic members (benchmarks).",
)
@click.option(
    "--items",
    "item_count",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Also generate this many synthetic dilemmas and experiences, with replies "
    "(benchmarks; needs at least 50 members).",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Seed for the synthetic members and items: the same seed gives the same data.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Load demo data even though the database has real (non-demo) members.",
)
@click.option(
    "--only-into-demo",
    "only_into_demo",
    is_flag=True,
    help="Load only into an empty database or one that holds demo data only; otherwise say "
    "so and change nothing (exit 0). For scripts/dev.sh, which must always start.",
)
@click.option(
    "--no-search-index",
    "skip_index",
    is_flag=True,
    help="Do not rebuild the search index afterwards (run 'flask search rebuild' yourself).",
)
@with_appcontext
def demo_data_command(
    member_count: int,
    item_count: int,
    seed: int,
    force: bool,
    only_into_demo: bool,
    skip_index: bool,
):
    """Load the Dutch demo network and its knowledge base; with --members N, add N synthetic
    members, with --items N, N synthetic items with replies.

    Safe to run again: people whose e-mail address exists and items whose title exists are
    skipped, synthetic members are numbered on from the last one, synthetic items are added.
    Every demo account has the same password."""
    from alliance.core.passwords import hash_password
    from alliance.core.timeutil import utcnow
    from alliance.demo.generate import generate_members
    from alliance.demo.history import date_notifications
    from alliance.demo.network import load_network
    from alliance.extensions import db

    @cache
    def shared_hash() -> str:
        # Argon2 is slow on purpose: one hash, shared by every demo account of this run.
        return hash_password(DEMO_PASSWORD)

    from sqlalchemy import func, not_, select

    from alliance.members.models import Member

    real = db.session.scalar(
        select(func.count(Member.id)).where(not_(Member.email.like("%alliantie.example")))
    )
    if real and only_into_demo:
        click.echo(
            f"This database has real members ({real}): no demo data loaded, it is used as it is."
        )
        return
    if real and not force:
        # Demo accounts share a password printed in the README: never in a real network.
        raise click.ClickException(
            f"This database has {real} real members; demo data (with a published password) "
            "does not belong there. Use --force only on a copy for testing."
        )
    click.echo("Named network: looking for people who are not there yet…")
    network = load_network(shared_hash)
    click.echo(
        f"Named network: {len(network.added)} members added, "
        f"{len(network.skipped)} skipped (e-mail address already in use)."
    )

    if member_count:
        click.echo(f"Synthetic members: generating {member_count} (seed {seed})…")
        try:
            with click.progressbar(length=member_count, label="Synthetic members") as bar:
                numbers = generate_members(member_count, seed, shared_hash(), bar.update)
        except ValueError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        click.echo(
            f"Synthetic members: {len(numbers)} added "
            f"(numbers {numbers.start} to {numbers.stop - 1})."
        )

    started = utcnow()
    _knowledge_base(item_count, seed)
    date_notifications(started)
    db.session.commit()
    click.echo("Saved.")
    if not skip_index:
        _rebuild_search_index()
    click.echo(f"Log in with any demo account and the password {DEMO_PASSWORD!r}:")
    for email, role in FIXED_ACCOUNTS.items():
        click.echo(f"  {email} ({role})")
    click.echo(
        "Coordinators and administrators log in in two steps: add the key "
        f"{DEMO_TOTP_SECRET} to an authenticator app for the code."
    )
    click.echo(
        "Every demo person, by role and perspective (debug mode, scripts/dev.sh): "
        "/ontwikkeling/demo-leden"
    )


def _rebuild_search_index() -> None:
    """Demo data is written in bulk, past the search outbox: index everything afresh."""
    import os

    from flask import current_app

    from alliance.search import Progress
    from alliance.search.backend import rebuild_index

    click.echo("Search index: rebuilding…")
    procs = current_app.config["SEARCH_REBUILD_PROCS"] or min(2, os.cpu_count() or 1)
    count = rebuild_index(Progress(), procs=procs)
    click.echo(f"Search index: {count} things indexed.")


def _knowledge_base(item_count: int, seed: int) -> None:
    """The named dilemmas and experiences, then ``item_count`` synthetic ones."""
    from alliance.demo.items import generate_items, item_authors, load_items
    from alliance.extensions import db

    click.echo("Knowledge base: looking for named items that are not there yet…")
    named = load_items()
    click.echo(
        f"Knowledge base: {len(named.added)} items added, "
        f"{len(named.skipped)} skipped (title already in use)."
    )
    for title in named.incomplete:
        click.echo(f"Knowledge base: skipped {title!r}: one of its people is missing.")
    from alliance.demo.groups import load_groups

    groups = load_groups()
    click.echo(f"Working groups: {len(groups)} added.")
    from alliance.demo.agenda import load_events

    events = load_events()
    click.echo(f"Agenda: {len(events)} events added.")
    if not item_count:
        return
    try:
        authors = item_authors()
        click.echo(f"Synthetic items: generating {item_count} (seed {seed})…")
        with click.progressbar(length=item_count, label="Synthetic items") as bar:
            done = generate_items(item_count, seed, bar.update, authors)
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Synthetic items: {done.items} added, with {done.replies} replies.")
