"""``flask create-admin``."""

import click
from flask import Flask

from alliance.core.errors import RuleError


def register(app: Flask) -> None:
    """Add the account commands to the ``flask`` CLI."""

    @app.cli.command("create-admin")
    @click.option("--email", prompt=True, help="E-mail address of the administrator.")
    @click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="At least 12 characters.",
    )
    @click.option("--name", default="Beheerder", show_default=True)
    def create_admin_command(email: str, password: str, name: str):
        """Create an administrator (or make an existing member one)."""
        from alliance.accounts.services import create_admin
        from alliance.extensions import db

        try:
            member = create_admin(email, password, name)
        except RuleError as error:
            raise click.ClickException(str(error)) from error
        db.session.commit()
        click.echo(f"Administrator {member.email} is ready.")
