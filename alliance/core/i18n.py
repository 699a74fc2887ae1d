"""Language: Dutch by default, English as the second language, remembered per member."""

from flask import Flask, current_app, session
from flask_login import current_user

from alliance.extensions import babel


def select_locale() -> str:
    """The member's saved choice, else the choice in this browser's session, else Dutch."""
    languages = current_app.config["LANGUAGES"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def configure_i18n(app: Flask) -> None:
    """Bind Flask-Babel to the translations folder inside the package."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories="translations",
    )
