"""Moderation: reports, the queue for coordinators, hiding and restoring, suspensions, the audit
log, and the pages that say what each role can do."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)


def init_app(app) -> None:
    """The reporting form, the queue, the audit log and the role pages, and the receivers
    (suspension at login, role changes in the audit log, a member's data)."""
    from alliance.moderation import receivers, views  # noqa: F401

    app.register_blueprint(bp)
