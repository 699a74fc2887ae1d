"""Members: profiles that say what a member gives and asks, and the member directory."""

from flask import Blueprint

bp = Blueprint("members", __name__)


def init_app(app) -> None:
    """The directory, the profile form and photo, and what members keep for the export."""
    from alliance.members import photos, receivers, views  # noqa: F401

    app.jinja_env.filters["initials"] = photos.initials
    app.jinja_env.filters["avatar_colour"] = photos.colour
    app.jinja_env.globals["photo_shown"] = photos.shown
    app.register_blueprint(bp)
