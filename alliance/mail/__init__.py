"""E-mail: an outbox table, delivered after commit and by ``flask mail send``."""

import click
from flask import Flask

from alliance.mail.services import deliver_pending


def init_app(app: Flask) -> None:
    """The ``flask mail send`` command, and what the outbox keeps about a member."""
    from alliance.mail import receivers  # noqa: F401

    @app.cli.group("mail")
    def mail_cli():
        """E-mail outbox."""

    @mail_cli.command("send")
    def send_command():
        """Send every message still waiting in the outbox (run it from cron)."""
        sent, failed = deliver_pending()
        click.echo(f"{sent} sent, {failed} failed")
