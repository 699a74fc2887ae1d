"""``flask groups purge``: remove deleted documents after their 30 days (run it daily from cron)."""

import click
from flask import Flask

from alliance.groups import documents


def register_commands(app: Flask) -> None:
    """Register the ``flask groups`` commands."""

    @app.cli.group("groups")
    def groups_cli():
        """Working groups: housekeeping."""

    @groups_cli.command("purge")
    def purge_command():
        """Remove documents deleted more than 30 days ago, with every version's file, and any
        file in the store that no document points to any more."""
        removed = documents.purge()
        click.echo(f"{removed} deleted documents removed")
