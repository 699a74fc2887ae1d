"""Agenda: meedenksessies and other events that members propose, join and report on."""

from flask import Blueprint

bp = Blueprint("agenda", __name__, url_prefix="/agenda")


def init_app(app) -> None:
    """The agenda pages and calendar feeds, and the receivers (leaving a group's events,
    reporting an event, a member's data)."""
    from alliance.agenda import feeds, receivers, views  # noqa: F401

    app.register_blueprint(bp)
