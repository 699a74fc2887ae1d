"""Alliantie Open Overheid: the application factory."""

import importlib

from flask import Flask

from alliance.config import load_config


def create_app(config: dict | None = None) -> Flask:
    """Build the app: a readable list of steps, each in the feature that owns it."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="static",
    )
    load_config(app, config)

    from alliance import (
        accounts,
        agenda,
        core,
        demo,
        groups,
        knowledge,
        mail,
        members,
        moderation,
        notify,
        privacy,
        search,
        themes,
    )
    from alliance.core import database, i18n, security, web

    database.configure_database(app)
    security.configure_security(app)
    i18n.configure_i18n(app)
    accounts.configure_accounts(app)
    web.configure_templates(app)
    web.configure_errors(app)
    mail.configure_mail(app)
    search.configure_search(app)
    notify.configure_notify(app)

    for feature in (
        core,
        accounts,
        members,
        themes,
        knowledge,
        groups,
        agenda,
        search,
        notify,
        moderation,
        privacy,
    ):
        importlib.import_module(f"{feature.__name__}.views")  # attaches the routes to feature.bp
        app.register_blueprint(feature.bp)
    demo.configure_commands(app)
    return app
