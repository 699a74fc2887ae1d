"""Open data: the public knowledge as a daily dump (JSON and CSV, with a documentation page
and a licence per record) and as a read-only JSON API ``/api/v1/`` with an OpenAPI 3.1
description. One floor up from the features whose public content it publishes."""

from flask import Blueprint, Flask

bp = Blueprint("opendata", __name__)


def init_app(app: Flask) -> None:
    """The documentation page and downloads, the API, and ``flask opendata dump``."""
    from alliance.opendata import cli, views  # noqa: F401
    from alliance.opendata.api import bp as api_bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    cli.register_commands(app)
