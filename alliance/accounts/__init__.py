"""Accounts: registration, login and logout, passwords, e-mail address, invitations, roles."""

from flask import Blueprint, Flask

bp = Blueprint("accounts", __name__)


def configure_accounts(app: Flask) -> None:
    """Flask-Login with server-side login sessions, Flask-Limiter, CSRF and the CLI command."""
    from datetime import timedelta

    from flask_babel import lazy_gettext as _l

    from alliance.accounts import cli, services
    from alliance.extensions import csrf, limiter, login_manager

    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(
        days=app.config["REMEMBER_COOKIE_DURATION_DAYS"]
    )
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(services.member_for_session)
    csrf.init_app(app)
    limiter.init_app(app)
    cli.register(app)
