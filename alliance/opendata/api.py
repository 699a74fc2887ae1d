"""The read-only JSON API ``/api/v1/``: the public knowledge for other sites and tools.

Every request is answered as for a visitor who is not logged in, whoever sends it (a browser
with a member's cookie too): the API never holds member-only or group content. Lists page by
cursor (the last id seen), answers carry an ``ETag`` (``If-None-Match`` gives 304), any site
may read them (CORS for GET), and each address has a rate limit (``API_RATE_LIMITS``)."""

import base64
import binascii
import json
from datetime import UTC, date, datetime, time

from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.exceptions import HTTPException

from alliance.extensions import limiter
from alliance.opendata import openapi
from alliance.opendata.records import (
    KINDS,
    STATUSES,
    Filters,
    all_themes,
    event_page,
    event_record,
    item_page,
    item_record,
    lesson_page,
    lesson_record,
    licence,
    public_item,
    public_replies,
    reply_record,
    theme_record,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match",
    "Access-Control-Expose-Headers": (
        "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
    ),
    "Access-Control-Max-Age": "86400",
}


class BadParameter(Exception):
    """A query parameter the API cannot use: answered 400 with its name."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


def _rate_limits() -> str:
    return current_app.config["API_RATE_LIMITS"]


limiter.limit(_rate_limits)(bp)


# --- answers ----------------------------------------------------------------------------------


def answer(payload: dict, status: int = 200) -> Response:
    """JSON with a strong ETag of its bytes; 304 when the client has it already."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    response = Response(body, status=status, mimetype="application/json")
    if status == 200:
        response.add_etag()
        response.headers["Cache-Control"] = "public, max-age=60"
        response.make_conditional(request)
    return response


def problem(status: int, title: str, detail: str = "", parameter: str | None = None) -> Response:
    """An error as JSON (``application/problem+json``, RFC 9457)."""
    payload = {"status": status, "title": title, "detail": detail or title}
    if parameter:
        payload["parameter"] = parameter
    body = json.dumps(payload, ensure_ascii=False)
    return Response(body, status=status, mimetype="application/problem+json")


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return problem(400, "Bad parameter", error.message, error.name)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    response = problem(error.code or 500, error.name, error.description or "")
    if error.code == 429 and error.response is not None:
        for header in ("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Reset"):
            if header in error.response.headers:
                response.headers[header] = error.response.headers[header]
    return response


@bp.after_request
def cors(response: Response) -> Response:
    """Any site may read the API (GET only; no cookies are used)."""
    response.headers.update(CORS_HEADERS)
    response.headers.pop("Vary", None)
    response.vary.add("Accept-Encoding")
    return response


# --- parameters -------------------------------------------------------------------------------


def encode_cursor(last_id: int) -> str:
    """An opaque cursor: where the next page starts."""
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(text: str) -> int:
    """The last id of the previous page, from a cursor this API made."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    prefix, _, number = raw.partition(":")
    if prefix != "id" or not number.isdecimal() or len(number) > 12:
        raise BadParameter("cursor", "This cursor was not made by this API.")
    return int(number)


def _choice(name: str, allowed) -> str:
    value = request.args.get(name, "")
    if value and value not in allowed:
        raise BadParameter(name, f"Use one of: {', '.join(sorted(allowed))}.")
    return value


def _since() -> datetime | None:
    value = request.args.get("updated_since", "").strip()
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time())
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadParameter(
            "updated_since", "Use a date (2026-11-01) or a time (2026-11-01T09:00:00Z)."
        ) from None
    if moment.tzinfo is not None:  # stored as naive UTC
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _limit() -> int:
    value = request.args.get("limit", "")
    if not value:
        return DEFAULT_LIMIT
    if not value.isdecimal() or not 1 <= int(value) <= MAX_LIMIT:
        raise BadParameter("limit", f"Use a number from 1 to {MAX_LIMIT}.")
    return int(value)


def _filters(kinds=KINDS, statuses=STATUSES) -> Filters:
    theme = request.args.get("theme", "")
    if len(theme) > 80:
        raise BadParameter("theme", "No theme has a slug this long.")
    cursor = request.args.get("cursor", "")
    return Filters(
        theme=theme,
        kind=_choice("kind", kinds) if kinds else "",
        status=_choice("status", statuses) if statuses else "",
        updated_since=_since(),
        after=decode_cursor(cursor) if cursor else 0,
    )


def _page(records: list[dict], rows: list, more: bool, endpoint: str) -> Response:
    next_cursor = encode_cursor(rows[-1].id) if more and rows else None
    next_url = None
    if next_cursor:
        arguments = {k: v for k, v in request.args.items() if k != "cursor"}
        next_url = url_for(endpoint, _external=True, **arguments, cursor=next_cursor)
    response = answer({"data": records, "next_cursor": next_cursor, "links": {"next": next_url}})
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response


# --- endpoints --------------------------------------------------------------------------------


@bp.get("/")
def index():
    """What the API offers, and under which licence."""
    return answer(
        {
            "name": "Alliantie Open Overheid: open data API",
            "version": "1",
            "licence": licence(),
            "openapi": url_for("api.openapi_document", _external=True),
            "documentation": url_for("opendata.index", _external=True),
            "endpoints": {
                "items": url_for("api.items", _external=True),
                "lessons": url_for("api.lessons", _external=True),
                "themes": url_for("api.themes", _external=True),
                "events": url_for("api.events", _external=True),
            },
        }
    )


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of this API."""
    return answer(openapi.document(request.url_root.rstrip("/") + bp.url_prefix))


@bp.get("/items")
def items():
    """Public dilemmas and experiences, by id, with filters."""
    rows, more = item_page(_filters(), _limit())
    return _page([item_record(item) for item in rows], rows, more, "api.items")


@bp.get("/items/<int:item_id>")
def item(item_id: int):
    """One public item with its public replies."""
    found = public_item(item_id)
    if found is None:
        return problem(404, "Not Found", "There is no public item with this id.")
    record = item_record(found)
    record["replies"] = [reply_record(r, found) for r in public_replies([found.id])[found.id]]
    return answer(record)


@bp.get("/lessons")
def lessons():
    """The lessons learnt on public items."""
    rows, more = lesson_page(_filters(statuses=()), _limit())
    return _page([lesson_record(item) for item in rows], rows, more, "api.lessons")


@bp.get("/themes")
def themes():
    """The themes of the action plan."""
    return answer({"data": [theme_record(theme) for theme in all_themes()]})


@bp.get("/events")
def events():
    """Public events of the agenda, with their reports."""
    rows, more = event_page(_filters(kinds=(), statuses=()), _limit())
    return _page([event_record(event) for event in rows], rows, more, "api.events")
