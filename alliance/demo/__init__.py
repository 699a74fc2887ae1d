"""``flask demo-data``: a realistic Dutch demo network, and large volumes for benchmarks."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the demo-data command, and in debug mode the development pages."""
    from alliance.demo import devpages
    from alliance.demo.cli import demo_data_command

    app.cli.add_command(demo_data_command)
    if devpages.enabled(app):
        devpages.register(app)
