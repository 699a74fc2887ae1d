"""Rendering pages and htmx fragments, template globals and friendly error pages."""

import hashlib
import os
from functools import lru_cache
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date, format_decimal, format_time, get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2_fragments.flask import render_block
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from alliance.core import audience, signals
from alliance.core.errors import RuleError
from alliance.core.text import render_markdown
from alliance.extensions import htmx


def wants_fragment() -> bool:
    """True for an htmx request that swaps part of a page (not boosted, not a history restore)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template: str, block: str | None = None, status: int = 200, **context):
    """Render the whole page, or only ``block`` of it when htmx asks for a fragment."""
    if block and wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    return body, status, {"Vary": "HX-Request"}


def parse_id(text: str | None) -> int | None:
    """A row id typed into a form or query string: ASCII digits only, at most 12 of them.

    ``str.isdigit`` also accepts "²" and other digits ``int()`` refuses, so it is not enough.
    """
    text = (text or "").strip()
    if 0 < len(text) <= 12 and text.isascii() and text.isdecimal():
        return int(text)
    return None


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site: no scheme, no host, no ``//`` or backslash tricks."""
    if not target:
        return fallback
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(c) < 32 for c in target):
        return fallback
    return target


def path_for(endpoint: str, **values) -> str:
    """A path on this site, also outside a request (the scheduled commands)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def external_url(path: str) -> str:
    """A path on this site made into a whole link (for e-mail), from ``SITE_URL``."""
    return current_app.config["SITE_URL"].rstrip("/") + path


def field_error(form, error: RuleError, fallback: str | None = None) -> None:
    """Show a service's refusal next to the field it names (or next to ``fallback``, or the
    first visible field, when the form has no such field or does not show it: a hidden field's
    error would be shown under its internal name, next to nothing)."""

    def shown(field) -> bool:
        return hasattr(field, "errors") and field.type not in ("HiddenField", "CSRFTokenField")

    target = getattr(form, error.field, None)
    if target is None or not shown(target):
        target = getattr(form, fallback, None) if fallback else None
    if target is None or not shown(target):
        target = next((field for field in form if shown(field)), None)
    if target is None:  # a form of buttons only: the error summary shows it without a name
        target = next(field for field in form if field.name != "csrf_token")
    target.errors = list(target.errors) + [str(error)]


def group_names_of(items) -> dict[int, str]:
    """The names of the working groups whose private items are in a list (one statement, and
    none when there are none): for the label "alleen voor werkgroep X"."""
    ids = {item.group_id for item in items if item.visibility == "group" and item.group_id}
    return {group_id: ref.name for group_id, ref in audience.group_refs(ids).items()}


def template_hook(name: str, **context) -> Markup:
    """What the features above a page add at a named place in it (``signals.template_hook``)."""
    return Markup("").join(signals.answers(signals.template_hook, name, **context))


def format_day(value) -> str:
    """The one way a day is written, on every page and in every list: "6 sep 2026" (in
    English "Sep 6, 2026")."""
    return _written(format_date, value, "medium", str(get_locale()), str(get_timezone()))


def format_moment(value) -> str:
    """A day with its time, written the same way: "6 sep 2026, 14:05"."""
    time = _written(format_time, value, "short", str(get_locale()), str(get_timezone()))
    return f"{format_day(value)}, {time}"


def format_month(value, with_year: bool = True) -> str:
    """A month as a heading: "september 2026" (or only "september")."""
    pattern = "MMMM y" if with_year else "MMMM"
    return _written(format_date, value, pattern, str(get_locale()), str(get_timezone()))


@lru_cache(maxsize=8192)
def _written(formatter, value, pattern: str, locale: str, timezone: str) -> str:
    """Babel writes a date in ~40 µs and a page of tasks and proposals writes dozens of the same
    days; the same day in the same language and time zone is always written the same. The
    locale and the time zone in force are part of the key (``formatter`` reads them)."""
    return formatter(value, pattern)


class SelectOptions:
    """The ``<option>``s of a select that many rows of a page repeat (who does a task: every
    member of the group), written once; each row only marks its own choice."""

    def __init__(self, choices):
        self.html = "".join(
            f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in choices
        )

    def __call__(self, selected) -> Markup:
        chosen = f'<option value="{escape(selected)}">'
        return Markup(self.html.replace(chosen, f"{chosen[:-1]} selected>", 1))


def csrf_field() -> Markup:
    """The hidden CSRF field of a form, written once per page (a group space has dozens of
    forms; Flask-WTF looks the token up anew for each)."""
    field = g.get("_csrf_field")
    if field is None:
        token = escape(generate_csrf())
        field = g._csrf_field = Markup(f'<input type="hidden" name="csrf_token" value="{token}">')
    return field


def lang_of(thing) -> Markup:
    """` lang="nl"` for a block of member text, in the language it was written in (WCAG
    3.1.2: a screen reader reads Dutch text with a Dutch voice, also in the English interface);
    nothing when that language is not known."""
    language = getattr(thing, "lang", None)
    if language in current_app.config["LANGUAGES"]:
        return Markup(f' lang="{language}"')
    return Markup("")


def configure_static_versions(app: Flask) -> None:
    """Every link to a static file carries its content's version (``?v=3f9c0a1b2c``), so a
    proxy may let browsers keep static files for a year (``deploy/nginx.conf``): a changed
    file gets a new address. Worked out once per file and process (in debug mode again when
    the file changed)."""
    versions: dict[str, tuple[float, str | None]] = {}
    folder = app.static_folder

    def version_of(filename: str) -> str | None:
        path = os.path.join(folder, filename)
        try:
            changed = os.stat(path).st_mtime if app.debug else 0.0
        except OSError:
            return None
        known = versions.get(filename)
        if known is None or known[0] != changed:
            try:
                with open(path, "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()[:10]
            except OSError:
                digest = None
            known = versions[filename] = (changed, digest)
        return known[1]

    @app.url_defaults
    def add_static_version(endpoint, values):
        if endpoint == "static" and "v" not in values and values.get("filename"):
            filename = values["filename"]
            if ".." not in filename and (version := version_of(filename)):
                values["v"] = version


def configure_templates(app: Flask) -> None:
    """Filters and globals every template may use."""
    configure_static_versions(app)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["wants_fragment"] = wants_fragment
    app.jinja_env.globals["template_hook"] = template_hook
    app.jinja_env.globals["lang_of"] = lang_of
    app.jinja_env.globals["csrf_field"] = csrf_field
    # Also a global (Flask-Login puts it only in the page's context), so that macros imported
    # without "with context" (cached once, not evaluated again for every row) can read it.
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.globals["group_names_of"] = group_names_of
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = format_day
    app.jinja_env.filters["month"] = format_month
    app.jinja_env.filters["datetime"] = format_moment
    app.jinja_env.filters["number"] = format_decimal  # 12.000 in Dutch, 12,000 in English
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site_context():
        return {"languages": current_app.config["LANGUAGES"]}


def N_(text: str) -> str:
    """Mark a string for translation without translating it yet (pybabel keyword ``N_``)."""
    return text


ERROR_TEXTS = {
    400: (N_("Bad request"), N_("Something in the request was not right. Go back and try again.")),
    403: (N_("No access"), N_("You do not have access to this page.")),
    404: (
        N_("Page not found"),
        N_("This page does not exist (any more). Check the address or search."),
    ),
    405: (N_("Not allowed"), N_("This action is not possible here.")),
    413: (N_("Too large"), N_("What you sent is too large.")),
    429: (
        N_("Too many attempts"),
        N_("You tried this too often. Wait a few minutes and try again."),
    ),
    500: (
        N_("Something went wrong"),
        N_("Something went wrong on our side. Please try again later."),
    ),
}


def error_page(code: int):
    """The friendly page of an HTTP error, in the member's language: (body, code)."""
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    if code >= 500:
        session.pop("_flashes", None)  # a success message would be a lie now
    try:
        page = render_template("core/error.html", code=code, title=_(title), text=_(text))
    except Exception:  # the error page itself failed: answer plainly rather than not at all
        current_app.logger.exception("error page failed")
        page = f"<!doctype html><title>{code}</title><h1>{code}</h1>"
    return page, code


def _without_trailing_slash():
    """One rule for every address: a page is found with or without a slash at the end. Flask
    redirects ``/kennisbank`` to ``/kennisbank/`` (its rule ends with one); this does the other
    half, ``/leden/`` to ``/leden``. None when the path without the slash is no page either."""
    path = request.path
    if len(path) < 2 or not path.endswith("/") or request.url_rule is not None:
        return None
    adapter = current_app.create_url_adapter(request)
    try:
        adapter.match(path.rstrip("/"), method=request.method)
    except HTTPException:  # not a page either, another method, or a routing redirect
        return None
    query = request.query_string.decode("latin-1")
    return redirect(path.rstrip("/") + (f"?{query}" if query else ""), 308)


def configure_errors(app: Flask) -> None:
    """Friendly error pages in the member's language, for every HTTP error. (A feature may
    register a handler of its own for one code, as accounts does for 403.)"""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 404 and (moved := _without_trailing_slash()) is not None:
            return moved
        if error.code == 429 and error.response is not None:
            return error.response  # a limit that made its own page (login: offer a login link)
        body, code = error_page(error.code or 500)
        headers = [(k, v) for k, v in error.get_headers() if k.lower() == "allow"]
        return body, code, headers

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unhandled error")
        return error_page(500)
