"""Themes of the action plan: a page per theme; coordinators add, rename and retire them."""

from flask import Blueprint

bp = Blueprint("themes", __name__, url_prefix="/themas")


def init_app(app) -> None:
    """The list of themes and the coordinators' theme management."""
    from alliance.themes import views  # noqa: F401

    app.register_blueprint(bp)
