"""``flask demo-data``: a realistic Dutch demo network, and large volumes for benchmarks."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the demo-data command."""
    from alliance.demo.cli import demo_data_command

    app.cli.add_command(demo_data_command)
