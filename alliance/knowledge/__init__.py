"""Kennisbank: dilemmas and experiences, answered from every perspective, with the loop closed."""

from flask import Blueprint

bp = Blueprint("knowledge", __name__, url_prefix="/kennisbank")


def init_app(app) -> None:
    """The Kennisbank pages, and its receivers (reminders, a member's data)."""
    from alliance.knowledge import receivers, views  # noqa: F401

    app.register_blueprint(bp)
