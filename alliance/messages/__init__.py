"""Messages between members: private conversations of two (or a few, at most 8) members,
with blocking, reporting to the coordinators, a limit for new accounts, and each member's
choice of who may write to them. Messages are never indexed for search."""

from flask import Blueprint, Flask

bp = Blueprint("messages", __name__)


def init_app(app: Flask) -> None:
    """The pages and the receivers (export, erasure, reporting)."""
    from alliance.messages import receivers, views  # noqa: F401

    app.register_blueprint(bp)
