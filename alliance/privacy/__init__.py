"""The member's own data (AVG): download everything as a ZIP, delete the account."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)


def init_app(app) -> None:
    """The pages of "Mijn gegevens"."""
    from alliance.privacy import views  # noqa: F401

    app.register_blueprint(bp)
