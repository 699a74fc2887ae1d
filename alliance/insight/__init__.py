"""Network health: is the exchange really two-way? Charts and tables for coordinators at
``/coordinatie/gezondheid`` and the public year at a glance at ``/jaarbeeld``. Every figure is
an SQL aggregate; the charts are SVG made on the server."""

from flask import Blueprint, Flask

bp = Blueprint("insight", __name__)


def init_app(app: Flask) -> None:
    """The dashboard and the jaarbeeld."""
    from alliance.insight import views  # noqa: F401

    app.register_blueprint(bp)
