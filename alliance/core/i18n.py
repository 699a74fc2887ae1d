"""Language: Dutch by default, English as the second language, remembered per member."""

from flask import Flask, current_app, g, has_request_context, session
from flask_babel import get_locale, get_translations
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


def writing_language() -> str:
    """The language of text written now (stored with a contribution, so that it is marked
    ``lang`` when shown in the other interface language): the writer's interface language;
    Dutch outside a request (demo data, the command line)."""
    if has_request_context():
        language = str(get_locale())
        if language in current_app.config["LANGUAGES"]:
            return language
    return "nl"


def configure_i18n(app: Flask) -> None:
    """Bind Flask-Babel to the translations folder inside the package."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories="translations",
    )
    # Templates ask for a translation hundreds of times a page; Flask-Babel looks the locale
    # and the catalog up anew each time (26 µs a call). Keep the catalog with the locale it
    # belongs to, so force_locale (e-mail in the recipient's language) still switches.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def _translations():
    """This request's catalog for the locale in force, looked up once per locale."""
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    cached = getattr(state, "alliance_translations", None)
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    state = g.get("_flask_babel")
    if state is not None and getattr(state, "babel_locale", None) is not None:
        state.alliance_translations = (state.babel_locale, translations)
    return translations
