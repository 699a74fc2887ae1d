"""Give and take: notifications in the app and by e-mail, digests, reminders, and matching
dilemmas to the members who can help. Notify hears what happened through ``core.signals``
(``receivers``) and tells the members concerned (``services.notify``)."""

from flask import Blueprint, Flask

bp = Blueprint("notify", __name__)


def init_app(app: Flask) -> None:
    """The pages, the receivers, the ``flask notify`` commands, the bell in the header and its
    out-of-band update."""
    from alliance.notify import cli, reading, receivers, views  # noqa: F401

    cli.register_commands(app)
    app.jinja_env.globals["unread_notifications"] = reading.unread_count_for_current_user
    app.after_request(reading.add_bell_to_fragment)
    app.register_blueprint(bp)
