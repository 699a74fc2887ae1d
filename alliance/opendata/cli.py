"""``flask opendata dump``: run it daily from cron (see the README)."""

import click
from flask import Flask

from alliance.opendata.dumps import make_dump


def register_commands(app: Flask) -> None:
    """Register the ``flask opendata`` commands."""

    @app.cli.group("opendata")
    def opendata_cli():
        """Open data: the daily dump of the public knowledge."""

    @opendata_cli.command("dump")
    def dump_command():
        """Write the open-data files (JSON and CSV) and their manifest into the file store."""
        manifest = make_dump()
        for name, info in manifest["files"].items():
            click.echo(f"{name}: {info['records']} records, {info['bytes']} bytes")
