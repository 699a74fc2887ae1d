"""``flask notify send | digest | reminders``: run them from cron (see the README)."""

import click
from flask import Flask

from alliance.extensions import db
from alliance.mail.services import deliver_pending
from alliance.notify.digests import send_digests
from alliance.notify.reminders import send_reminders


def register_commands(app: Flask) -> None:
    """Register the ``flask notify`` commands."""

    @app.cli.group("notify")
    def notify_cli():
        """Notifications: e-mail, digests and reminders."""

    @notify_cli.command("send")
    def send_command():
        """Send every e-mail still waiting in the outbox. A mail server that is down loses
        nothing: the messages stay and go out on the next run."""
        sent, failed = deliver_pending()
        click.echo(f"{sent} sent, {failed} failed")

    @notify_cli.command("digest")
    @click.option(
        "--frequency", type=click.Choice(["daily", "weekly"]), default="daily", show_default=True
    )
    def digest_command(frequency: str):
        """Gather waiting notifications into one e-mail per member, then send the outbox."""
        queued = send_digests(frequency)
        click.echo(f"{queued} {frequency} digests queued")
        sent, failed = deliver_pending()
        click.echo(f"{sent} sent, {failed} failed")

    @notify_cli.command("reminders")
    def reminders_command():
        """Tasks due soon, working groups ending soon or past their end date (to the leads),
        dilemmas to decide (30 days after the first answers) and to evaluate (90 days after the
        decision). Each reminder once."""
        told = send_reminders()
        db.session.commit()
        click.echo(f"{told} reminders")
