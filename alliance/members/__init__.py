"""Members: profiles that say what a member gives and asks, and the member directory."""

from flask import Blueprint

bp = Blueprint("members", __name__)


def init_app(app) -> None:
    """The directory and the profile form, and what members keep for the export."""
    from alliance.members import receivers, views  # noqa: F401

    app.register_blueprint(bp)
