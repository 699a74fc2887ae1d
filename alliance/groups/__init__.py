"""Werkgroepen: small, time-boxed working groups with a private space that publish their result."""

from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/werkgroepen")


def init_app(app) -> None:
    """The group pages, who is in which group for the other features (``core.audience``), and
    the receivers (links under a dilemma, reminders, search, a member's data)."""
    from alliance.core import audience
    from alliance.groups import (  # noqa: F401
        cli,
        directory,
        documents_views,
        proposals_views,
        receivers,
        stream_views,
        views,
    )

    audience.register(directory.Directory())
    app.register_blueprint(bp)
    cli.register_commands(app)
