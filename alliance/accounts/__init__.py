"""Accounts: registration, login and logout, passwords, e-mail address, invitations, roles,
two-step login and sessions."""

from flask import Blueprint, Flask

bp = Blueprint("accounts", __name__)


def init_app(app: Flask) -> None:
    """Flask-Login with server-side login sessions, Flask-Limiter, CSRF, the pages, the CLI
    command, the receivers, and the 403 page that sends a coordinator without two-step login
    to set it up first."""
    from datetime import timedelta

    from flask_babel import lazy_gettext as _l

    from alliance.accounts import cli, receivers, services, trust_views, twofactor, views  # noqa: F401
    from alliance.core.web import error_page
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
    app.register_blueprint(bp)

    @app.errorhandler(403)
    def forbidden(_error):
        return twofactor.redirect_to_setup() or error_page(403)
