"""Give and take: notifications in the app and by e-mail, digests, reminders, and matching
dilemmas to the members who can help. Other features call ``services.notify``."""

from flask import Blueprint

bp = Blueprint("notify", __name__)


def configure_notify(app) -> None:
    """The ``flask notify`` commands, the bell in the header and its out-of-band update."""
    from alliance.notify import cli, services

    cli.register_commands(app)
    app.jinja_env.globals["unread_notifications"] = services.unread_count_for_current_user

    @app.after_request
    def bell_out_of_band(response):
        return services.add_bell_to_fragment(response)
