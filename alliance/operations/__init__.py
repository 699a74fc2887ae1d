"""The operator's kit: ``flask backup`` and ``flask restore`` (the database and the uploaded
files in one archive), and ``/metrics`` for Prometheus. One floor up from the features whose
data they read (mail, notify, search)."""

from flask import Flask


def init_app(app: Flask) -> None:
    """``/metrics`` with every request counted and timed; ``flask backup`` and ``flask
    restore``."""
    from alliance.operations import cli, metrics

    metrics.configure_metrics(app)
    cli.register_commands(app)
