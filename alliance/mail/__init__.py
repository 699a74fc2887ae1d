"""E-mail: an outbox table, delivered after commit and by ``flask mail send``."""

import click
from flask import Flask, current_app

from alliance.mail import upkeep
from alliance.mail.services import deliver_pending


def init_app(app: Flask) -> None:
    """The ``flask mail send | status | purge`` commands, and what the outbox keeps about a
    member."""
    from alliance.mail import receivers  # noqa: F401

    @app.cli.group("mail")
    def mail_cli():
        """E-mail outbox."""

    @mail_cli.command("send")
    def send_command():
        """Send every message still waiting in the outbox whose pause after a failed try is
        over, and delete sent mail past MAIL_KEEP_SENT_DAYS (run it from cron every minute)."""
        upkeep.purge_old_mail()
        sent, failed = deliver_pending()
        click.echo(f"{sent} sent, {failed} failed")
        upkeep.warn_if_backlog_is_old()

    @mail_cli.command("status")
    def status_command():
        """What waits in the outbox, how old the oldest is, and the last error."""
        found = upkeep.warn_if_backlog_is_old()
        keep = current_app.config["MAIL_KEEP_SENT_DAYS"]
        click.echo(f"not tried yet:  {found.not_tried}")
        click.echo(f"failing:        {found.failing}")
        click.echo(f"given up:       {found.given_up}")
        click.echo(f"oldest waiting: {upkeep.age_text(found.oldest_waiting)}")
        click.echo(f"last error:     {found.last_error or '-'}")
        click.echo(f"sent, kept {keep} days: {found.sent}")

    @mail_cli.command("purge")
    def purge_command():
        """Delete sent (and given up) mail older than MAIL_KEEP_SENT_DAYS."""
        click.echo(f"{upkeep.purge_old_mail()} purged")
