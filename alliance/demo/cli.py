"""``flask demo-data``: load the named demo network, and optionally many synthetic members."""

from functools import cache

import click
from flask.cli import with_appcontext

from alliance.demo.network import DEMO_PASSWORD, FIXED_ACCOUNTS


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
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Seed for the synthetic members: the same seed gives the same people.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Load demo data even though the database has real (non-demo) members.",
)
@with_appcontext
def demo_data_command(member_count: int, seed: int, force: bool):
    """Load the Dutch demo network; with --members N, add N synthetic members as well.

    Safe to run again: people whose e-mail address exists are skipped, synthetic members are
    numbered on from the last one. Every demo account has the same password."""
    from alliance.accounts.passwords import hash_password
    from alliance.demo.generate import generate_members
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

    db.session.commit()
    click.echo("Saved.")
    click.echo(f"Log in with any demo account and the password {DEMO_PASSWORD!r}:")
    for email, role in FIXED_ACCOUNTS.items():
        click.echo(f"  {email} ({role})")
