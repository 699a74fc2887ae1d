"""The demo-data command (filled in below)."""

import click


@click.command("demo-data")
def demo_data_command():
    """Load the demo network."""
    raise click.ClickException("not yet")
