"""Alliantie Open Overheid: the application factory."""

import gc
import itertools

from flask import Flask

from alliance.config import load_config


def create_app(config: dict | None = None) -> Flask:
    """Build the app: a readable list of steps, each in the feature that owns it. The features
    are set up bottom floor first (see ``pyproject.toml``, ``[tool.importlinter]``)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="static",
    )
    load_config(app, config)

    import alliance.models  # noqa: F401  (every model, before the database is bound)
    from alliance import (
        accounts,
        agenda,
        demo,
        groups,
        insight,
        knowledge,
        mail,
        members,
        messages,
        moderation,
        notify,
        opendata,
        operations,
        pages,
        privacy,
        search,
        themes,
        worker,
    )
    from alliance.core import database, health, i18n, logs, ratelimits, security, storage, web
    from alliance.search.backend import check_index

    logs.configure_logging(app)
    database.configure_database(app)
    security.configure_security(app)
    i18n.configure_i18n(app)
    ratelimits.configure_rate_limits(app)
    storage.configure_storage(app)
    web.configure_templates(app)
    web.configure_errors(app)
    health.configure_health(app, checks={"search index": check_index})
    for feature in (
        mail,
        themes,
        members,
        knowledge,
        groups,
        agenda,
        search,
        moderation,
        accounts,
        notify,
        messages,
        privacy,
        pages,
        insight,
        opendata,
        operations,
        demo,
        worker,
    ):
        feature.init_app(app)
    return app


def freeze_long_lived_objects(app: Flask) -> None:
    """In a server process: hide the objects that live as long as the process (modules, the
    app, compiled templates, SQL and URL rules, made at startup and by the first requests) from
    the garbage collector. A full collection then walks only what a request makes, not
    ~130,000 long-lived objects: without this, about one request in twenty paid a 15 ms pause
    (the group space's p95 went from 41 to 26 ms, bench/pages.py). Freezes now, and after the
    1st, 20th and 200th request, when the caches have filled."""
    gc.collect()
    gc.freeze()
    served = itertools.count(1)

    @app.teardown_request
    def freeze_again(_error=None):
        if next(served) in (1, 20, 200):
            gc.collect()
            gc.freeze()
