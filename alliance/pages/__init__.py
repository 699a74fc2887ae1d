"""Pages that combine features: the home page, the information pages and the language choice,
a theme (its posts and its members) and a member's profile (with give and take)."""

from flask import Blueprint, Flask

bp = Blueprint("pages", __name__)


def init_app(app: Flask) -> None:
    """The pages' routes."""
    from alliance.pages import coordination, lessons, views, welcome  # noqa: F401

    app.register_blueprint(bp)
    app.context_processor(lambda: {"coordination_waiting": coordination.waiting_for_coordinators})
